// video_scan: decodes only the VOD's keyframes, small, and adds the visual signals
// (video_features.h) to kSignalsSlot: "scene_cut", "visual_change", "flash", "face". A VOD
// without video adds nothing (logged); a missing face cascade turns face detection off
// (logged), not the scan.
#pragma once

#include "analysis/normalize.h"
#include "analysis/video_features.h"
#include "pipeline/stage.h"

namespace clipthat::analysis {

struct VideoScanOptions {
  int decode_width_px = 256;  // keyframes are scaled to this width (a facecam face ~35 px)
  VideoFeatureOptions features{};
  // Visual cues are weak evidence next to the streamer's voice and chat: a game can be busy
  // for minutes with nothing clip-worthy.
  double scene_cut_weight = 0.25;
  TimeMs scene_cut_smooth_ms = 2000;
  RobustZOptions scene_cut_normalize{.min_spread = 0.05};  // histogram distance 0..1
  double visual_change_weight = 0.25;
  TimeMs visual_change_smooth_ms = 4000;
  RobustZOptions visual_change_normalize{.min_spread = 2.0};  // luma levels
  double flash_weight = 0.25;
  TimeMs flash_smooth_ms = 2000;
  RobustZOptions flash_normalize{.min_spread = 5.0};  // luma levels
  // A face on screen makes a better vertical clip, but is no excitement by itself.
  double face_weight = 0.1;
  TimeMs face_smooth_ms = 10000;
  RobustZOptions face_normalize{.min_spread = 0.2};
};

class VideoScanStage final : public pipeline::Stage {
 public:
  explicit VideoScanStage(VideoScanOptions options = {}) : options_(std::move(options)) {}
  std::string_view name() const override { return "video_scan"; }
  double weight() const override { return 1.0; }
  // Reads kAnalysisInputSlot, kProbeSlot; appends to kSignalsSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  VideoScanOptions options_;
};

}  // namespace clipthat::analysis
