#include "media/scaler.h"

#include <algorithm>
#include <string>

#include "media/av_error.h"

namespace clipthat::media {

struct Scaler::Impl {
  SwsConverter converter;
};

Scaler::Scaler() : impl_(std::make_unique<Impl>()) {}
Scaler::Scaler(Scaler&&) noexcept = default;
Scaler& Scaler::operator=(Scaler&&) noexcept = default;
Scaler::~Scaler() = default;

Status Scaler::Convert(const VideoFrame& in, const CropRect& crop, int out_width, int out_height,
                       PixelFormat out_format, VideoFrame* out) {
  if (in.width <= 0 || in.height <= 0 ||
      in.data.size() < VideoFrame::BufferSize(in.width, in.height, in.format)) {
    return InvalidArgumentError("scale: input frame " + std::to_string(in.width) + "x" +
                                std::to_string(in.height) + " has no picture data");
  }
  if (out == nullptr) return InvalidArgumentError("scale: no output frame");
  if (!impl_) impl_ = std::make_unique<Impl>();  // a moved-from Scaler stays usable

  int x = std::clamp(crop.x, 0, in.width - 1);
  int y = std::clamp(crop.y, 0, in.height - 1);
  if (in.format == PixelFormat::kYuv420p) {
    // Chroma is sampled per 2x2 block: an odd origin would shift it half a pixel.
    x &= ~1;
    y &= ~1;
  }
  const int w = crop.width > 0 ? std::min(crop.width, in.width - x) : in.width - x;
  const int h = crop.height > 0 ? std::min(crop.height, in.height - y) : in.height - y;
  if (out_width <= 0) out_width = w;
  if (out_height <= 0) out_height = h;

  const std::uint8_t* base = in.data.data();
  const std::uint8_t* planes[4] = {nullptr, nullptr, nullptr, nullptr};
  int strides[4] = {0, 0, 0, 0};
  switch (in.format) {
    case PixelFormat::kGray8:
      strides[0] = in.width;
      planes[0] = base + static_cast<std::size_t>(y) * strides[0] + x;
      break;
    case PixelFormat::kBgr24:
      strides[0] = in.width * 3;
      planes[0] = base + static_cast<std::size_t>(y) * strides[0] + x * 3;
      break;
    case PixelFormat::kYuv420p: {
      const int cw = (in.width + 1) / 2, ch = (in.height + 1) / 2;
      const std::uint8_t* u = base + static_cast<std::size_t>(in.width) * in.height;
      const std::uint8_t* v = u + static_cast<std::size_t>(cw) * ch;
      strides[0] = in.width;
      strides[1] = strides[2] = cw;
      planes[0] = base + static_cast<std::size_t>(y) * in.width + x;
      planes[1] = u + static_cast<std::size_t>(y / 2) * cw + x / 2;
      planes[2] = v + static_cast<std::size_t>(y / 2) * cw + x / 2;
      break;
    }
  }

  // Converting in place would free the source before it is read.
  VideoFrame scratch;
  VideoFrame* target = (out == &in) ? &scratch : out;
  RETURN_IF_ERROR(impl_->converter.Convert(planes, strides, w, h, ToAvPixelFormat(in.format),
                                           out_width, out_height, out_format, target));
  target->pts_ms = in.pts_ms;
  target->keyframe = in.keyframe;
  if (target != out) *out = std::move(scratch);
  return Status::Ok();
}

}  // namespace clipthat::media
