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

// Baselines are measured at anchors 0, hop, 2*hop, ... and the last index, each over
// [a - half, a + half], and interpolated linearly between. `measure(lo, hi)` gives a T for
// one window; `at(i, a, b, f)` combines the anchors around index i (f in [0, 1)).
struct Anchors {
  std::vector<size_t> index;
  size_t half = 1;
};

Anchors MakeAnchors(size_t n, TimeMs step_ms, TimeMs window_ms, TimeMs hop_ms) {
  Anchors a;
  a.half = std::max<size_t>(1, static_cast<size_t>(window_ms / step_ms / 2));
  const size_t hop = std::max<size_t>(1, static_cast<size_t>(hop_ms / step_ms));
  for (size_t i = 0; i < n; i += hop) a.index.push_back(i);
  if (a.index.back() != n - 1) a.index.push_back(n - 1);
  return a;
}

// Calls out(i, k, f) for every index i: k the anchor at or before i, f the fraction of the way
// to anchor k + 1 (0 at the last anchor).
template <typename F>
void ForEachBetweenAnchors(size_t n, const Anchors& a, F&& out) {
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    while (k + 1 < a.index.size() && a.index[k + 1] < i) ++k;
    double f = 0;
    if (k + 1 < a.index.size() && a.index[k + 1] > a.index[k]) {
      f = static_cast<double>(i - a.index[k]) / static_cast<double>(a.index[k + 1] - a.index[k]);
    }
    out(i, k, f);
  }
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

  const Anchors anchors =
      MakeAnchors(n, in.step_ms, options.baseline_window_ms, options.baseline_hop_ms);
  std::vector<Baseline> baselines;
  baselines.reserve(anchors.index.size());
  for (size_t a : anchors.index) {
    const size_t lo = a >= anchors.half ? a - anchors.half : 0;
    baselines.push_back(Measure(in.values, lo, std::min(n, a + anchors.half + 1), scratch));
  }
  ForEachBetweenAnchors(n, anchors, [&](size_t i, size_t k, double f) {
    Baseline b = baselines[k];
    if (f > 0) {
      b.median += f * (baselines[k + 1].median - b.median);
      b.spread += f * (baselines[k + 1].spread - b.spread);
    }
    const double z = (in.values[i] - b.median) / std::max(b.spread, spread_floor);
    out.values[i] = std::clamp(z, -options.max_abs_z, options.max_abs_z);
  });
  return out;
}

double SoftLimit(double z, double limit) {
  if (limit <= 0 || z <= limit) return z;
  return limit + limit * std::log1p((z - limit) / limit);
}

TimeSeries CountZScore(const TimeSeries& in, const CountZOptions& options) {
  TimeSeries out{in.step_ms, {}};
  const size_t n = in.values.size();
  if (n == 0 || in.step_ms <= 0) return out;
  out.values.resize(n);
  const Anchors anchors =
      MakeAnchors(n, in.step_ms, options.baseline_window_ms, options.baseline_hop_ms);
  std::vector<double> medians;
  medians.reserve(anchors.index.size());
  std::vector<double> scratch;
  for (size_t a : anchors.index) {
    const size_t lo = a >= anchors.half ? a - anchors.half : 0;
    const size_t hi = std::min(n, a + anchors.half + 1);
    scratch.assign(in.values.begin() + static_cast<std::ptrdiff_t>(lo),
                   in.values.begin() + static_cast<std::ptrdiff_t>(hi));
    medians.push_back(MedianInPlace(scratch));
  }
  const double floor = std::max(options.variance_floor, 1e-9);
  ForEachBetweenAnchors(n, anchors, [&](size_t i, size_t k, double f) {
    const double m = f > 0 ? medians[k] + f * (medians[k + 1] - medians[k]) : medians[k];
    const double z = (in.values[i] - m) / std::sqrt(std::max(0.0, m) + floor);
    out.values[i] = SoftLimit(z, options.soft_limit_z);
  });
  return out;
}

}  // namespace clipthat::analysis
