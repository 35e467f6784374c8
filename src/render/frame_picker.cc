#include "render/frame_picker.h"

#include <algorithm>

namespace clipthat::render {
namespace {

// Timestamps are whole milliseconds, so a 60 fps frame due at 33.3 ms may read 33 or 34: a
// frame that starts within this much after an output instant still counts as on screen then.
constexpr TimeMs kPtsToleranceMs = 1;

}  // namespace

CfrFramePicker::CfrFramePicker(TimeMs start_ms, TimeMs end_ms, int fps)
    : CfrFramePicker(formats::ClipTimeline(start_ms, end_ms, {}), fps) {}

CfrFramePicker::CfrFramePicker(const formats::ClipTimeline& timeline, int fps)
    : timeline_(timeline), fps_(std::max(1, fps)) {
  total_ = (timeline_.kept_ms() * fps_ + 999) / 1000;
}

long long CfrFramePicker::SlotsBefore(TimeMs pts_ms) const {
  // Output instants n whose VOD time is before pts - tolerance: those with n * 1000 / fps
  // before the clip time of pts - tolerance (a time in a cut has its join's clip time).
  const TimeMs x = timeline_.ClipMsAt(pts_ms - kPtsToleranceMs);
  if (x <= 0) return 0;
  return std::min<long long>(total_, (x * fps_ + 999) / 1000);
}

long long CfrFramePicker::Next(TimeMs pts_ms) {
  const long long until = SlotsBefore(pts_ms);
  long long count = 0;
  if (have_previous_) {
    count = std::max(0LL, until - next_out_);
    next_out_ += count;
  }
  have_previous_ = true;
  return count;
}

long long CfrFramePicker::Finish() {
  if (!have_previous_) return 0;
  const long long count = total_ - next_out_;
  next_out_ = total_;
  have_previous_ = false;
  return count;
}

}  // namespace clipthat::render
