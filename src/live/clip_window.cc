#include "live/clip_window.h"

#include <algorithm>
#include <vector>

namespace clipthat::live {

namespace {

// The loudest smoothed bin of [from, to) if it rises min_peak_rise_db over the median.
bool AudioPeak(const RecentSeries& level, TimeMs from, TimeMs to, const ClipWindowOptions& o,
               TimeMs* peak_ms) {
  const TimeMs bin = level.bin_ms();
  from = std::max(from, level.begin_ms());
  to = std::min(to, level.end_ms());
  if (to - from < 4 * bin) return false;
  std::vector<double> raw;
  for (TimeMs t = from; t < to; t += bin) raw.push_back(level.At(t));
  const int half = static_cast<int>(std::max<TimeMs>(0, o.peak_smooth_ms / bin / 2));
  std::vector<double> smooth(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::size_t a = i >= static_cast<std::size_t>(half) ? i - half : 0;
    const std::size_t b = std::min(raw.size(), i + half + 1);
    double sum = 0;
    for (std::size_t k = a; k < b; ++k) sum += raw[k];
    smooth[i] = sum / static_cast<double>(b - a);
  }
  std::vector<double> sorted = smooth;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const double median = sorted[sorted.size() / 2];
  const auto best = std::max_element(smooth.begin(), smooth.end());
  if (*best - median < o.min_peak_rise_db) return false;
  *peak_ms = from + static_cast<TimeMs>(best - smooth.begin()) * bin;
  return true;
}

bool ChatPeak(const RecentSeries& chat, TimeMs from, TimeMs to, const ClipWindowOptions& o,
              TimeMs* peak_ms) {
  const TimeMs bin = chat.bin_ms();
  from = std::max(from, chat.begin_ms());
  to = std::min(to, chat.end_ms());
  double best = 0;
  for (TimeMs t = from; t < to; t += bin) {
    const double v = chat.At(t);
    if (v > best) {
      best = v;
      *peak_ms = t;
    }
  }
  return best >= o.min_chat_peak_messages;
}

}  // namespace

ClipWindow ChooseClipWindow(TimeMs trigger_start_ms, TimeMs trigger_end_ms,
                            const RecentSeries& level, const RecentSeries& chat, TimeMs earliest_ms,
                            const ClipWindowOptions& o) {
  ClipWindow w;
  trigger_end_ms = std::max(trigger_end_ms, trigger_start_ms);
  const TimeMs search_from = trigger_start_ms - o.search_back_ms;
  const TimeMs search_to = trigger_start_ms - o.skip_before_trigger_ms;
  TimeMs peak = 0;
  if (AudioPeak(level, search_from, search_to, o, &peak)) {
    w.moment_ms = peak;
    w.basis = "audio";
  } else if (ChatPeak(chat, search_from, trigger_end_ms + chat.bin_ms(), o, &peak)) {
    w.moment_ms = std::max(search_from, peak - o.chat_reaction_delay_ms);
    w.basis = "chat";
  } else {
    w.moment_ms = trigger_start_ms - o.default_back_ms + o.lead_ms;
    w.basis = "default";
  }
  w.end_ms = trigger_end_ms + o.post_roll_ms;
  w.start_ms = w.moment_ms - o.lead_ms;
  if (w.end_ms - w.start_ms < o.min_clip_ms) w.start_ms = w.end_ms - o.min_clip_ms;
  if (w.end_ms - w.start_ms > o.max_clip_ms) w.start_ms = w.end_ms - o.max_clip_ms;
  w.start_ms = std::max({w.start_ms, earliest_ms, TimeMs{0}});
  w.moment_ms = std::clamp(w.moment_ms, w.start_ms, w.end_ms);
  return w;
}

}  // namespace clipthat::live
