#include "analysis/reaction_window.h"

#include <algorithm>

namespace clipthat::analysis {

ReactionSpan ReactionWindow(const std::vector<double>& curve, TimeMs step_ms, size_t peak_index,
                            TimeMs duration_ms, const ReactionWindowOptions& o) {
  ReactionSpan span;
  step_ms = std::max<TimeMs>(1, step_ms);
  duration_ms = std::max<TimeMs>(0, duration_ms);
  const TimeMs min_ms = std::max<TimeMs>(1, std::min(o.min_ms, o.max_ms));
  const TimeMs max_ms = std::max(min_ms, o.max_ms);
  if (curve.empty() || duration_ms <= min_ms) {
    span.window = {0, duration_ms};
    span.hook_ms = std::min(duration_ms, static_cast<TimeMs>(peak_index) * step_ms);
    return span;
  }
  peak_index = std::min(peak_index, curve.size() - 1);
  const double height = std::max(0.0, curve[peak_index]);
  const auto bins = [&](TimeMs ms) {
    return static_cast<size_t>(std::max<TimeMs>(0, ms) / step_ms);
  };

  size_t onset = peak_index;
  const size_t back = std::min(peak_index, bins(o.max_before_ms));
  while (onset > peak_index - back && curve[onset - 1] > o.onset_fraction * height) --onset;
  size_t decay = peak_index;
  const size_t forward = std::min(curve.size() - 1 - peak_index, bins(o.max_after_ms));
  while (decay < peak_index + forward && curve[decay + 1] > o.decay_fraction * height) ++decay;
  size_t hook = onset;
  while (hook < peak_index && curve[hook] < o.hook_fraction * height) ++hook;

  TimeMs start = static_cast<TimeMs>(onset) * step_ms - o.lead_ms;
  TimeMs end = static_cast<TimeMs>(decay + 1) * step_ms;
  start = std::clamp<TimeMs>(start, 0, duration_ms);
  end = std::clamp(end, start + min_ms, start + max_ms);
  if (end > duration_ms) {
    end = duration_ms;
    start = std::max<TimeMs>(0, std::min(start, end - min_ms));
  }
  span.window = {start, end};
  span.hook_ms = std::clamp<TimeMs>(static_cast<TimeMs>(hook) * step_ms + step_ms / 2, start, end);
  return span;
}

}  // namespace clipthat::analysis
