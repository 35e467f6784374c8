// Moment: one candidate clip found by the analysis, and how its time window is chosen.
//
// A moment is a time range of the source with the peak that made it interesting, a score in
// interest-curve units (robust z), the evidence (each signal's contribution to the score), and
// fields later stages fill: spoken words with timings, trigger phrases, a title.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/time_units.h"

namespace clipthat::analysis {

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

struct MomentWindowOptions {
  TimeMs target_ms = 30000;
  TimeMs min_ms = 15000;
  TimeMs max_ms = 60000;
  // Where the peak sits in the window (0 = start). Kept under 1/3: viewers of short videos
  // decide in the first seconds, so the hook comes early, after a little build-up.
  double peak_position = 0.25;
};

struct TimeRange {
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
};

// The window for a peak in a source of duration_ms: target length, the peak at
// peak_position of it, inside [0, duration_ms]. Near the end the window first shortens (down
// to min_ms, keeping the peak early) and only then moves earlier; a source shorter than
// min_ms gives the whole source.
TimeRange MomentWindow(TimeMs peak_ms, TimeMs duration_ms, const MomentWindowOptions& options = {});

// "Moment at 12:34" (or "Moment at 1:02:03"): a title until real titles are written.
std::string PlaceholderTitle(TimeMs peak_ms);

}  // namespace clipthat::analysis
