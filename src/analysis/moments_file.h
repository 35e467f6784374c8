// moments.json: the analysis result, read by rendering and the editor. Format in
// docs/moments.md:
//
//   {"version": 1,
//    "source": {"path", "duration_ms", "width", "height", "fps", "chat_path"},
//    "moments": [{"id", "start_ms", "end_ms", "peak_ms", "score", "title",
//                 "evidence": {"loudness": 2.1, ...},
//                 "words": [{"text", "start_ms", "end_ms", "confidence"}],
//                 "triggers": [{"kind", "text", "time_ms"}]}]}
//
// Moments are stored best first. Reading checks the version and every moment's times; errors
// are DataError naming the file and the field ("m.json: moments[2].end_ms: not after start_ms").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/moment.h"
#include "core/result.h"

namespace clipthat::analysis {

inline constexpr int kMomentsFileVersion = 1;

struct MomentsSource {
  std::string path;
  TimeMs duration_ms = 0;
  int width = 0;  // video size and rate; 0 when unknown
  int height = 0;
  double fps = 0;
  std::string chat_path;  // empty when no chat was used
};

struct MomentsDocument {
  MomentsSource source;
  std::vector<Moment> moments;  // best first
  // The interest curve over the whole recording at a coarse step (the peak of each step),
  // for plotting where the moments lie; empty when not known.
  EvidenceTimeline overview;
};

// A timeline read from a file has at most this many samples per series (a week at 60 s, or
// a 4-hour VOD at 1 s with room to spare).
inline constexpr size_t kMaxTimelineSamples = 20000;

// Keys in the documented order (ordered_json), so the file reads top-down.
nlohmann::ordered_json MomentsToJson(const MomentsDocument& doc);
// `origin` names the document in errors.
Result<MomentsDocument> MomentsFromJson(const nlohmann::json& json, std::string_view origin);

// Written atomically (never half a file), pretty-printed.
Status WriteMomentsFile(const std::string& path, const MomentsDocument& doc);
Result<MomentsDocument> ReadMomentsFile(const std::string& path);

}  // namespace clipthat::analysis
