// Edit lists made from an analysis: one clip per moment of moments.json, as `clipthat render`
// and the worker's analysis jobs cut them.
#pragma once

#include <string>
#include <vector>

#include "formats/edit_list.h"
#include "formats/moments_document.h"

namespace clipthat::render {

struct EditsFromMomentsOptions {
  int top = 0;  // the first `top` moments (they are stored best first); 0: all
  std::string template_ref;
  formats::LayoutMode layout = formats::LayoutMode::kAuto;
  formats::EditOutput output;
};

// One edit list per moment: its window, words (captions on, clipped to the window), title and
// id; source `vod_path`.
std::vector<formats::EditList> EditListsFromMoments(const formats::MomentsDocument& doc,
                                                    const std::string& vod_path,
                                                    const EditsFromMomentsOptions& options = {});

}  // namespace clipthat::render
