// render: renders every edit list in kEditListsSlot to OUT_DIR/clip-01.mp4, clip-02.mp4, ...
// (in the edit lists' order) through the render pool (render/render_pool.h), several at once.
//
// Every edit list is validated first (render/clip_renderer.h ValidateEditList); one that fails
// validation is reported as a failed clip before any clip renders. A clip that fails does not
// stop the others: its failure is recorded in kClipResultsSlot and reported through
// on_clip_done. The stage itself fails only when every clip failed (with the first clip's
// error), or when cancelled.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "formats/edit_list.h"
#include "pipeline/context.h"
#include "pipeline/stage.h"
#include "render/clip_renderer.h"
#include "render/render_pool.h"

namespace clipthat::render {

struct RenderInput {
  std::string out_dir;
};

struct ClipResult {
  int index = 0;      // position in kEditListsSlot
  int moment_id = 0;  // 0 when the edit list has none
  std::string path;   // where the clip is (or would have been)
  Status status;
  RenderResult render;  // valid when status is OK
};

inline constexpr pipeline::Slot<RenderInput> kRenderInputSlot{"render_input"};
inline constexpr pipeline::Slot<std::vector<formats::EditList>> kEditListsSlot{"edit_lists"};
inline constexpr pipeline::Slot<std::vector<ClipResult>> kClipResultsSlot{"clip_results"};

// "clip-01.mp4" for index 0.
std::string ClipFileName(int index);

struct RenderStageOptions {
  RenderSettings settings{};
  RenderPoolOptions pool{};
  // Called after each clip, done or failed: (result, clip count); serialised.
  std::function<void(const ClipResult&, int)> on_clip_done{};
};

class RenderStage final : public pipeline::Stage {
 public:
  explicit RenderStage(RenderStageOptions options = {}) : options_(std::move(options)) {}
  std::string_view name() const override { return "render"; }
  double weight() const override { return 10.0; }
  // Reads kRenderInputSlot and kEditListsSlot; writes kClipResultsSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  RenderStageOptions options_;
};

}  // namespace clipthat::render
