// Moment: one candidate clip found by the analysis, and how its time window is chosen.
//
// The moment itself (a time range of the source with its peak, score, evidence, words, trigger
// phrases and title) is a type of the moments document, formats/moment.h; the analysis uses it
// as analysis::Moment. What is the analysis's own is here: the window around a peak and the
// placeholder title.
#pragma once

#include <string>

#include "core/time_units.h"
#include "formats/moment.h"

namespace clipthat::analysis {

// The moment types belong to the moments document (formats/moment.h); the analysis fills them
// under these names.
using formats::EvidenceTimeline;
using formats::Moment;
using formats::MomentTrigger;
using formats::MomentWord;

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
