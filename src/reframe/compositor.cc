#include "reframe/compositor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>

#include "reframe/blur.h"

namespace clipthat::reframe {
namespace {

using media::CropRect;
using media::PixelFormat;
using media::VideoFrame;

int EvenRound(double v) { return static_cast<int>(std::lround(v / 2.0)) * 2; }

std::string RectText(const CropRect& r) {
  return std::to_string(r.x) + "," + std::to_string(r.y) + " " + std::to_string(r.width) + "x" +
         std::to_string(r.height);
}

Status CheckRegion(const CropRect& r, int width, int height, std::string_view field) {
  if (r.width <= 0 || r.height <= 0) {
    return InvalidArgumentError(std::string(field) + " " + RectText(r) + " is empty");
  }
  if (r.x < 0 || r.y < 0 || r.x + r.width > width || r.y + r.height > height) {
    return InvalidArgumentError(std::string(field) + " " + RectText(r) + " is outside the " +
                                std::to_string(width) + "x" + std::to_string(height) + " frame");
  }
  return Status::Ok();
}

// The largest centred part of `r` with the aspect panel_width:panel_height, even throughout.
CropRect TrimToAspect(const CropRect& r, int panel_width, int panel_height) {
  CropRect out = r;
  const double aspect = static_cast<double>(panel_width) / panel_height;
  if (static_cast<double>(r.width) / r.height > aspect) {
    out.width = std::max(2, std::min(r.width & ~1, EvenRound(r.height * aspect)));
  } else {
    out.height = std::max(2, std::min(r.height & ~1, EvenRound(r.width / aspect)));
  }
  out.x = (r.x + (r.width - out.width) / 2) & ~1;
  out.y = (r.y + (r.height - out.height) / 2) & ~1;
  return out;
}

CropRect CentredFillCrop(int source_width, int source_height, int out_width, int out_height) {
  const auto [w, h] = FillCropSize(source_width, source_height, out_width, out_height);
  return {((source_width - w) / 2) & ~1, ((source_height - h) / 2) & ~1, w, h};
}

// Copies `panel` (kYuv420p) into `out` (kYuv420p) with its top-left corner at (x, y), both even.
void CopyPanel(const VideoFrame& panel, int x, int y, VideoFrame* out) {
  const int pw = panel.width, ph = panel.height;
  const int ow = out->width, oh = out->height;
  const int pcw = (pw + 1) / 2, pch = (ph + 1) / 2, ocw = (ow + 1) / 2, och = (oh + 1) / 2;
  const std::uint8_t* src = panel.data.data();
  std::uint8_t* dst = out->data.data();
  for (int row = 0; row < ph; ++row) {
    std::memcpy(dst + static_cast<std::size_t>(y + row) * ow + x,
                src + static_cast<std::size_t>(row) * pw, pw);
  }
  const std::uint8_t* src_chroma = src + static_cast<std::size_t>(pw) * ph;
  std::uint8_t* dst_chroma = dst + static_cast<std::size_t>(ow) * oh;
  for (int plane = 0; plane < 2; ++plane) {
    const std::uint8_t* s = src_chroma + static_cast<std::size_t>(plane) * pcw * pch;
    std::uint8_t* d = dst_chroma + static_cast<std::size_t>(plane) * ocw * och;
    for (int row = 0; row < pch; ++row) {
      std::memcpy(d + static_cast<std::size_t>(y / 2 + row) * ocw + x / 2,
                  s + static_cast<std::size_t>(row) * pcw, pcw);
    }
  }
}

bool Overlaps(const CropRect& a, const CropRect& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

// The default gameplay region: the centre of the frame, of the bottom panel's aspect, full
// height. When that would show part of the facecam (the streamer a second time), the largest
// region of that aspect clear of the facecam (kept out with a small margin, as a found camera
// frame may sit a pixel inside the real one) in the part of the frame left, right, above or
// below it, as near the frame's centre as that part allows.
CropRect GameplayClearOf(const CropRect& facecam, int sw, int sh, int panel_w, int panel_h) {
  const CropRect centred = CentredFillCrop(sw, sh, panel_w, panel_h);
  const int pad = std::max(2, sw / 200);
  const int kx0 = std::max(0, facecam.x - pad), ky0 = std::max(0, facecam.y - pad);
  const int kx1 = std::min(sw, facecam.x + facecam.width + pad);
  const int ky1 = std::min(sh, facecam.y + facecam.height + pad);
  const CropRect keep_out{kx0, ky0, kx1 - kx0, ky1 - ky0};
  if (!Overlaps(centred, keep_out)) return centred;
  const double aspect = static_cast<double>(panel_w) / panel_h;
  // The parts of the frame beside the facecam: [x0, x1) x [y0, y1).
  const int parts[4][4] = {{0, kx0, 0, sh}, {kx1, sw, 0, sh}, {0, sw, 0, ky0}, {0, sw, ky1, sh}};
  CropRect best{};
  double best_distance = 0;
  for (const auto& p : parts) {
    const int x0 = (p[0] + 1) & ~1, y0 = (p[2] + 1) & ~1;  // even, inside the part
    const int pw = (p[1] - x0) & ~1, ph = (p[3] - y0) & ~1;
    if (pw < 2 || ph < 2) continue;
    int w = std::min(pw, static_cast<int>(ph * aspect) & ~1);
    int h = std::min(ph, static_cast<int>(w / aspect) & ~1);
    if (w < 2 || h < 2) continue;
    CropRect r{0, 0, w, h};
    r.x = std::clamp((sw - w) / 2, x0, x0 + pw - w) & ~1;
    r.y = std::clamp((sh - h) / 2, y0, y0 + ph - h) & ~1;
    r.x = std::max(r.x, x0);
    r.y = std::max(r.y, y0);
    const double distance = std::hypot(r.x + w / 2.0 - sw / 2.0, r.y + h / 2.0 - sh / 2.0);
    const long area = static_cast<long>(w) * h,
               best_area = static_cast<long>(best.width) * best.height;
    if (area > best_area * 1.02 || (area * 1.02 >= best_area && distance < best_distance)) {
      best = r;
      best_distance = distance;
    }
  }
  // A facecam covering the whole frame leaves nothing clear: the centre, then.
  return best.width > 0 ? best : centred;
}

void EnsureAllocated(int width, int height, VideoFrame* out) {
  if (out->width != width || out->height != height || out->format != PixelFormat::kYuv420p ||
      out->data.size() != VideoFrame::BufferSize(width, height, PixelFormat::kYuv420p)) {
    out->Allocate(width, height, PixelFormat::kYuv420p);
  }
}

}  // namespace

std::pair<int, int> FillCropSize(int source_width, int source_height, int out_width,
                                 int out_height) {
  if (source_width <= 0 || source_height <= 0 || out_width <= 0 || out_height <= 0) {
    return {0, 0};
  }
  const double aspect = static_cast<double>(out_width) / out_height;
  int w = EvenRound(source_height * aspect);
  int h = source_height & ~1;
  if (w > source_width) {  // narrower than the aspect: full width, trimmed top and bottom
    w = source_width & ~1;
    h = std::min(source_height & ~1, EvenRound(source_width / aspect));
  }
  return {std::max(2, w), std::max(2, h)};
}

struct Compositor::Impl {
  CompositorOptions options;
  std::vector<CropRect> panels;
  // kFill: the whole output; kSplit: top (facecam).
  media::Scaler main_scaler;
  // kSplit: the bottom panel; kFit: the middle band.
  media::Scaler second_scaler;
  CropRect facecam_source, gameplay_source;     // kSplit, trimmed to the panels
  CropRect background_source;                   // kFit: the centre fill crop
  std::optional<BlurredBackground> background;  // kFit
  VideoFrame first_buffer, second_buffer;
};

Compositor::Compositor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Compositor::Compositor(Compositor&&) noexcept = default;
Compositor& Compositor::operator=(Compositor&&) noexcept = default;
Compositor::~Compositor() = default;

Result<Compositor> Compositor::Create(const CompositorOptions& options) {
  const int sw = options.source_width, sh = options.source_height;
  const int ow = options.out_width, oh = options.out_height;
  if (sw <= 0 || sh <= 0) {
    return InvalidArgumentError("compositor: empty source size " + std::to_string(sw) + "x" +
                                std::to_string(sh));
  }
  if (ow <= 0 || oh <= 0 || ow % 2 != 0 || oh % 2 != 0) {
    return InvalidArgumentError("compositor: output size " + std::to_string(ow) + "x" +
                                std::to_string(oh) + " must be positive and even");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  switch (options.layout) {
    case Layout::kFill: impl->panels = {{0, 0, ow, oh}}; break;
    case Layout::kSplit: {
      const SplitParams& split = options.split;
      if (!(split.top_fraction >= 0.15 && split.top_fraction <= 0.6)) {
        return InvalidArgumentError("split.top_fraction " + std::to_string(split.top_fraction) +
                                    " is outside 0.15..0.6");
      }
      RETURN_IF_ERROR(CheckRegion(split.facecam, sw, sh, "split.facecam"));
      const int top_height = EvenRound(oh * split.top_fraction);
      const int bottom_height = oh - top_height;
      impl->panels = {{0, 0, ow, top_height}, {0, top_height, ow, bottom_height}};
      impl->facecam_source = TrimToAspect(split.facecam, ow, top_height);
      if (split.gameplay.width == 0 && split.gameplay.height == 0) {
        impl->gameplay_source = GameplayClearOf(split.facecam, sw, sh, ow, bottom_height);
      } else {
        RETURN_IF_ERROR(CheckRegion(split.gameplay, sw, sh, "split.gameplay"));
        impl->gameplay_source = TrimToAspect(split.gameplay, ow, bottom_height);
      }
      break;
    }
    case Layout::kFit: {
      const double scale = std::min(static_cast<double>(ow) / sw, static_cast<double>(oh) / sh);
      const int band_width = std::clamp(EvenRound(sw * scale), 2, ow);
      const int band_height = std::clamp(EvenRound(sh * scale), 2, oh);
      const CropRect band{((ow - band_width) / 2) & ~1, ((oh - band_height) / 2) & ~1, band_width,
                          band_height};
      impl->panels = {band, {0, 0, ow, oh}};
      impl->background_source = CentredFillCrop(sw, sh, ow, oh);
      impl->background.emplace(ow, oh);
      break;
    }
  }
  return Compositor(std::move(impl));
}

Status Compositor::Compose(const VideoFrame& source, const CropRect& crop, VideoFrame* out) {
  const CompositorOptions& o = impl_->options;
  if (out == nullptr || out == &source) {
    return InvalidArgumentError("compose: the output must be a frame other than the source");
  }
  if (source.format != PixelFormat::kYuv420p || source.width != o.source_width ||
      source.height != o.source_height ||
      source.data.size() < VideoFrame::BufferSize(source.width, source.height, source.format)) {
    return InvalidArgumentError("compose: expected a " + std::to_string(o.source_width) + "x" +
                                std::to_string(o.source_height) + " yuv420p frame, got " +
                                std::to_string(source.width) + "x" + std::to_string(source.height));
  }
  Impl& m = *impl_;
  switch (o.layout) {
    case Layout::kFill: {
      CropRect region = crop;
      if (region.width <= 0 || region.height <= 0) {
        region = CentredFillCrop(o.source_width, o.source_height, o.out_width, o.out_height);
      }
      // Keep the size and move the window inside the frame, so the scaler's context stays.
      region.width = std::min(region.width, o.source_width);
      region.height = std::min(region.height, o.source_height);
      region.x = std::clamp(region.x, 0, o.source_width - region.width);
      region.y = std::clamp(region.y, 0, o.source_height - region.height);
      RETURN_IF_ERROR(m.main_scaler.Convert(source, region, o.out_width, o.out_height,
                                            PixelFormat::kYuv420p, out));
      return Status::Ok();
    }
    case Layout::kSplit: {
      const CropRect& top = m.panels[0];
      const CropRect& bottom = m.panels[1];
      RETURN_IF_ERROR(m.main_scaler.Convert(source, m.facecam_source, top.width, top.height,
                                            PixelFormat::kYuv420p, &m.first_buffer));
      RETURN_IF_ERROR(m.second_scaler.Convert(source, m.gameplay_source, bottom.width,
                                              bottom.height, PixelFormat::kYuv420p,
                                              &m.second_buffer));
      EnsureAllocated(o.out_width, o.out_height, out);
      CopyPanel(m.first_buffer, top.x, top.y, out);
      CopyPanel(m.second_buffer, bottom.x, bottom.y, out);
      break;
    }
    case Layout::kFit: {
      const CropRect& band = m.panels[0];
      RETURN_IF_ERROR(m.background->Prepare(source, m.background_source));
      RETURN_IF_ERROR(m.second_scaler.Convert(source, {}, band.width, band.height,
                                              PixelFormat::kYuv420p, &m.second_buffer));
      EnsureAllocated(o.out_width, o.out_height, out);
      // The background only where the band leaves it visible: above and below it (or every
      // row, when the band is narrower than the output).
      if (band.width < o.out_width) {
        m.background->Draw(out, 0, o.out_height);
      } else {
        m.background->Draw(out, 0, band.y);
        m.background->Draw(out, band.y + band.height, o.out_height);
      }
      CopyPanel(m.second_buffer, band.x, band.y, out);
      break;
    }
  }
  out->pts_ms = source.pts_ms;
  out->keyframe = source.keyframe;
  return Status::Ok();
}

std::vector<CropRect> Compositor::panels() const { return impl_->panels; }
CropRect Compositor::facecam_source() const { return impl_->facecam_source; }
CropRect Compositor::gameplay_source() const { return impl_->gameplay_source; }

}  // namespace clipthat::reframe
