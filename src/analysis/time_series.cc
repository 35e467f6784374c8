#include "analysis/time_series.h"

#include <algorithm>

namespace clipthat::analysis {

size_t TimeSeries::IndexAt(TimeMs t_ms) const {
  if (values.empty() || t_ms <= 0 || step_ms <= 0) return 0;
  return std::min(values.size() - 1, static_cast<size_t>(t_ms / step_ms));
}

TimeSeries ResampleMean(const TimeSeries& in, TimeMs step_ms, TimeMs duration_ms) {
  TimeSeries out;
  out.step_ms = std::max<TimeMs>(1, step_ms);
  const size_t n =
      static_cast<size_t>((std::max<TimeMs>(0, duration_ms) + out.step_ms - 1) / out.step_ms);
  out.values.assign(n, in.values.empty() ? 0.0 : in.values.back());
  if (in.values.empty() || in.step_ms <= 0) return out;
  const TimeMs in_end = in.duration_ms();
  for (size_t j = 0; j < n; ++j) {
    const TimeMs a = static_cast<TimeMs>(j) * out.step_ms;
    const TimeMs b = std::min(a + out.step_ms, in_end);
    if (a >= in_end) break;
    double sum = 0, weight = 0;
    for (size_t i = static_cast<size_t>(a / in.step_ms); i < in.values.size(); ++i) {
      const TimeMs ia = static_cast<TimeMs>(i) * in.step_ms;
      if (ia >= b) break;
      const TimeMs overlap = std::min(b, ia + in.step_ms) - std::max(a, ia);
      if (overlap <= 0) continue;
      sum += in.values[i] * static_cast<double>(overlap);
      weight += static_cast<double>(overlap);
    }
    if (weight > 0) out.values[j] = sum / weight;
  }
  return out;
}

TimeSeries MovingAverage(const TimeSeries& in, TimeMs window_ms) {
  TimeSeries out{in.step_ms, {}};
  const size_t n = in.values.size();
  out.values.resize(n);
  const size_t half =
      in.step_ms > 0 ? static_cast<size_t>(std::max<TimeMs>(0, window_ms) / in.step_ms / 2) : 0;
  // Prefix sums make this linear in n whatever the window.
  std::vector<double> prefix(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + in.values[i];
  for (size_t i = 0; i < n; ++i) {
    const size_t lo = i >= half ? i - half : 0;
    const size_t hi = std::min(n, i + half + 1);
    out.values[i] = (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo);
  }
  return out;
}

TimeSeries ShiftEarlier(const TimeSeries& in, TimeMs delay_ms) {
  TimeSeries out{in.step_ms, in.values};
  if (in.values.empty() || in.step_ms <= 0 || delay_ms <= 0) return out;
  const size_t shift = static_cast<size_t>((delay_ms + in.step_ms / 2) / in.step_ms);
  const size_t n = in.values.size();
  double mean = 0;
  for (double v : in.values) mean += v;
  mean /= static_cast<double>(n);
  for (size_t i = 0; i < n; ++i) out.values[i] = i + shift < n ? in.values[i + shift] : mean;
  return out;
}

}  // namespace clipthat::analysis
