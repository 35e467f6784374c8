// Edit lists for render tests: the fit layout at a small output size, so a clip renders in a
// fraction of a second. Header-only; tests only.
#pragma once

#include <string>

#include "core/time_units.h"
#include "formats/edit_list.h"

namespace clipthat::render {

// `source` from start_ms to end_ms, fit layout, width_px x height_px at 30 fps, everything else
// at the formats::EditList defaults.
inline formats::EditList SmallFitEditList(const std::string& source, TimeMs start_ms, TimeMs end_ms,
                                          int width_px, int height_px) {
  formats::EditList e;
  e.source = source;
  e.start_ms = start_ms;
  e.end_ms = end_ms;
  e.output = {.width = width_px, .height = height_px, .fps = 30};
  e.layout = formats::LayoutMode::kFit;
  return e;
}

}  // namespace clipthat::render
