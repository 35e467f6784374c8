// Evidence timelines: the interest curve's per-signal contributions sampled over a stretch of
// the source, so a moment can show why it was picked (formats/moment.h: EvidenceTimeline), and the
// whole recording can be plotted at a coarse step.
#pragma once

#include "analysis/interest_curve.h"
#include "analysis/moment.h"

namespace clipthat::analysis {

enum class SampleReduce { kMean, kMax };

// Samples `curve` over [range.start_ms, range.end_ms) every step_ms (the last sample may cover
// less). kMean averages the curve's bins in each sample (a moment's window, at 1 s); kMax keeps
// the highest score's bin (an overview of hours at 10 s, where peaks must not flatten).
// Values are rounded to 0.01. An empty curve or range gives an empty timeline.
EvidenceTimeline SampleEvidence(const InterestCurve& curve, TimeRange range, TimeMs step_ms = 1000,
                                SampleReduce reduce = SampleReduce::kMean);

}  // namespace clipthat::analysis
