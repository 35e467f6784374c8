#include "reframe/crop_keyframes.h"

#include <algorithm>
#include <cmath>

namespace clipthat::reframe {
namespace {

// The centre of a keyframe's rect (a width of 0 means the whole frame).
std::pair<double, double> Centre(const media::CropRect& r, int frame_width, int frame_height) {
  const double w = r.width > 0 ? r.width : frame_width;
  const double h = r.height > 0 ? r.height : frame_height;
  return {r.x + w / 2, r.y + h / 2};
}

int EvenCorner(double centre, int crop, int frame) {
  const int max_corner = std::max(0, (frame - crop) & ~1);
  const long corner = 2 * std::lround((centre - crop / 2.0) / 2.0);
  return std::clamp(static_cast<int>(corner), 0, max_corner);
}

}  // namespace

media::CropRect CropAt(const std::vector<CropKeyframe>& keyframes, TimeMs t_ms, int frame_width,
                       int frame_height, int crop_width, int crop_height) {
  const int cw = std::clamp(crop_width, 1, std::max(1, frame_width));
  const int ch = std::clamp(crop_height, 1, std::max(1, frame_height));
  std::pair<double, double> centre{frame_width / 2.0, frame_height / 2.0};
  if (!keyframes.empty()) {
    std::vector<const CropKeyframe*> sorted;
    sorted.reserve(keyframes.size());
    for (const CropKeyframe& k : keyframes) sorted.push_back(&k);
    std::stable_sort(
        sorted.begin(), sorted.end(),
        [](const CropKeyframe* a, const CropKeyframe* b) { return a->t_ms < b->t_ms; });
    auto next = std::upper_bound(sorted.begin(), sorted.end(), t_ms,
                                 [](TimeMs t, const CropKeyframe* k) { return t < k->t_ms; });
    if (next == sorted.begin()) {
      centre = Centre(sorted.front()->rect, frame_width, frame_height);
    } else if (next == sorted.end()) {
      centre = Centre(sorted.back()->rect, frame_width, frame_height);
    } else {
      const CropKeyframe& a = **(next - 1);
      const CropKeyframe& b = **next;
      const auto ca = Centre(a.rect, frame_width, frame_height);
      const auto cb = Centre(b.rect, frame_width, frame_height);
      const double u = static_cast<double>(t_ms - a.t_ms) / static_cast<double>(b.t_ms - a.t_ms);
      const double s = u * u * (3 - 2 * u);  // smoothstep: starts and ends at rest
      centre = {ca.first + s * (cb.first - ca.first), ca.second + s * (cb.second - ca.second)};
    }
  }
  return media::CropRect{EvenCorner(centre.first, cw, frame_width),
                         EvenCorner(centre.second, ch, frame_height), cw, ch};
}

}  // namespace clipthat::reframe
