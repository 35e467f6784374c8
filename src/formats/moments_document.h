// MomentsDocument: moments.json, the analysis result, as a versioned JSON document (the format
// is described in docs/moments.md). `clipthat analyze` and `clipthat clip` write it, the
// worker's analysis jobs send its moments to the API, `clipthat render` and the editor read it.
// Every one of them reads and writes it here, by one set of rules and limits.
//
//   {"version": 1,
//    "source": {"path", "duration_ms", "width", "height", "fps", "chat_path"},
//    "moments": [{"id", "start_ms", "end_ms", "peak_ms", "score", "title",
//                 "evidence": {"loudness": 2.1, ...},
//                 "words": [{"text", "start_ms", "end_ms", "confidence"}],
//                 "triggers": [{"phrase", "at_ms", "kind", "confidence"}],
//                 "timeline": {"start_ms", "step_ms", "score", "signals"}}],
//    "overview": {"start_ms", "step_ms", "score", "signals"}}
//
// Moments are stored best first; the moment types are in formats/moment.h. Reading checks the
// version, every moment's times and the sizes in MomentsDocumentLimits (through the project's
// JSON document limits, core/json_document.h, for a file); unknown fields are ignored, so newer
// writers can add them. Errors are DataError naming the document and the field
// ("m.json: moments[2].end_ms: not after start_ms"); a version this build does not read is
// Unsupported.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"
#include "formats/moment.h"

namespace clipthat::formats {

inline constexpr int kMomentsDocumentVersion = 1;

// A timeline read from a document has at most this many samples per series (a week at 60 s,
// or a 4-hour VOD at 1 s with room to spare).
inline constexpr std::size_t kMaxTimelineSamples = 20000;

// Every bound on a moments document, in one place (GET /v1/formats/limits serves them). Sized
// so that anything the analysis writes reads back: at most 1000 moments (`--top`), titles of
// at most 300 bytes and words of at most 200 (what an edit list made from a moment may carry).
struct MomentsDocumentLimits {
  std::size_t max_moments = 1000;
  std::size_t max_words = 20000;      // per moment
  std::size_t max_triggers = 1000;    // per moment
  std::size_t max_evidence = 64;      // evidence signals per moment
  std::size_t max_path_bytes = 4096;  // source.path, source.chat_path
  std::size_t max_title_bytes = 300;
  std::size_t max_word_bytes = 200;                        // a word's text
  std::size_t max_trigger_bytes = 200;                     // a trigger's phrase and kind
  std::size_t max_signal_name_bytes = 200;                 // evidence and timeline signal names
  std::size_t max_timeline_samples = kMaxTimelineSamples;  // per series
  std::size_t max_timeline_signals = 64;
};

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

// Keys in the documented order (ordered_json), so the file reads top-down.
nlohmann::ordered_json MomentsToJson(const MomentsDocument& doc);
// `origin` names the document in errors ("moments.json", "job 12 result").
Result<MomentsDocument> MomentsFromJson(const nlohmann::json& json, std::string_view origin,
                                        const MomentsDocumentLimits& limits = {});

// Written atomically (never half a file), pretty-printed (2 spaces, a final newline).
Status WriteMomentsFile(const std::string& path, const MomentsDocument& doc);
// Parsed with ReadJsonFile (core/json_document.h): text that is not JSON, or nested too deep,
// is a DataError naming the file; a missing file NotFound.
Result<MomentsDocument> ReadMomentsFile(const std::string& path,
                                        const MomentsDocumentLimits& limits = {});

}  // namespace clipthat::formats
