#include "captions/yuv_overlay.h"

#include <algorithm>
#include <cmath>

namespace clipthat::captions::internal {

YuvColour Bt709LimitedFromRgb(std::uint32_t rgba) {
  const double r = rgba >> 24 & 0xFF, g = rgba >> 16 & 0xFF, b = rgba >> 8 & 0xFF;
  const double luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;  // 0..255
  return {16.0 + luma * 219.0 / 255.0, 128.0 + (b - luma) / 1.8556 * 224.0 / 255.0,
          128.0 + (r - luma) / 1.5748 * 224.0 / 255.0};
}

void YuvOverlay::Plane::Reset(const Rect& r, int channel_count) {
  rect = r;
  channels = channel_count;
  const auto w = static_cast<std::size_t>(r.x1 - r.x0), h = static_cast<std::size_t>(r.y1 - r.y0);
  premul.assign(w * h * channels, 0);
  alpha.assign(w * h, 0);
  row_begin.assign(h, static_cast<int>(w));
  row_end.assign(h, 0);
}

YuvOverlay::YuvOverlay(int width, int height) : width_(width), height_(height) {}

void YuvOverlay::Build(const std::vector<ColourMask>& masks) {
  // Clip each mask to the picture; drop the invisible ones.
  struct Item {
    const ColourMask* mask;
    Rect rect;
  };
  std::vector<Item> items;
  for (const ColourMask& m : masks) {
    Rect r{std::max(0, m.x), std::max(0, m.y), std::min(width_, m.x + m.width),
           std::min(height_, m.y + m.height)};
    if (r.x0 >= r.x1 || r.y0 >= r.y1 || (m.rgba & 0xFF) == 0) continue;
    items.push_back({&m, r});
  }
  // Group overlapping masks (repeated merging; a frame has a few dozen masks at most). The
  // rectangles are first widened to even coordinates so groups never share a chroma sample.
  std::vector<Rect> groups;
  std::vector<int> group_of(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    Rect r = items[i].rect;
    r.x0 &= ~1;
    r.y0 &= ~1;
    r.x1 = std::min(width_, r.x1 + (r.x1 & 1));
    r.y1 = std::min(height_, r.y1 + (r.y1 & 1));
    groups.push_back(r);
    group_of[i] = static_cast<int>(i);
  }
  auto overlaps = [](const Rect& a, const Rect& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  };
  for (bool merged = true; merged;) {
    merged = false;
    for (std::size_t i = 0; i < groups.size() && !merged; ++i) {
      for (std::size_t j = i + 1; j < groups.size() && !merged; ++j) {
        if (!overlaps(groups[i], groups[j])) continue;
        groups[i] = {std::min(groups[i].x0, groups[j].x0), std::min(groups[i].y0, groups[j].y0),
                     std::max(groups[i].x1, groups[j].x1), std::max(groups[i].y1, groups[j].y1)};
        groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(j));
        for (int& g : group_of) {
          if (g == static_cast<int>(j)) {
            g = static_cast<int>(i);
          } else if (g > static_cast<int>(j)) {
            --g;
          }
        }
        merged = true;
      }
    }
  }

  layer_count_ = static_cast<int>(groups.size());
  if (layers_.size() < groups.size()) layers_.resize(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    Layer& layer = layers_[g];
    const Rect& luma = groups[g];
    layer.luma.Reset(luma, 1);
    layer.chroma.Reset({luma.x0 / 2, luma.y0 / 2, (luma.x1 + 1) / 2, (luma.y1 + 1) / 2}, 2);
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ColourMask& m = *items[i].mask;
    Layer& layer = layers_[static_cast<std::size_t>(group_of[i])];
    PaintLuma(m, items[i].rect, &layer.luma);
    PaintChroma(m, items[i].rect, &layer.chroma);
  }
}

// value' = a*C + (1-a)*value, alpha' = a + (1-a)*alpha, with a, alpha in 0..255 and values
// premultiplied in 0..255*255.
void YuvOverlay::PaintLuma(const ColourMask& m, const Rect& r, Plane* plane) {
  const unsigned colour = static_cast<unsigned>(std::lround(Bt709LimitedFromRgb(m.rgba).y)) * 255;
  const unsigned opacity = m.rgba & 0xFF;
  const int plane_width = plane->rect.x1 - plane->rect.x0;
  for (int y = r.y0; y < r.y1; ++y) {
    const std::uint8_t* src = m.bitmap + static_cast<std::size_t>(y - m.y) * m.stride;
    const int row = y - plane->rect.y0;
    const std::size_t base = static_cast<std::size_t>(row) * plane_width;
    std::uint16_t* premul = plane->premul.data() + base;
    std::uint8_t* alpha = plane->alpha.data() + base;
    const int px = plane->rect.x0;
    int first = r.x1, last = r.x0 - 1;
    for (int x = r.x0; x < r.x1; ++x) {
      const unsigned coverage = src[x - m.x];
      if (coverage == 0) continue;
      const unsigned a = opacity == 255 ? coverage : (coverage * opacity + 127) / 255;
      const unsigned keep = 255 - a;
      premul[x - px] = static_cast<std::uint16_t>((a * colour + keep * premul[x - px] + 127) / 255);
      alpha[x - px] = static_cast<std::uint8_t>(a + (keep * alpha[x - px] + 127) / 255);
      first = std::min(first, x);
      last = x;
    }
    if (first <= last) {
      plane->row_begin[row] = std::min(plane->row_begin[row], first - plane->rect.x0);
      plane->row_end[row] = std::max(plane->row_end[row], last + 1 - plane->rect.x0);
    }
  }
}

