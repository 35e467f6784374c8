#include "render/frame_picker.h"

#include <algorithm>

namespace clipthat::render {
namespace {

// Timestamps are whole milliseconds, so a 60 fps frame due at 33.3 ms may read 33 or 34: a
// frame that starts within this much after an output instant still counts as on screen then.
constexpr TimeMs kPtsToleranceMs = 1;

}  // namespace

CfrFramePicker::CfrFramePicker(TimeMs start_ms, TimeMs end_ms, int fps)
    : start_ms_(start_ms), fps_(std::max(1, fps)) {
  const TimeMs span = std::max<TimeMs>(0, end_ms - start_ms);
  total_ = (span * fps_ + 999) / 1000;
}

long long CfrFramePicker::SlotsBefore(TimeMs pts_ms) const {
  // Output instants n with start + n * 1000 / fps < pts - tolerance.
  const TimeMs x = pts_ms - kPtsToleranceMs - start_ms_;
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
