#include "render/logo_overlay.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <system_error>

namespace clipthat::render {
namespace {

std::uint8_t ToByte(double v) {
  return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

// x / 255 rounded, exact for x in 0..65025.
inline int Div255(int x) { return ((x + 128) * 257) >> 16; }

// The image as 4-channel float BGRA in 0..1, alpha premultiplied into the colours.
cv::Mat PremultipliedBgra(const cv::Mat& image) {
  cv::Mat bgra;
  switch (image.channels()) {
    case 1: cv::cvtColor(image, bgra, cv::COLOR_GRAY2BGRA); break;
    case 2: {  // gray + alpha
      std::vector<cv::Mat> parts;
      cv::split(image, parts);
      cv::merge(std::vector<cv::Mat>{parts[0], parts[0], parts[0], parts[1]}, bgra);
      break;
    }
    case 3: cv::cvtColor(image, bgra, cv::COLOR_BGR2BGRA); break;
    default: bgra = image; break;
  }
  const double scale = image.depth() == CV_16U  ? 1.0 / 65535
                       : image.depth() == CV_8U ? 1.0 / 255
                                                : 1.0;
  cv::Mat f;
  bgra.convertTo(f, CV_32FC4, scale);
  for (int y = 0; y < f.rows; ++y) {
    cv::Vec4f* row = f.ptr<cv::Vec4f>(y);
    for (int x = 0; x < f.cols; ++x) {
      const float a = std::clamp(row[x][3], 0.0f, 1.0f);
      row[x] = cv::Vec4f(row[x][0] * a, row[x][1] * a, row[x][2] * a, a);
    }
  }
  return f;
}

}  // namespace

Result<LogoOverlay> LogoOverlay::Load(const formats::LogoSpec& spec, int out_width,
                                      int out_height) {
  if (out_width <= 0 || out_height <= 0) {
    return InvalidArgumentError("logo: empty output size");
  }
  if (!(spec.width_fraction > 0 && spec.width_fraction <= 1)) {
    return InvalidArgumentError("logo.width_fraction: " + std::to_string(spec.width_fraction) +
                                " is outside 0..1");
  }
  if (!(spec.opacity >= 0 && spec.opacity <= 1)) {
    return InvalidArgumentError("logo.opacity: " + std::to_string(spec.opacity) +
                                " is outside 0..1");
  }
  const std::string& position = spec.position;
  const auto& positions = formats::LogoPositions();
  if (std::find(positions.begin(), positions.end(), position) == positions.end()) {
    return InvalidArgumentError("logo.position: unknown position \"" + position + "\"");
  }
  Result<formats::ImageSize> size = formats::CheckLogoImage(spec.path);
  if (!size.ok()) return size.status().WithPrefix("logo.path");
  cv::Mat image;
  try {
    image = cv::imread(spec.path, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception&) {
    image = cv::Mat();
  }
  if (image.empty() || image.channels() > 4) {
    return DataError("logo.path: " + spec.path + " is not an image");  // changed since checked
  }
  const formats::LogoRect at = formats::LogoPlacement(spec, *size, out_width, out_height);
  const int x = at.x, y = at.y, width = at.width, height = at.height;

  // Premultiply before resizing, so transparent pixels' colours do not bleed into the edges.
  cv::Mat premultiplied = PremultipliedBgra(image);
  cv::Mat scaled;
  cv::resize(premultiplied, scaled, cv::Size(width, height), 0, 0,
             width < image.cols ? cv::INTER_AREA : cv::INTER_CUBIC);

  LogoOverlay logo;
  logo.out_width_ = out_width;
  logo.out_height_ = out_height;
  logo.placement_ = {x, y, width, height};
  const int cw = width / 2, ch = height / 2;
  logo.y_premul_.resize(static_cast<std::size_t>(width) * height);
  logo.alpha_.resize(logo.y_premul_.size());
  logo.u_premul_.assign(static_cast<std::size_t>(cw) * ch, 0);
  logo.v_premul_.assign(logo.u_premul_.size(), 0);
  logo.alpha_chroma_.assign(logo.u_premul_.size(), 0);
  std::vector<double> u_sum(logo.u_premul_.size()), v_sum(u_sum.size()), a_sum(u_sum.size());
  const double opacity = spec.opacity;
  for (int row = 0; row < height; ++row) {
    const cv::Vec4f* px = scaled.ptr<cv::Vec4f>(row);
    for (int col = 0; col < width; ++col) {
      // Premultiplied BT.601 limited range: every term carries the pixel's alpha.
      const double a = std::clamp<double>(px[col][3], 0, 1) * opacity;
      const double b = px[col][0] * 255 * opacity, g = px[col][1] * 255 * opacity,
                   r = px[col][2] * 255 * opacity;
      const double yp = 16 * a + 0.257 * r + 0.504 * g + 0.098 * b;
      const double up = 128 * a - 0.148 * r - 0.291 * g + 0.439 * b;
      const double vp = 128 * a + 0.439 * r - 0.368 * g - 0.071 * b;
      const std::size_t i = static_cast<std::size_t>(row) * width + col;
      logo.y_premul_[i] = ToByte(yp);
      logo.alpha_[i] = ToByte(a * 255);
      const std::size_t c = static_cast<std::size_t>(row / 2) * cw + col / 2;
      u_sum[c] += up;
      v_sum[c] += vp;
      a_sum[c] += a * 255;
    }
  }
  for (std::size_t c = 0; c < u_sum.size(); ++c) {
    logo.u_premul_[c] = ToByte(u_sum[c] / 4);
    logo.v_premul_[c] = ToByte(v_sum[c] / 4);
    logo.alpha_chroma_[c] = ToByte(a_sum[c] / 4);
  }
  return logo;
}

void LogoOverlay::Blend(media::VideoFrame* frame) const {
  if (frame == nullptr || frame->format != media::PixelFormat::kYuv420p ||
      frame->width != out_width_ || frame->height != out_height_ ||
      frame->data.size() <
          media::VideoFrame::BufferSize(out_width_, out_height_, media::PixelFormat::kYuv420p)) {
    return;
  }
  const media::CropRect& p = placement_;
  std::uint8_t* luma = frame->data.data();
  for (int row = 0; row < p.height; ++row) {
    std::uint8_t* dst = luma + static_cast<std::size_t>(p.y + row) * out_width_ + p.x;
    const std::uint8_t* src = y_premul_.data() + static_cast<std::size_t>(row) * p.width;
    const std::uint8_t* a = alpha_.data() + static_cast<std::size_t>(row) * p.width;
    for (int col = 0; col < p.width; ++col) {
      dst[col] =
          static_cast<std::uint8_t>(std::min(255, src[col] + Div255(dst[col] * (255 - a[col]))));
    }
  }
  const int ocw = (out_width_ + 1) / 2, och = (out_height_ + 1) / 2;
  const int cw = p.width / 2, ch = p.height / 2;
  std::uint8_t* planes[2] = {luma + static_cast<std::size_t>(out_width_) * out_height_, nullptr};
  planes[1] = planes[0] + static_cast<std::size_t>(ocw) * och;
  const std::vector<std::uint8_t>* premul[2] = {&u_premul_, &v_premul_};
  for (int plane = 0; plane < 2; ++plane) {
    for (int row = 0; row < ch; ++row) {
      std::uint8_t* dst = planes[plane] + static_cast<std::size_t>(p.y / 2 + row) * ocw + p.x / 2;
      const std::uint8_t* src = premul[plane]->data() + static_cast<std::size_t>(row) * cw;
      const std::uint8_t* a = alpha_chroma_.data() + static_cast<std::size_t>(row) * cw;
      for (int col = 0; col < cw; ++col) {
        dst[col] =
            static_cast<std::uint8_t>(std::min(255, src[col] + Div255(dst[col] * (255 - a[col]))));
      }
    }
  }
}

}  // namespace clipthat::render
