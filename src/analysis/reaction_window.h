// Reaction window: a moment's clip from the shape of the reaction around its peak, not a
// fixed length.
//
// A reaction rises, peaks and decays. Going back from the peak of the interest curve, the
// onset is the last point before it where the curve was at or below onset_fraction of the
// peak's height (searched at most max_before_ms back); going forward, the decay is the first
// point where it falls to decay_fraction of the height (at most max_after_ms on). The clip
// runs from lead_ms before the onset to the decay, then is fitted to min_ms..max_ms: too
// short grows at the end, too long is cut at the end (the start, where the cause is, stays).
// The hook (the moment's peak_ms) is where the curve first reaches hook_fraction of the
// height: the instant the reaction took off, which is what a viewer must see early.
//
// Heights are measured above the curve's floor (0: the curve is z, positive only).
#pragma once

#include <vector>

#include "analysis/moment.h"

namespace clipthat::analysis {

struct ReactionWindowOptions {
  double onset_fraction = 0.2;
  double decay_fraction = 0.5;
  double hook_fraction = 0.5;
  TimeMs lead_ms = 2000;  // a little build-up before the onset
  TimeMs max_before_ms = 45000;
  TimeMs max_after_ms = 45000;
  TimeMs min_ms = 15000;
  TimeMs max_ms = 60000;
};

struct ReactionSpan {
  TimeRange window;
  TimeMs hook_ms = 0;
};

// `curve` sampled every step_ms from 0; `peak_index` a bin of it; the source lasts
// duration_ms (the window stays inside it; a source shorter than min_ms gives all of it).
ReactionSpan ReactionWindow(const std::vector<double>& curve, TimeMs step_ms, size_t peak_index,
                            TimeMs duration_ms, const ReactionWindowOptions& options = {});

}  // namespace clipthat::analysis
