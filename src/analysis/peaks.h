// Peak picking with non-maximum suppression: the K highest local maxima of a curve that are at
// least min_separation_ms apart, best first.
#pragma once

#include <vector>

#include "core/time_units.h"

namespace clipthat::analysis {

struct PeakOptions {
  TimeMs min_separation_ms = 30000;  // no two peaks closer than this
  int top_k = 10;                    // at most this many peaks; <= 0 means no limit
  double min_score = 1.0;            // weaker maxima are not moments (curve units, z)
};

struct Peak {
  size_t index = 0;    // into the curve
  TimeMs time_ms = 0;  // centre of the peak's bin
  double score = 0;
};

// `curve` sampled every step_ms from 0. A plateau counts once (at its first bin).
std::vector<Peak> PickPeaks(const std::vector<double>& curve, TimeMs step_ms,
                            const PeakOptions& options = {});

}  // namespace clipthat::analysis
