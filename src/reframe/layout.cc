#include "reframe/layout.h"

#include <string>

namespace clipthat::reframe {

std::string_view LayoutName(Layout layout) {
  switch (layout) {
    case Layout::kFill: return "fill";
    case Layout::kSplit: return "split";
    case Layout::kFit: return "fit";
  }
  return "fill";
}

Result<Layout> ParseLayout(std::string_view name) {
  for (Layout layout : {Layout::kFill, Layout::kSplit, Layout::kFit}) {
    if (name == LayoutName(layout)) return layout;
  }
  return InvalidArgumentError("unknown layout \"" + std::string(name) +
                              "\" (expected fill, split or fit)");
}

}  // namespace clipthat::reframe
