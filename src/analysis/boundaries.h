// Boundaries: where a moment's clip starts and ends, snapped to natural cuts.
//
// A clip should open just before a sentence starts and close after one ends, never cutting a
// word in two, and keep the hook (the peak) in its first third. Cut points come from the
// spoken words when there are any (the gaps between words; long gaps and sentence punctuation
// are sentence ends), else from the silence map of the audio scan; with neither, the window
// stays where it is. Limits always win over snapping: the result lasts min_ms..max_ms (less
// only when the source is shorter) and the peak sits in its first third.
#pragma once

#include <vector>

#include "analysis/moment.h"

namespace clipthat::analysis {

struct BoundaryOptions {
  TimeMs min_ms = 15000;
  TimeMs max_ms = 60000;
  TimeMs target_ms = 30000;              // preferred length when the cuts allow
  double max_peak_fraction = 1.0 / 3.0;  // peak no later than this share of the clip
  TimeMs min_lead_ms = 2000;             // at least this much before the peak: a little build-up
  TimeMs search_ms = 6000;               // how far a start or end may move to reach a cut
  TimeMs sentence_gap_ms = 600;          // a pause this long between words ends a sentence
  TimeMs min_gap_ms = 150;               // shorter pauses are not cut points at all
  TimeMs pad_ms = 150;  // start this long before the first word, end after the last
};

// Returns the snapped range for `moment` (its start, end and peak as the candidate window, its
// words for cut points) in a source of duration_ms. `silences` in time order; may be empty.
TimeRange SnapBoundaries(const Moment& moment, const std::vector<TimeRange>& silences,
                         TimeMs duration_ms, const BoundaryOptions& options = {});

}  // namespace clipthat::analysis
