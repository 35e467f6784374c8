#include "analysis/stages/video_scan_stage.h"

#include <algorithm>

#include "analysis/stages/slots.h"
#include "media/keyframe_decoder.h"

namespace clipthat::analysis {

Status VideoScanStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const AnalysisInput* input, ctx.Get(kAnalysisInputSlot));
  ASSIGN_OR_RETURN(const media::ProbeInfo* probe, ctx.Get(kProbeSlot));
  if (input->vod_path.empty()) return Status::Ok();  // chat-only analysis
  if (probe->video() == nullptr) {
    CT_LOG(ctx.logger(), kWarn) << input->vod_path << ": no video stream; visual cues not used";
    return Status::Ok();
  }
  VideoFeatureOptions feature_options = options_.features;
  auto created = VideoFeatureExtractor::Create(feature_options);
  if (!created.ok()) {
    CT_LOG(ctx.logger(), kWarn) << created.status().message() << "; face presence not used";
    feature_options.face_every_n_keyframes = 0;
    created = VideoFeatureExtractor::Create(feature_options);
    if (!created.ok()) return created.status();
  }
  VideoFeatureExtractor features = std::move(*created);
  ASSIGN_OR_RETURN(auto decoder, media::KeyframeDecoder::Open(
                                     input->vod_path, {.width = options_.decode_width_px,
                                                       .format = media::PixelFormat::kBgr24}));
  const double duration = static_cast<double>(std::max<TimeMs>(1, probe->duration_ms));
  media::VideoFrame frame;
  while (true) {
    if (ctx.cancelled()) return CancelledError("video scan cancelled");
    ASSIGN_OR_RETURN(bool more, decoder.Next(&frame));
    if (!more) break;
    Status st = features.Push(frame);
    if (!st.ok()) return DataError(input->vod_path + ": " + st.message());
    ctx.ReportProgress(std::clamp(static_cast<double>(frame.pts_ms) / duration, 0.0, 1.0));
  }
  VideoFeatures f = features.Finish(probe->duration_ms);
  if (f.keyframes.empty()) {
    CT_LOG(ctx.logger(), kWarn) << input->vod_path << ": no keyframe decoded; visual cues not used";
    return Status::Ok();
  }
  AddSignal(ctx, {.name = "scene_cut",
                  .values = std::move(f.scene_cut),
                  .weight = options_.scene_cut_weight,
                  .smooth_ms = options_.scene_cut_smooth_ms,
                  .normalize = options_.scene_cut_normalize});
  AddSignal(ctx, {.name = "visual_change",
                  .values = std::move(f.visual_change),
                  .weight = options_.visual_change_weight,
                  .smooth_ms = options_.visual_change_smooth_ms,
                  .normalize = options_.visual_change_normalize});
  AddSignal(ctx, {.name = "flash",
                  .values = std::move(f.flash),
                  .weight = options_.flash_weight,
                  .smooth_ms = options_.flash_smooth_ms,
                  .normalize = options_.flash_normalize});
  if (feature_options.face_every_n_keyframes > 0) {
    AddSignal(ctx, {.name = "face",
                    .values = std::move(f.face),
                    .weight = options_.face_weight,
                    .smooth_ms = options_.face_smooth_ms,
                    .normalize = options_.face_normalize});
  }
  return Status::Ok();
}

}  // namespace clipthat::analysis
