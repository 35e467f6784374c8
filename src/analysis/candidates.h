// Candidates: from raw signals to ranked moments, as one plain function.
//
//   each signal: resample onto the fusion grid -> smooth -> robust z-score (normalize.h)
//   all signals: weighted fusion into the interest curve (interest_curve.h)
//   curve: peaks with non-maximum suppression, top K (peaks.h) -> windows (moment.h)
//
// Scan stages each add their signals (with their own smoothing and normalisation settings)
// to a SignalSet; this function needs to know nothing about where they came from.
#pragma once

#include <string>
#include <vector>

#include "analysis/interest_curve.h"
#include "analysis/moment.h"
#include "analysis/normalize.h"
#include "analysis/peaks.h"
#include "analysis/time_series.h"
#include "core/result.h"

namespace clipthat::analysis {

struct AnalysisSignal {
  std::string name{};   // "loudness", "chat_rate"; the key in a moment's evidence
  TimeSeries values{};  // raw, in the signal's unit
  double weight = 1.0;
  TimeMs smooth_ms = 2000;  // moving average before normalising
  RobustZOptions normalize{};
};

using SignalSet = std::vector<AnalysisSignal>;

struct CandidateOptions {
  FusionOptions fusion{};
  PeakOptions peaks{};
  MomentWindowOptions window{};
};

struct CandidateResult {
  std::vector<Moment> moments;  // best first, ids 1..N in that order
  InterestCurve curve;
};

// InvalidArgument when there is no usable signal. A flat curve gives no moments (not an error).
Result<CandidateResult> FindMoments(const SignalSet& signals, TimeMs duration_ms,
                                    const CandidateOptions& options = {});

}  // namespace clipthat::analysis
