// Layout: how a landscape stream frame is arranged in the 9:16 output.
//
//   kFill   one 9:16 region of the source (the face follower's crop) fills the output;
//   kSplit  the streamer's camera on top, the gameplay below (the classic "facecam" short);
//   kFit    the whole frame across the output's width, centred, over a blurred, darkened,
//           zoomed copy of itself.
//
// "auto" (let ChooseLayout decide, layout_chooser.h) is the caller's business, not a Layout.
#pragma once

#include <string_view>

#include "core/result.h"
#include "media/scaler.h"

namespace clipthat::reframe {

enum class Layout { kFill, kSplit, kFit };

// "fill", "split" or "fit".
std::string_view LayoutName(Layout layout);

// The inverse of LayoutName (exact, lower case). InvalidArgument naming the bad value and
// listing the accepted ones: `unknown layout "grid" (expected fill, split or fit)`.
Result<Layout> ParseLayout(std::string_view name);

// The two source regions of the split layout, in source pixels.
struct SplitParams {
  // Region of the source holding the streamer's camera, shown in the top panel. Required for
  // kSplit (width and height > 0). The compositor trims its longer side (centred) to the top
  // panel's aspect, so nothing is stretched.
  media::CropRect facecam;
  // Region of the source shown in the bottom panel. Width 0 = the default: the largest region
  // of the bottom panel's aspect, centred in the frame, or, when that would show part of the
  // facecam region, the largest such region clear of it (left, right, above or below it, as
  // near the centre as it can be), so the streamer never shows twice. Trimmed like `facecam`
  // when its aspect differs from the panel's.
  media::CropRect gameplay;
  // Share of the output height given to the facecam panel, 0.15..0.6 (0.38 = 730 of 1920 rows).
  double top_fraction = 0.38;
};

}  // namespace clipthat::reframe
