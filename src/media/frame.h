// Decoded media in plain, owning buffers: what the rest of ClipThat sees of libav.
#pragma once

#include <cstdint>
#include <vector>

#include "core/time_units.h"

namespace clipthat::media {

enum class PixelFormat {
  kGray8,    // one plane, 1 byte per pixel
  kBgr24,    // one plane, 3 bytes per pixel (OpenCV's order)
  kYuv420p,  // three planes: Y (width x height), U and V ((width+1)/2 x (height+1)/2)
};

// One picture. Planes are tightly packed (stride == bytes per row) one after the other in
// `data`: for kYuv420p, Y then U then V.
struct VideoFrame {
  TimeMs pts_ms = 0;  // presentation time from the start of the media
  int width = 0;
  int height = 0;
  PixelFormat format = PixelFormat::kBgr24;
  bool keyframe = false;
  std::vector<std::uint8_t> data;

  // Bytes needed for a frame of this size and format.
  static std::size_t BufferSize(int width, int height, PixelFormat format);
  // Allocates `data` for width x height in `format` (contents zeroed).
  void Allocate(int w, int h, PixelFormat f);
};

// Interleaved float samples in [-1, 1].
struct AudioBuffer {
  TimeMs start_ms = 0;  // time of the first sample from the start of the media
  int sample_rate_hz = 16000;
  int channels = 1;
  std::vector<float> samples;  // frames * channels values, interleaved

  std::size_t frame_count() const { return channels > 0 ? samples.size() / channels : 0; }
  TimeMs duration_ms() const {
    return sample_rate_hz > 0 ? static_cast<TimeMs>(frame_count() * 1000 / sample_rate_hz) : 0;
  }
};

}  // namespace clipthat::media
