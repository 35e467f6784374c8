#include "analysis/reaction_delay.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace clipthat::analysis {
namespace {

// Positive part, centred and scaled to unit variance (all zeros stay zeros).
std::vector<double> Standardise(std::vector<double> v) {
  for (double& x : v) x = std::max(0.0, x);
  if (v.empty()) return v;
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double var = 0;
  for (double x : v) var += (x - mean) * (x - mean);
  const double sd = std::sqrt(var / static_cast<double>(v.size()));
  for (double& x : v) x = sd > 1e-9 ? (x - mean) / sd : 0.0;
  return v;
}

}  // namespace

std::optional<ReactionDelayEstimate> EstimateReactionDelay(const TimeSeries& chat_z,
                                                           const TimeSeries& audio_z,
                                                           const ReactionDelayOptions& o) {
  const TimeMs step = std::max<TimeMs>(1, o.step_ms);
  const TimeMs span =
      std::min({chat_z.duration_ms(), audio_z.duration_ms(), std::max<TimeMs>(0, o.max_span_ms)});
  const TimeMs max_lag = std::max<TimeMs>(0, o.max_lag_ms);
  if (span <= max_lag + 60000) return std::nullopt;  // under a minute to compare
  const std::vector<double> chat = Standardise(ResampleMean(chat_z, step, span).values);
  const std::vector<double> audio = Standardise(ResampleMean(audio_z, step, span).values);
  const size_t n = std::min(chat.size(), audio.size());

  std::vector<double> corr;
  std::vector<TimeMs> lags;
  for (TimeMs lag = std::max<TimeMs>(0, o.min_lag_ms); lag <= max_lag; lag += step) {
    const auto k = static_cast<size_t>(lag / step);
    if (k >= n) break;
    double sum = 0;
    for (size_t i = 0; i + k < n; ++i) sum += audio[i] * chat[i + k];
    corr.push_back(sum / static_cast<double>(n - k));
    lags.push_back(lag);
  }
  if (corr.empty()) return std::nullopt;
  const size_t best =
      static_cast<size_t>(std::max_element(corr.begin(), corr.end()) - corr.begin());
  std::vector<double> sorted = corr;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2),
                   sorted.end());
  const double median = sorted[sorted.size() / 2];
  if (corr[best] < o.min_correlation || corr[best] - median < o.min_margin) return std::nullopt;
  return ReactionDelayEstimate{lags[best], corr[best]};
}

}  // namespace clipthat::analysis
