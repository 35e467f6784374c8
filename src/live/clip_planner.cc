#include "live/clip_planner.h"

#include <algorithm>

namespace clipthat::live {

std::optional<PlannedClip> ClipPlanner::Offer(const ClipWindow& window, TimeMs trigger_at_ms,
                                              const std::string& reason, int* same_as) {
  for (PlannedClip& clip : planned_) {
    const ClipWindow& w = clip.window;
    const TimeMs overlap =
        std::min(w.end_ms, window.end_ms) - std::max(w.start_ms, window.start_ms);
    const TimeMs shorter =
        std::max<TimeMs>(1, std::min(w.end_ms - w.start_ms, window.end_ms - window.start_ms));
    const bool inside = trigger_at_ms >= w.start_ms && trigger_at_ms < w.end_ms;
    if (inside || static_cast<double>(overlap) >= options_.min_overlap * shorter) {
      clip.merged.push_back(reason);
      if (same_as != nullptr) *same_as = clip.id;
      return std::nullopt;
    }
  }
  // A new moment never repeats the end of an earlier clip: its start moves past it.
  ClipWindow trimmed = window;
  for (const PlannedClip& clip : planned_) {
    if (clip.window.start_ms <= trimmed.start_ms && clip.window.end_ms > trimmed.start_ms) {
      trimmed.start_ms = clip.window.end_ms;
    }
  }
  if (trimmed.end_ms - trimmed.start_ms < options_.min_clip_ms) {
    // Too little is left: it belongs to the earlier moment after all.
    for (PlannedClip& clip : planned_) {
      if (clip.window.end_ms == trimmed.start_ms) {
        clip.merged.push_back(reason);
        if (same_as != nullptr) *same_as = clip.id;
        return std::nullopt;
      }
    }
  }
  trimmed.moment_ms = std::clamp(trimmed.moment_ms, trimmed.start_ms, trimmed.end_ms);
  PlannedClip clip{.id = next_id_++,
                   .window = trimmed,
                   .trigger_at_ms = trigger_at_ms,
                   .reason = reason,
                   .merged = {}};
  planned_.push_back(clip);
  if (planned_.size() > options_.max_remembered) planned_.erase(planned_.begin());
  return clip;
}

}  // namespace clipthat::live
