// YuvOverlay: coloured alpha masks (what libass renders) flattened into premultiplied YUV 4:2:0
// layers, then blended into frames as often as needed.
//
// Building does the colour conversion (BT.709, limited range) and the compositing once; each
// blend then costs one multiply-add per covered pixel of Y, U and V. Internal to the captions
// module (AssRenderer uses it).
#pragma once

#include <cstdint>
#include <vector>

namespace clipthat::captions::internal {

// One alpha mask painted in one colour. The mask is `width` x `height` bytes (0 = transparent,
// 255 = covered) with rows `stride` bytes apart; its top-left pixel lands at (x, y) of the
// picture (parts outside the picture are ignored). Not owned.
struct ColourMask {
  const std::uint8_t* bitmap = nullptr;
  int stride = 0;
  int x = 0, y = 0, width = 0, height = 0;
  std::uint32_t rgba = 0;  // 0xRRGGBBAA, AA = opacity
};

// Y, U, V of an RGB colour, BT.709 limited range (Y 16..235, U/V 16..240), unrounded.
struct YuvColour {
  double y, u, v;
};
YuvColour Bt709LimitedFromRgb(std::uint32_t rgba);

class YuvOverlay {
 public:
  // An empty overlay for width x height pictures (4:2:0: chroma (width+1)/2 x (height+1)/2).
  YuvOverlay(int width, int height);

  // Replaces the content with `masks` painted in order (first at the back). Masks whose
  // rectangles overlap are composited into one layer; storage is reused between builds.
  void Build(const std::vector<ColourMask>& masks);

  bool empty() const { return layer_count_ == 0; }

  // Blends the overlay over a picture's planes (tightly packed: strides width and
  // (width+1)/2). Luma per pixel; chroma with the mean alpha of each 2x2 block.
  void BlendInto(std::uint8_t* y_plane, std::uint8_t* u_plane, std::uint8_t* v_plane) const;

 private:
  struct Rect {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // half-open
  };
  // One plane of a layer: per pixel a premultiplied value for each channel (0..255*255) and
  // an alpha (0..255); per row the columns [begin, end) that are not transparent.
  struct Plane {
    Rect rect;
    int channels = 1;
    std::vector<std::uint16_t> premul;
    std::vector<std::uint8_t> alpha;
    std::vector<int> row_begin, row_end;
    void Reset(const Rect& r, int channel_count);
  };
  struct Layer {
    Plane luma;    // 1 channel
    Plane chroma;  // 2 channels: U, V
  };
  // Paint one mask (clipped to `r`) over a layer's planes.
  static void PaintLuma(const ColourMask& m, const Rect& r, Plane* plane);
  void PaintChroma(const ColourMask& m, const Rect& r, Plane* plane) const;
  static void BlendPlane(const Plane& plane, int stride, std::uint8_t* first, std::uint8_t* second);

  int width_;
  int height_;
  std::vector<Layer> layers_;  // the first layer_count_ are in use
  int layer_count_ = 0;
};

}  // namespace clipthat::captions::internal
