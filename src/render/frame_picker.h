// CfrFramePicker: turns source frames with arbitrary timestamps into a constant-rate output.
//
// Output frame n shows the source frame on screen at start_ms + n * 1000 / fps. Frames arrive
// in presentation order; each time one arrives, Next() says how many output frames the
// previous one fills (0 when it is skipped, as every other frame of a 60 fps source at 30 fps;
// 2 or more when a low-rate or stalled source must be repeated). Finish() says how many the
// last frame fills up to end_ms. The counts add up to exactly total_frames().
//
// With cuts (formats/clip_timeline.h) output frame n shows the source frame on screen at the
// VOD time that clip time n * 1000 / fps maps to: frames inside a cut fill no output frame.
#pragma once

#include "core/time_units.h"
#include "formats/clip_timeline.h"

namespace clipthat::render {

class CfrFramePicker {
 public:
  CfrFramePicker(TimeMs start_ms, TimeMs end_ms, int fps);
  CfrFramePicker(const formats::ClipTimeline& timeline, int fps);

  // A frame with presentation time `pts_ms` arrived; returns the previous frame's count.
  long long Next(TimeMs pts_ms);
  // No more frames; returns the last frame's count.
  long long Finish();

  long long total_frames() const { return total_; }
  long long frames_assigned() const { return next_out_; }

 private:
  long long SlotsBefore(TimeMs pts_ms) const;

  formats::ClipTimeline timeline_;
  int fps_;
  long long total_;
  long long next_out_ = 0;
  bool have_previous_ = false;
};

}  // namespace clipthat::render