// Chroma: each sample takes the mean coverage of the luma pixels (inside the picture) of its
// 2x2 block.
void YuvOverlay::PaintChroma(const ColourMask& m, const Rect& r, Plane* plane) const {
  const YuvColour yuv = Bt709LimitedFromRgb(m.rgba);
  const unsigned u_colour = static_cast<unsigned>(std::lround(yuv.u)) * 255;
  const unsigned v_colour = static_cast<unsigned>(std::lround(yuv.v)) * 255;
  const unsigned opacity = m.rgba & 0xFF;
  const int plane_width = plane->rect.x1 - plane->rect.x0;
  const int cx0 = r.x0 / 2, cx1 = (r.x1 + 1) / 2;
  for (int cy = r.y0 / 2; cy < (r.y1 + 1) / 2; ++cy) {
    // The mask's rows for luma rows 2cy and 2cy+1, or null where the mask has none.
    const std::uint8_t* rows[2];
    for (int d = 0; d < 2; ++d) {
      const int y = 2 * cy + d;
      rows[d] =
          y >= r.y0 && y < r.y1 ? m.bitmap + static_cast<std::size_t>(y - m.y) * m.stride : nullptr;
    }
    const unsigned rows_in_picture = 2 * cy + 1 < height_ ? 2 : 1;
    const int row = cy - plane->rect.y0;
    const std::size_t base = static_cast<std::size_t>(row) * plane_width;
    std::uint16_t* premul = plane->premul.data() + 2 * base;
    std::uint8_t* alpha = plane->alpha.data() + base;
    const int pcx = plane->rect.x0;
    int first = cx1, last = cx0 - 1;
    for (int cx = cx0; cx < cx1; ++cx) {
      const int x = 2 * cx;
      unsigned sum = 0;
      for (const std::uint8_t* src : rows) {
        if (src == nullptr) continue;
        if (x >= r.x0) sum += src[x - m.x];
        if (x + 1 < r.x1) sum += src[x + 1 - m.x];
      }
      if (sum == 0) continue;
      const unsigned count = (x + 1 < width_ ? 2 : 1) * rows_in_picture;
      const unsigned a = (sum * opacity + count * 255 / 2) / (count * 255);
      if (a == 0) continue;
      const unsigned keep = 255 - a;
      const int i = cx - pcx;
      premul[2 * i] = static_cast<std::uint16_t>((a * u_colour + keep * premul[2 * i] + 127) / 255);
      premul[2 * i + 1] =
          static_cast<std::uint16_t>((a * v_colour + keep * premul[2 * i + 1] + 127) / 255);
      alpha[i] = static_cast<std::uint8_t>(a + (keep * alpha[i] + 127) / 255);
      first = std::min(first, cx);
      last = cx;
    }
    if (first <= last) {
      plane->row_begin[row] = std::min(plane->row_begin[row], first - plane->rect.x0);
      plane->row_end[row] = std::max(plane->row_end[row], last + 1 - plane->rect.x0);
    }
  }
}

void YuvOverlay::BlendPlane(const Plane& plane, int stride, std::uint8_t* first,
                            std::uint8_t* second) {
  const int w = plane.rect.x1 - plane.rect.x0;
  for (int row = 0; row < plane.rect.y1 - plane.rect.y0; ++row) {
    const int begin = plane.row_begin[row], end = plane.row_end[row];
    if (begin >= end) continue;
    const std::size_t base = static_cast<std::size_t>(row) * w;
    const std::size_t out = static_cast<std::size_t>(plane.rect.y0 + row) * stride + plane.rect.x0;
    const std::uint8_t* alpha = plane.alpha.data() + base;
    const std::uint16_t* premul = plane.premul.data() + base * plane.channels;
    if (plane.channels == 1) {
      std::uint8_t* dst = first + out;
      for (int x = begin; x < end; ++x) {
        const unsigned keep = 255u - alpha[x];
        dst[x] = static_cast<std::uint8_t>((premul[x] + keep * dst[x] + 127) / 255);
      }
    } else {
      std::uint8_t* dst_u = first + out;
      std::uint8_t* dst_v = second + out;
      for (int x = begin; x < end; ++x) {
        const unsigned keep = 255u - alpha[x];
        dst_u[x] = static_cast<std::uint8_t>((premul[2 * x] + keep * dst_u[x] + 127) / 255);
        dst_v[x] = static_cast<std::uint8_t>((premul[2 * x + 1] + keep * dst_v[x] + 127) / 255);
      }
    }
  }
}

void YuvOverlay::BlendInto(std::uint8_t* y_plane, std::uint8_t* u_plane,
                           std::uint8_t* v_plane) const {
  const int chroma_width = (width_ + 1) / 2;
  for (int i = 0; i < layer_count_; ++i) {
    BlendPlane(layers_[i].luma, width_, y_plane, nullptr);
    BlendPlane(layers_[i].chroma, chroma_width, u_plane, v_plane);
  }
}

}  // namespace clipthat::captions::internal
