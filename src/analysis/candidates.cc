#include "analysis/candidates.h"

#include <algorithm>

namespace clipthat::analysis {

TimeSeries NormalisedSignal(const AnalysisSignal& s, TimeMs duration_ms,
                            const FusionOptions& fusion) {
  TimeSeries smooth =
      MovingAverage(ResampleMean(s.values, fusion.step_ms, duration_ms), s.smooth_ms);
  return s.normalization == Normalization::kCountZ ? CountZScore(smooth, s.count_normalize)
                                                   : RobustZScore(smooth, s.normalize);
}

Result<CandidateResult> FindMoments(const SignalSet& signals, TimeMs duration_ms,
                                    const CandidateOptions& options) {
  if (duration_ms <= 0) return InvalidArgumentError("the source has no duration");
  std::vector<WeightedSignal> normalised;
  for (const AnalysisSignal& s : signals) {
    if (s.values.values.empty() || s.weight <= 0) continue;
    TimeSeries z = NormalisedSignal(s, duration_ms, options.fusion);
    if (s.lag_ms > 0) z = ShiftEarlier(z, s.lag_ms);
    normalised.push_back({s.name, std::move(z), s.weight});
  }
  if (normalised.empty()) {
    return InvalidArgumentError("no signal to find moments in (no audio stream and no chat)");
  }
  CandidateResult result;
  ASSIGN_OR_RETURN(result.curve, FuseSignals(normalised, duration_ms, options.fusion));
  const InterestCurve& curve = result.curve;

  for (const Peak& peak : PickPeaks(curve.score, curve.step_ms, options.peaks)) {
    Moment m;
    m.id = static_cast<int>(result.moments.size()) + 1;
    m.peak_ms = std::min(peak.time_ms, duration_ms);
    if (options.window_shape == WindowShape::kReaction) {
      ReactionWindowOptions shape = options.reaction;
      shape.min_ms = options.window.min_ms;
      shape.max_ms = options.window.max_ms;
      const ReactionSpan span =
          ReactionWindow(curve.score, curve.step_ms, peak.index, duration_ms, shape);
      m.start_ms = span.window.start_ms;
      m.end_ms = span.window.end_ms;
      m.peak_ms = span.hook_ms;
    } else {
      const TimeRange window = MomentWindow(m.peak_ms, duration_ms, options.window);
      m.start_ms = window.start_ms;
      m.end_ms = window.end_ms;
    }
    m.score = peak.score;
    for (size_t s = 0; s < curve.names.size(); ++s) {
      m.evidence[curve.names[s]] = curve.contributions[s][peak.index];
    }
    m.title = PlaceholderTitle(m.peak_ms);
    result.moments.push_back(std::move(m));
  }
  return result;
}

}  // namespace clipthat::analysis
