// render: renders every moment in analysis::kMomentsSlot to OUT_DIR/clip-01.mp4,
// clip-02.mp4, ... (in the moments' order, best first), one after another.
//
// A clip that fails does not stop the others: its failure is recorded in kClipResultsSlot
// and reported through on_clip_done. The stage itself fails only when every clip failed (with
// the first clip's error), or when cancelled.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "pipeline/context.h"
#include "pipeline/stage.h"
#include "render/clip_renderer.h"

namespace clipthat::render {

struct RenderInput {
  std::string vod_path;
  std::string out_dir;
};

struct ClipResult {
  int moment_id = 0;
  std::string path;  // where the clip is (or would have been)
  Status status;
  long long frames = 0;
  double seconds = 0;  // wall time spent rendering it
};

inline constexpr pipeline::Slot<RenderInput> kRenderInputSlot{"render_input"};
inline constexpr pipeline::Slot<std::vector<ClipResult>> kClipResultsSlot{"clip_results"};

// "clip-01.mp4" for index 0.
std::string ClipFileName(int index);

struct RenderStageOptions {
  RenderOptions render{};
  // Called after each clip, done or failed: (result, 0-based index, clip count).
  std::function<void(const ClipResult&, int, int)> on_clip_done{};
};

class RenderStage final : public pipeline::Stage {
 public:
  explicit RenderStage(RenderStageOptions options = {}) : options_(std::move(options)) {}
  std::string_view name() const override { return "render"; }
  double weight() const override { return 10.0; }
  // Reads kRenderInputSlot and analysis::kMomentsSlot; writes kClipResultsSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  RenderStageOptions options_;
};

}  // namespace clipthat::render
