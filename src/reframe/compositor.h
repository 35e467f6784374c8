// Compositor: turns each decoded source frame into one 9:16 output frame in the clip's layout.
//
// Everything stays in YUV 4:2:0: regions are cropped and scaled with media::Scaler (one per
// panel, so each keeps its swscale context) and copied into the output plane by plane; no
// frame is converted to RGB.
//
//   auto compositor = Compositor::Create({.layout = Layout::kSplit, .source_width = 1920,
//                                         .source_height = 1080, .split = choice.split});
//   for (each decoded frame) RETURN_IF_ERROR(compositor->Compose(frame, crop, &out));
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "core/result.h"
#include "media/frame.h"
#include "media/scaler.h"
#include "reframe/layout.h"

namespace clipthat::reframe {

struct CompositorOptions {
  Layout layout = Layout::kFill;
  int source_width = 0, source_height = 0;  // pixels of every source frame
  int out_width = 1080, out_height = 1920;  // pixels of the output, even
  SplitParams split;                        // used by kSplit only
};

// One per render; not thread-safe. Reuses its scalers and buffers from frame to frame.
class Compositor {
 public:
  // Checks the options and lays out the panels. InvalidArgument naming what is wrong: empty or
  // odd output size, empty source, for kSplit a facecam or gameplay region that is empty or
  // outside the frame ("split.facecam 0,900 640x360 is outside the 1920x1080 frame"), or a
  // top_fraction outside 0.15..0.6.
  static Result<Compositor> Create(const CompositorOptions& options);

  Compositor(Compositor&&) noexcept;
  Compositor& operator=(Compositor&&) noexcept;
  ~Compositor();

  // Composes `source` (kYuv420p, the source size given at Create) into `out` (kYuv420p, the
  // output size; reallocated only when its size or format differs). out->pts_ms and keyframe
  // are copied from `source`.
  //   kFill:  `crop` (a region of the source, normally FillCropSize and moving with the face)
  //           scaled to the whole output; width 0 = the centred FillCropSize region. A crop
  //           reaching past the frame is moved inside, its size kept. Keep the size constant
  //           over a clip: a new size rebuilds the scaler.
  //   kSplit: the facecam region scaled to the top panel, the gameplay region to the bottom
  //           one. `crop` is ignored.
  //   kFit:   the whole frame scaled to fit the output width, centred vertically (panel 0),
  //           over the background: the centre fill crop of the frame scaled down to 1/24 of
  //           the output size, blurred ([1 2 1] three times each way), darkened, and scaled back up
  //           bilinearly, only where the band leaves it visible. `crop` is ignored.
  // InvalidArgument when `source` is not kYuv420p of the expected size; errors from the scaler.
  Status Compose(const media::VideoFrame& source, const media::CropRect& crop,
                 media::VideoFrame* out);

  // Where each panel lands in the output, in output pixels. kFill: one panel (the whole
  // output); kSplit: panel 0 = facecam (top), 1 = gameplay (bottom); kFit: panel 0 = the
  // frame (middle band), 1 = the whole output (the background).
  std::vector<media::CropRect> panels() const;

  // The source regions actually shown in the split panels after trimming to the panels'
  // aspect (kSplit only; empty rects otherwise).
  media::CropRect facecam_source() const;
  media::CropRect gameplay_source() const;

 private:
  struct Impl;
  explicit Compositor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The crop size for kFill: the largest region of the output's aspect that fits the source,
// its sides rounded to the nearest even number (as CenterCropRect does): 1920x1080 ->
// 1080x1920 gives {608, 1080}; a source narrower than the aspect keeps its width.
std::pair<int, int> FillCropSize(int source_width, int source_height, int out_width,
                                 int out_height);

}  // namespace clipthat::reframe
