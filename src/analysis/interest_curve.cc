#include "analysis/interest_curve.h"

#include <algorithm>

namespace clipthat::analysis {

Result<InterestCurve> FuseSignals(const std::vector<WeightedSignal>& signals, TimeMs duration_ms,
                                  const FusionOptions& options) {
  double total_weight = 0;
  for (const WeightedSignal& s : signals) {
    if (s.weight > 0) total_weight += s.weight;
  }
  if (total_weight <= 0) {
    return InvalidArgumentError("interest curve: no signal with a positive weight to fuse");
  }
  InterestCurve curve;
  curve.step_ms = std::max<TimeMs>(1, options.step_ms);
  const TimeSeries empty = ResampleMean({}, curve.step_ms, duration_ms);
  curve.score.assign(empty.values.size(), 0.0);
  for (const WeightedSignal& s : signals) {
    if (s.weight <= 0) continue;
    TimeSeries z = ResampleMean(s.z, curve.step_ms, duration_ms);
    const double share = s.weight / total_weight;
    for (double& v : z.values) v = share * std::max(0.0, v);
    for (size_t i = 0; i < curve.score.size(); ++i) curve.score[i] += z.values[i];
    curve.names.push_back(s.name);
    curve.contributions.push_back(std::move(z.values));
  }
  return curve;
}

}  // namespace clipthat::analysis
