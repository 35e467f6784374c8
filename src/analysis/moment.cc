#include "analysis/moment.h"

#include <algorithm>
#include <cstdio>

namespace clipthat::analysis {

TimeRange MomentWindow(TimeMs peak_ms, TimeMs duration_ms, const MomentWindowOptions& options) {
  const TimeMs min_ms = std::max<TimeMs>(1, std::min(options.min_ms, options.max_ms));
  const TimeMs target = std::clamp(options.target_ms, min_ms, std::max(min_ms, options.max_ms));
  const double position = std::clamp(options.peak_position, 0.0, 1.0 / 3.0);
  duration_ms = std::max<TimeMs>(0, duration_ms);
  peak_ms = std::clamp<TimeMs>(peak_ms, 0, duration_ms);
  if (duration_ms <= min_ms) return {0, duration_ms};

  TimeMs start = peak_ms - static_cast<TimeMs>(position * static_cast<double>(target));
  start = std::max<TimeMs>(0, start);
  TimeMs end = std::min(duration_ms, start + target);
  if (end - start < min_ms) start = std::max<TimeMs>(0, end - min_ms);
  return {start, end};
}

std::string PlaceholderTitle(TimeMs peak_ms) {
  const long long total_s = std::max<TimeMs>(0, peak_ms) / 1000;
  const long long h = total_s / 3600, m = (total_s / 60) % 60, s = total_s % 60;
  char buf[48];
  if (h > 0) {
    std::snprintf(buf, sizeof buf, "Moment at %lld:%02lld:%02lld", h, m, s);
  } else {
    std::snprintf(buf, sizeof buf, "Moment at %lld:%02lld", m, s);
  }
  return buf;
}

}  // namespace clipthat::analysis
