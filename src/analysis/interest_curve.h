// Fusion of normalised signals into one interest curve.
//
// Each signal is a z-score series (normalize.h) with a weight. Only excitement counts: a
// signal's contribution is weight * clamp(z, 0, max_abs_z) / (sum of weights), so a quiet
// stretch is neutral rather than a penalty, and the curve stays in z units whichever signals
// are present (a VOD without chat is not scored lower for it). Contributions are kept per
// signal so a moment can say why it was picked.
#pragma once

#include <string>
#include <vector>

#include "analysis/time_series.h"
#include "core/result.h"

namespace clipthat::analysis {

struct WeightedSignal {
  std::string name;   // "loudness", "chat_rate", ...
  TimeSeries z;       // on any grid; resampled onto the curve's
  double weight = 1;  // relative; <= 0 leaves the signal out
};

struct FusionOptions {
  TimeMs step_ms = 500;  // grid of the curve
};

struct InterestCurve {
  TimeMs step_ms = 500;
  std::vector<double> score;                       // sum of contributions, per bin
  std::vector<std::string> names;                  // one per contributing signal
  std::vector<std::vector<double>> contributions;  // [signal][bin]

  TimeMs duration_ms() const { return step_ms * static_cast<TimeMs>(score.size()); }
};

// InvalidArgument when no signal has a positive weight.
Result<InterestCurve> FuseSignals(const std::vector<WeightedSignal>& signals, TimeMs duration_ms,
                                  const FusionOptions& options = {});

}  // namespace clipthat::analysis
