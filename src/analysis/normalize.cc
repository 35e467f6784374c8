#include "analysis/normalize.h"

#include <algorithm>
#include <cmath>

namespace clipthat::analysis {
namespace {

constexpr double kMadToSigma = 1.4826;

struct Baseline {
  double median = 0;
  double spread = 0;
};

double MedianInPlace(std::vector<double>& v) {
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

Baseline Measure(const std::vector<double>& values, size_t lo, size_t hi,
                 std::vector<double>& scratch) {
  scratch.assign(values.begin() + static_cast<std::ptrdiff_t>(lo),
                 values.begin() + static_cast<std::ptrdiff_t>(hi));
  Baseline b;
  b.median = MedianInPlace(scratch);
  for (double& x : scratch) x = std::fabs(x - b.median);
  b.spread = kMadToSigma * MedianInPlace(scratch);
  return b;
}

}  // namespace

TimeSeries RobustZScore(const TimeSeries& in, const RobustZOptions& options) {
  TimeSeries out{in.step_ms, {}};
  const size_t n = in.values.size();
  if (n == 0 || in.step_ms <= 0) return out;
  out.values.resize(n);

  std::vector<double> scratch;
  const Baseline global = Measure(in.values, 0, n, scratch);
  const double spread_floor =
      std::max({options.min_spread, options.global_spread_fraction * global.spread, 1e-9});

  const size_t half =
      std::max<size_t>(1, static_cast<size_t>(options.baseline_window_ms / in.step_ms / 2));
  const size_t hop = std::max<size_t>(1, static_cast<size_t>(options.baseline_hop_ms / in.step_ms));
  // Baselines at anchor points 0, hop, 2*hop, ... and the last index.
  std::vector<size_t> anchors;
  for (size_t i = 0; i < n; i += hop) anchors.push_back(i);
  if (anchors.back() != n - 1) anchors.push_back(n - 1);
  std::vector<Baseline> baselines;
  baselines.reserve(anchors.size());
  for (size_t a : anchors) {
    const size_t lo = a >= half ? a - half : 0;
    const size_t hi = std::min(n, a + half + 1);
    baselines.push_back(Measure(in.values, lo, hi, scratch));
  }

  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    while (k + 1 < anchors.size() && anchors[k + 1] < i) ++k;
    Baseline b = baselines[k];
    if (k + 1 < anchors.size() && anchors[k + 1] > anchors[k]) {
      const double f =
          static_cast<double>(i - anchors[k]) / static_cast<double>(anchors[k + 1] - anchors[k]);
      b.median += f * (baselines[k + 1].median - b.median);
      b.spread += f * (baselines[k + 1].spread - b.spread);
    }
    const double z = (in.values[i] - b.median) / std::max(b.spread, spread_floor);
    out.values[i] = std::clamp(z, -options.max_abs_z, options.max_abs_z);
  }
  return out;
}

}  // namespace clipthat::analysis
