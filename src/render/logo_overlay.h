// LogoOverlay: a brand logo blended onto every output frame.
//
// The image is prepared once (scaled, converted to premultiplied Y/U/V planes with an alpha
// plane per resolution, opacity folded in), so blending a frame is a few integer operations
// per covered pixel and nothing outside the logo's rectangle is touched.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "formats/brand_template.h"
#include "media/frame.h"
#include "media/scaler.h"

namespace clipthat::render {

class LogoOverlay {
 public:
  // Loads spec.path (cv::imread IMREAD_UNCHANGED: gray, BGR or BGRA, 8 or 16 bit), scales it
  // to spec.width_fraction of out_width (even size, aspect kept) and places it at
  // spec.position with spec.margin_px. Errors name the field: NotFound
  // "logo.path: /x/logo.png: no such file", DataError "logo.path: /x/logo.png is not an
  // image", InvalidArgument for an unknown position, an opacity outside 0..1, a width_fraction
  // outside 0..1, or a logo that does not fit the frame at its position and margin.
  static Result<LogoOverlay> Load(const formats::LogoSpec& spec, int out_width, int out_height);

  // Blends the logo onto `frame` (kYuv420p, out_width x out_height given to Load) in place.
  // Frames of another size or format are left alone.
  void Blend(media::VideoFrame* frame) const;

  // Where the logo lands, in output pixels (even x, y, width and height).
  media::CropRect placement() const { return placement_; }

 private:
  LogoOverlay() = default;

  int out_width_ = 0, out_height_ = 0;
  media::CropRect placement_;
  // Luma resolution (placement size): premultiplied Y and alpha (0..255, opacity included).
  std::vector<std::uint8_t> y_premul_, alpha_;
  // Chroma resolution (half size): premultiplied U, V and the 2x2-averaged alpha.
  std::vector<std::uint8_t> u_premul_, v_premul_, alpha_chroma_;
};

}  // namespace clipthat::render
