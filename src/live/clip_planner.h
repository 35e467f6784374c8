// ClipPlanner: the live session's memory of which moments it has clipped, so the same moment
// is never clipped twice. Triggers come in bunches for one moment: the streamer says "clip
// that, clip that!", chat asks for the clip seconds later, the vision tick finds the same
// action. A new window that shares at least min_overlap of the shorter of the two with a
// window already planned, or whose trigger falls inside one, is the same moment: its reason
// is added to that clip and no new clip is made. A new moment whose window begins inside an
// earlier clip starts where that clip ends (clips never repeat each other's pictures); when
// less than min_clip_ms would be left, it is the earlier moment after all.
//
// Pure; not thread-safe (the session calls it from one thread).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/time_units.h"
#include "live/clip_window.h"

namespace clipthat::live {

struct ClipPlannerOptions {
  double min_overlap = 0.5;           // of the shorter window
  TimeMs min_clip_ms = 8000;          // what a trimmed new window must keep
  std::size_t max_remembered = 1000;  // oldest planned windows are forgotten past this
};

struct PlannedClip {
  int id = 0;  // 1, 2, ... in the order planned
  ClipWindow window;
  TimeMs trigger_at_ms = 0;
  std::string reason;               // what made it ("voice: clip that", "chat: 5 viewers ...")
  std::vector<std::string> merged;  // reasons of later triggers for the same moment
};

class ClipPlanner {
 public:
  explicit ClipPlanner(const ClipPlannerOptions& options = {}) : options_(options) {}

  // The clip to make, or nullopt when this is a moment already planned (the reason is then
  // appended to that clip's `merged`; its id is in *same_as when given).
  std::optional<PlannedClip> Offer(const ClipWindow& window, TimeMs trigger_at_ms,
                                   const std::string& reason, int* same_as = nullptr);

  const std::vector<PlannedClip>& planned() const { return planned_; }

 private:
  ClipPlannerOptions options_;
  std::vector<PlannedClip> planned_;
  int next_id_ = 1;
};

}  // namespace clipthat::live
