// Scaler: crops, scales and converts VideoFrames (libswscale), reusing its context while the
// geometry stays the same.
#pragma once

#include <memory>

#include "core/result.h"
#include "media/frame.h"

namespace clipthat::media {

struct CropRect {
  int x = 0, y = 0, width = 0, height = 0;  // pixels in the source; width 0 = whole frame
};

class Scaler {
 public:
  Scaler();
  Scaler(Scaler&&) noexcept;
  Scaler& operator=(Scaler&&) noexcept;
  ~Scaler();

  // Writes into `out` the region `crop` of `in` scaled to out_width x out_height in
  // `out_format`; out->pts_ms and keyframe are copied from `in`. The crop is clamped to the
  // frame (and aligned to even coordinates for 4:2:0 sources).
  Status Convert(const VideoFrame& in, const CropRect& crop, int out_width, int out_height,
                 PixelFormat out_format, VideoFrame* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::media
