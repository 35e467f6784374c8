// AssRenderer: renders an ASS document with libass and blends it straight into YUV 4:2:0
// video frames.
//
//   ASSIGN_OR_RETURN(AssRenderer captions, AssRenderer::Open(ass, 1080, 1920, log));
//   for (auto& frame : frames) { ASSIGN_OR_RETURN(bool drawn, captions.Render(t_ms, &frame)); }
//
// Each instance owns its ASS_Library, ASS_Renderer and ASS_Track (and, through libass, its own
// fontconfig configuration). An instance is not thread-safe, but separate instances can be
// used from separate threads at once: one per clip render. Open() is expensive: fontconfig
// loads its configuration and font cache (tens of milliseconds; see docs/captions.md), so open
// one per clip, not per frame.
#pragma once

#include <memory>
#include <string>

#include "core/log.h"
#include "core/result.h"
#include "core/time_units.h"
#include "media/frame.h"

namespace clipthat::captions {

class AssRenderer {
 public:
  // Parses `ass_text` and prepares a renderer for width x height frames (both > 0), fonts
  // found with fontconfig (default family DejaVu Sans). libass messages go to `logger`
  // (module "libass"): its errors at warn, everything else at debug/trace.
  // Errors: InvalidArgument for a bad size, DataError when libass cannot parse the document,
  // Internal when libass cannot be initialised.
  static Result<AssRenderer> Open(const std::string& ass_text, int width, int height,
                                  const Logger& logger = Logger());

  AssRenderer(AssRenderer&&) noexcept;
  AssRenderer& operator=(AssRenderer&&) noexcept;
  AssRenderer(const AssRenderer&) = delete;
  AssRenderer& operator=(const AssRenderer&) = delete;
  ~AssRenderer();

  // Blends the subtitles at `t_ms` (the document's clock) into `frame` in place. The frame
  // must be kYuv420p of the size given to Open (InvalidArgument otherwise). Colours are
  // converted to BT.709 limited-range YUV once per libass image; luma is blended per pixel,
  // chroma at half resolution with the mean alpha of each 2x2 block. When libass reports that
  // nothing changed since the previous call, the previous images are reused without
  // re-compositing. Returns whether anything was drawn.
  Result<bool> Render(TimeMs t_ms, media::VideoFrame* frame);

  // How many times Render() had to re-composite libass's images (for tests and benchmarks).
  int recomposite_count() const;

 private:
  struct Impl;
  explicit AssRenderer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::captions
