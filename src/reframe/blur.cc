#include "reframe/blur.h"

#include <algorithm>
#include <cmath>

namespace clipthat::reframe {
namespace {

using media::PixelFormat;
using media::VideoFrame;

constexpr int kShrink = 24;            // the small picture is 1/kShrink of the output size
constexpr int kBlurPasses = 3;         // [1 2 1] passes each way on the small picture
constexpr double kDarkenLuma = 0.55;   // luma gain above black (16)
constexpr double kDarkenChroma = 0.8;  // saturation gain

int EvenRound(double v) { return static_cast<int>(std::lround(v / 2.0)) * 2; }

// One [1 2 1]/4 pass along rows and one along columns of a width x height plane, edges clamped.
void Blur121(std::uint8_t* plane, int width, int height, std::vector<std::uint8_t>* scratch) {
  scratch->resize(static_cast<std::size_t>(width) * height);
  std::uint8_t* tmp = scratch->data();
  for (int y = 0; y < height; ++y) {
    const std::uint8_t* row = plane + static_cast<std::size_t>(y) * width;
    std::uint8_t* out = tmp + static_cast<std::size_t>(y) * width;
    for (int x = 0; x < width; ++x) {
      const int l = row[std::max(0, x - 1)], r = row[std::min(width - 1, x + 1)];
      out[x] = static_cast<std::uint8_t>((l + 2 * row[x] + r + 2) >> 2);
    }
  }
  for (int y = 0; y < height; ++y) {
    const std::uint8_t* up = tmp + static_cast<std::size_t>(std::max(0, y - 1)) * width;
    const std::uint8_t* mid = tmp + static_cast<std::size_t>(y) * width;
    const std::uint8_t* down = tmp + static_cast<std::size_t>(std::min(height - 1, y + 1)) * width;
    std::uint8_t* out = plane + static_cast<std::size_t>(y) * width;
    for (int x = 0; x < width; ++x) {
      out[x] = static_cast<std::uint8_t>((up[x] + 2 * mid[x] + down[x] + 2) >> 2);
    }
  }
}

// Blurs and darkens a small kYuv420p picture in place.
void BlurAndDarken(VideoFrame* small, std::vector<std::uint8_t>* scratch) {
  const int w = small->width, h = small->height, cw = (w + 1) / 2, ch = (h + 1) / 2;
  std::uint8_t* y_plane = small->data.data();
  std::uint8_t* u_plane = y_plane + static_cast<std::size_t>(w) * h;
  std::uint8_t* v_plane = u_plane + static_cast<std::size_t>(cw) * ch;
  for (int pass = 0; pass < kBlurPasses; ++pass) {
    Blur121(y_plane, w, h, scratch);
    Blur121(u_plane, cw, ch, scratch);
    Blur121(v_plane, cw, ch, scratch);
  }
  for (std::size_t i = 0, n = static_cast<std::size_t>(w) * h; i < n; ++i) {
    y_plane[i] =
        static_cast<std::uint8_t>(16 + std::lround(std::max(0, y_plane[i] - 16) * kDarkenLuma));
  }
  for (std::size_t i = 0, n = static_cast<std::size_t>(cw) * ch * 2; i < n; ++i) {
    u_plane[i] = static_cast<std::uint8_t>(128 + std::lround((u_plane[i] - 128) * kDarkenChroma));
  }
}

// Source index and weight (0..256) of the next one for destination position `d`, pixel
// centres aligned.
void Tap(int d, int src_size, int dst_size, int* index, int* weight) {
  const double s = std::clamp((d + 0.5) * src_size / dst_size - 0.5, 0.0, src_size - 1.0);
  *index = static_cast<int>(s);
  *weight = static_cast<int>(std::lround((s - *index) * 256));
}

}  // namespace

BlurredBackground::BlurredBackground(int out_width, int out_height)
    : out_width_(out_width),
      out_height_(out_height),
      small_width_(std::max(8, EvenRound(static_cast<double>(out_width) / kShrink))),
      small_height_(std::max(8, EvenRound(static_cast<double>(out_height) / kShrink))),
      luma_(small_width_, small_height_, out_width, out_height),
      u_(small_width_ / 2, small_height_ / 2, out_width / 2, out_height / 2),
      v_(u_) {}

Status BlurredBackground::Prepare(const VideoFrame& source, const media::CropRect& region) {
  RETURN_IF_ERROR(
      scaler_.Convert(source, region, small_width_, small_height_, PixelFormat::kYuv420p, &small_));
  BlurAndDarken(&small_, &scratch_);
  const std::size_t luma = static_cast<std::size_t>(small_width_) * small_height_;
  const std::uint8_t* small = small_.data.data();
  luma_.Prepare(small);
  u_.Prepare(small + luma);
  v_.Prepare(small + luma + luma / 4);
  return Status::Ok();
}

void BlurredBackground::Draw(VideoFrame* out, int row_begin, int row_end) const {
  if (out == nullptr || out->format != PixelFormat::kYuv420p || out->width != out_width_ ||
      out->height != out_height_ || small_.data.empty()) {
    return;
  }
  row_begin = std::clamp(row_begin & ~1, 0, out_height_);
  row_end = std::clamp(row_end & ~1, row_begin, out_height_);
  const std::size_t luma = static_cast<std::size_t>(out_width_) * out_height_;
  std::uint8_t* y_plane = out->data.data();
  luma_.Scale(y_plane, row_begin, row_end);
  u_.Scale(y_plane + luma, row_begin / 2, row_end / 2);
  v_.Scale(y_plane + luma + luma / 4, row_begin / 2, row_end / 2);
}

BlurredBackground::Plane::Plane(int src_width, int src_height, int dst_width, int dst_height)
    : src_width_(src_width), src_height_(src_height), dst_width_(dst_width) {
  x_index_.resize(dst_width);
  x_weight_.resize(dst_width);
  for (int x = 0; x < dst_width; ++x) Tap(x, src_width, dst_width, &x_index_[x], &x_weight_[x]);
  y_index_.resize(dst_height);
  y_weight_.resize(dst_height);
  for (int y = 0; y < dst_height; ++y) {
    Tap(y, src_height, dst_height, &y_index_[y], &y_weight_[y]);
  }
  wide_.resize(static_cast<std::size_t>(src_height) * dst_width);
}

// Widens every row of `src` (src_width x src_height) to the destination width: only the few
// source rows, so each output row is then a straight blend of two wide rows, which the
// compiler vectorises.
void BlurredBackground::Plane::Prepare(const std::uint8_t* src) {
  const int last = src_width_ - 1;
  for (int y = 0; y < src_height_; ++y) {
    const std::uint8_t* in = src + static_cast<std::size_t>(y) * src_width_;
    std::uint8_t* out = wide_.data() + static_cast<std::size_t>(y) * dst_width_;
    for (int x = 0; x < dst_width_; ++x) {
      const int i = x_index_[x], w = x_weight_[x];
      out[x] =
          static_cast<std::uint8_t>((in[i] * (256 - w) + in[std::min(i + 1, last)] * w + 128) >> 8);
    }
  }
}

void BlurredBackground::Plane::Scale(std::uint8_t* dst, int row_begin, int row_end) const {
  const int width = dst_width_;
  for (int y = row_begin; y < row_end; ++y) {
    const int index = y_index_[y];
    const std::uint8_t* a = wide_.data() + static_cast<std::size_t>(index) * width;
    const std::uint8_t* b =
        wide_.data() + static_cast<std::size_t>(std::min(index + 1, src_height_ - 1)) * width;
    const std::uint16_t wb = static_cast<std::uint16_t>(y_weight_[y]);
    const std::uint16_t wa = static_cast<std::uint16_t>(256 - wb);
    std::uint8_t* out = dst + static_cast<std::size_t>(y) * width;
    for (int x = 0; x < width; ++x) {
      out[x] = static_cast<std::uint8_t>((a[x] * wa + b[x] * wb + 128) >> 8);
    }
  }
}

}  // namespace clipthat::reframe
