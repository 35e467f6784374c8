#include "render/center_crop.h"

#include <algorithm>

namespace clipthat::render {

media::CropRect CenterCropRect(int source_width, int source_height, int aspect_width,
                               int aspect_height) {
  media::CropRect r;
  if (source_width <= 0 || source_height <= 0 || aspect_width <= 0 || aspect_height <= 0) {
    return r;
  }
  // 64-bit products: 8K sources times aspect numbers stay well inside range.
  const long long w_for_full_height =
      static_cast<long long>(source_height) * aspect_width / aspect_height;
  if (w_for_full_height <= source_width) {
    r.height = source_height & ~1;
    r.width = std::max(2, static_cast<int>(w_for_full_height) & ~1);
  } else {
    r.width = source_width & ~1;
    r.height = std::max(
        2,
        static_cast<int>(static_cast<long long>(source_width) * aspect_height / aspect_width) & ~1);
    r.height = std::min(r.height, source_height & ~1);
  }
  r.x = ((source_width - r.width) / 2) & ~1;
  r.y = ((source_height - r.height) / 2) & ~1;
  return r;
}

}  // namespace clipthat::render
