// Moment: one candidate clip found by the analysis, as moments.json stores it
// (formats/moments_document.h, docs/moments.md).
//
// A moment is a time range of the source with the peak that made it interesting, a score in
// interest-curve units (robust z), the evidence (each signal's contribution to the score), and
// fields later stages fill: spoken words with timings, trigger phrases, a title. All times are
// milliseconds of the source (VOD) clock.
//
// These are plain types with no behaviour, owned here rather than by the analysis because they
// are the moments document's content: the analysis fills them (analysis/moment.h names them
// analysis::Moment etc. and adds how a moment's window is chosen), rendering, the command line
// and the worker read them. The formats library does not depend on the analysis library, so
// anything that reads moments.json needs only src/formats.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/time_units.h"

namespace clipthat::formats {

struct MomentWord {
  std::string text;
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
  double confidence = 1.0;  // 0..1
};

struct MomentTrigger {
  std::string kind;  // "phrase" (said by the streamer), "chat" (a chat keyword burst), ...
  std::string text;  // "clip that"
  TimeMs time_ms = 0;
  double confidence =
      1.0;  // 0..1: how sure the check that confirmed it is (speech::TriggerSpotter)
};

// Signals sampled over a stretch of the source, to plot why a moment was picked (the editor's
// evidence timeline; docs/moments.md). values[s][k] is signal names[s]'s contribution to the
// interest curve (z units, the same as `evidence`) over [start_ms + k * step_ms, + step_ms);
// score[k] is their sum.
struct EvidenceTimeline {
  TimeMs start_ms = 0;
  TimeMs step_ms = 1000;
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;  // [signal][sample]
  std::vector<double> score;                // [sample]

  bool empty() const { return score.empty(); }
};

struct Moment {
  int id = 0;  // 1-based rank at creation; stable afterwards
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
  TimeMs peak_ms = 0;
  double score = 0;
  std::string title;
  std::map<std::string, double> evidence;  // signal name -> contribution to score
  std::vector<MomentWord> words;
  std::vector<MomentTrigger> triggers;
  EvidenceTimeline timeline;  // the signals over [start_ms, end_ms); empty when not known

  TimeMs duration_ms() const { return end_ms - start_ms; }
};

}  // namespace clipthat::formats
