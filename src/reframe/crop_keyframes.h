// Crop keyframes: the user's own crop positions (edited in the UI) override the automatic path.
#pragma once

#include <vector>

#include "core/time_units.h"
#include "media/scaler.h"

namespace clipthat::reframe {

struct CropKeyframe {
  TimeMs t_ms = 0;       // time in the VOD
  media::CropRect rect;  // crop in source pixels
};

// The crop at t_ms: eased (smoothstep) between the neighbouring keyframes, held before the first
// and after the last. Keyframes need not be sorted. A keyframe of another size is rescaled to
// crop_width x crop_height about its centre; the result is clamped to the frame, with even x
// and y. With no keyframes: the centred crop.
media::CropRect CropAt(const std::vector<CropKeyframe>& keyframes, TimeMs t_ms, int frame_width,
                       int frame_height, int crop_width, int crop_height);

}  // namespace clipthat::reframe
