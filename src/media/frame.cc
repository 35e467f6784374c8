#include "media/frame.h"

namespace clipthat::media {

std::size_t VideoFrame::BufferSize(int width, int height, PixelFormat format) {
  if (width <= 0 || height <= 0) return 0;
  const std::size_t w = static_cast<std::size_t>(width);
  const std::size_t h = static_cast<std::size_t>(height);
  switch (format) {
    case PixelFormat::kGray8: return w * h;
    case PixelFormat::kBgr24: return w * h * 3;
    case PixelFormat::kYuv420p: return w * h + 2 * ((w + 1) / 2) * ((h + 1) / 2);
  }
  return 0;
}

void VideoFrame::Allocate(int w, int h, PixelFormat f) {
  width = w;
  height = h;
  format = f;
  data.assign(BufferSize(w, h, f), 0);
}

}  // namespace clipthat::media
