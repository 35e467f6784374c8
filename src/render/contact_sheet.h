// Contact sheet: one PNG with a few frames of each rendered clip, so a person sees layout,
// framing of the face and captions at a glance without playing anything.
//
// One row per clip: a label line ("clip-01  fill  30.0 s  moment 3") over `fractions.size()`
// frames taken at those fractions of the clip's length, each with its time underneath.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace clipthat::render {

struct ContactSheetClip {
  std::string video_path;
  std::string label;  // shown above the clip's row
};

struct ContactSheetOptions {
  std::vector<double> fractions = {0.1, 0.35, 0.6, 0.85};  // of each clip's length
  int tile_width_px = 216;  // each frame's width on the sheet; height keeps the clip's aspect
};

// Decodes the frames and writes the PNG atomically. Errors name the clip (its probe or decode
// error) or the PNG path (IoError). An empty clip list is InvalidArgument.
Status WriteContactSheet(const std::vector<ContactSheetClip>& clips, const std::string& png_path,
                         const ContactSheetOptions& options = {});

}  // namespace clipthat::render
