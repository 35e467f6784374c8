#include "captions/ass_renderer.h"

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "captions/yuv_overlay.h"

extern "C" {
#include <ass/ass.h>
}

namespace clipthat::captions {
namespace {

// Font family libass falls back to when a style's font is missing.
constexpr char kDefaultFamily[] = "DejaVu Sans";

void LibassMessage(int level, const char* format, va_list args, void* data) {
  const Logger& logger = *static_cast<const Logger*>(data);
  // libass levels: 0 fatal, 1 error, 2 warning, 4 info, 6 verbose, 7 debug.
  const LogLevel ours = level <= 1   ? LogLevel::kWarn
                        : level <= 4 ? LogLevel::kDebug
                                     : LogLevel::kTrace;
  if (!logger.Enabled(ours)) return;
  char text[1024];
  std::vsnprintf(text, sizeof(text), format, args);
  logger.Log(ours, text);
}

}  // namespace

struct AssRenderer::Impl {
  Logger logger;
  ASS_Library* library = nullptr;
  ASS_Renderer* renderer = nullptr;
  ASS_Track* track = nullptr;
  int width = 0;
  int height = 0;
  bool have_overlay = false;
  internal::YuvOverlay overlay;
  std::vector<internal::ColourMask> masks;  // reused between composites
  int recomposites = 0;

  Impl(int w, int h) : width(w), height(h), overlay(w, h) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (track != nullptr) ass_free_track(track);
    if (renderer != nullptr) ass_renderer_done(renderer);
    if (library != nullptr) ass_library_done(library);
  }

  void Composite(const ASS_Image* images) {
    ++recomposites;
    masks.clear();
    for (const ASS_Image* img = images; img != nullptr; img = img->next) {
      // libass colours are 0xRRGGBBAA with AA = transparency; ours carry opacity.
      masks.push_back({img->bitmap, img->stride, img->dst_x, img->dst_y, img->w, img->h,
                       (img->color & 0xFFFFFF00u) | (255u - (img->color & 0xFFu))});
    }
    overlay.Build(masks);
  }
};

AssRenderer::AssRenderer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AssRenderer::AssRenderer(AssRenderer&&) noexcept = default;
AssRenderer& AssRenderer::operator=(AssRenderer&&) noexcept = default;
AssRenderer::~AssRenderer() = default;

Result<AssRenderer> AssRenderer::Open(const std::string& ass_text, int width, int height,
                                      const Logger& logger) {
  if (width <= 0 || height <= 0) {
    return InvalidArgumentError("captions: bad frame size " + std::to_string(width) + "x" +
                                std::to_string(height));
  }
  auto impl = std::make_unique<Impl>(width, height);
  impl->logger = logger.WithModule("libass");
  impl->library = ass_library_init();
  if (impl->library == nullptr) return InternalError("captions: ass_library_init failed");
  // The callback reads the logger through the Impl, which stays put when AssRenderer moves.
  ass_set_message_cb(impl->library, LibassMessage, &impl->logger);
  ass_set_extract_fonts(impl->library, 0);
  impl->renderer = ass_renderer_init(impl->library);
  if (impl->renderer == nullptr) return InternalError("captions: ass_renderer_init failed");
  ass_set_frame_size(impl->renderer, width, height);
  ass_set_storage_size(impl->renderer, width, height);
  ass_set_fonts(impl->renderer, nullptr, kDefaultFamily, ASS_FONTPROVIDER_AUTODETECT, nullptr, 1);
  std::string text = ass_text;  // ass_read_memory takes a mutable buffer
  impl->track = ass_read_memory(impl->library, text.data(), text.size(), nullptr);
  if (impl->track == nullptr) return DataError("captions: libass could not parse the ASS document");
  if (impl->track->n_styles == 0 && impl->track->n_events == 0 && !ass_text.empty() &&
      ass_text.find("[Script Info]") == std::string::npos) {
    return DataError("captions: not an ASS document (no [Script Info] section)");
  }
  return AssRenderer(std::move(impl));
}

Result<bool> AssRenderer::Render(TimeMs t_ms, media::VideoFrame* frame) {
  Impl& s = *impl_;
  if (frame == nullptr || frame->format != media::PixelFormat::kYuv420p ||
      frame->width != s.width || frame->height != s.height ||
      frame->data.size() <
          media::VideoFrame::BufferSize(s.width, s.height, media::PixelFormat::kYuv420p)) {
    return InvalidArgumentError("captions: expected a yuv420p frame of " + std::to_string(s.width) +
                                "x" + std::to_string(s.height));
  }
  int changed = 0;
  ASS_Image* images = ass_render_frame(s.renderer, s.track, t_ms, &changed);
  // changed == 0: libass's images are the same as last time, so is the overlay.
  if (changed != 0 || !s.have_overlay) {
    s.Composite(images);
    s.have_overlay = true;
  }
  if (s.overlay.empty()) return false;
  const std::size_t luma_bytes = static_cast<std::size_t>(s.width) * s.height;
  const std::size_t chroma_bytes =
      static_cast<std::size_t>((s.width + 1) / 2) * ((s.height + 1) / 2);
  std::uint8_t* y_plane = frame->data.data();
  s.overlay.BlendInto(y_plane, y_plane + luma_bytes, y_plane + luma_bytes + chroma_bytes);
  return true;
}

int AssRenderer::recomposite_count() const { return impl_->recomposites; }

}  // namespace clipthat::captions
