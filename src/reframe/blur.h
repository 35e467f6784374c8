// BlurredBackground: the backdrop of the fit layout, a region of the source shrunk, blurred,
// darkened and scaled back up to the output, cheaply enough to run on every frame.
//
// The region is scaled down to 1/24 of the output size (media::Scaler, area averaging), blurred
// there with three [1 2 1] passes each way, darkened, and scaled up bilinearly straight into the
// output planes; the bilinear upscale of so small a picture finishes the blur. Everything stays in
// YUV 4:2:0. At 1080x1920 the picture it works on is 46x80.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "media/frame.h"
#include "media/scaler.h"

namespace clipthat::reframe {

class BlurredBackground {
 public:
  // out_width and out_height: the output size, positive and even.
  BlurredBackground(int out_width, int out_height);

  // Shrinks, blurs and darkens `region` of `source` (kYuv420p). Errors are the scaler's.
  Status Prepare(const media::VideoFrame& source, const media::CropRect& region);

  // Writes output rows [row_begin, row_end) (even numbers) of `out`, a kYuv420p frame of the
  // output size, from the last Prepare. Other rows are left alone.
  void Draw(media::VideoFrame* out, int row_begin, int row_end) const;

  int small_width() const { return small_width_; }
  int small_height() const { return small_height_; }

 private:
  // Bilinear upscaling of one plane (see blur.cc).
  class Plane {
   public:
    Plane() = default;
    Plane(int src_width, int src_height, int dst_width, int dst_height);
    void Prepare(const std::uint8_t* src);
    void Scale(std::uint8_t* dst, int row_begin, int row_end) const;

   private:
    int src_width_ = 0, src_height_ = 0, dst_width_ = 0;
    std::vector<int> x_index_, x_weight_, y_index_, y_weight_;
    std::vector<std::uint8_t> wide_;  // src_height rows of dst_width
  };

  int out_width_, out_height_;
  int small_width_, small_height_;
  media::Scaler scaler_;
  media::VideoFrame small_;
  std::vector<std::uint8_t> scratch_;
  Plane luma_, u_, v_;
};

}  // namespace clipthat::reframe
