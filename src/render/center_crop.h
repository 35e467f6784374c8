// The centre crop that turns a landscape frame into a portrait one: the largest region of the
// target aspect ratio, centred, on even coordinates (4:2:0 chroma needs them).
#pragma once

#include "media/scaler.h"

namespace clipthat::render {

// For a 1920x1080 source and 9:16: {x 656, y 0, 608 x 1080}. A source already narrower than
// the aspect keeps its full width and is cropped top and bottom instead.
media::CropRect CenterCropRect(int source_width, int source_height, int aspect_width = 9,
                               int aspect_height = 16);

}  // namespace clipthat::render
