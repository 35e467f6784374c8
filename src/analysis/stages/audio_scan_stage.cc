#include "analysis/stages/audio_scan_stage.h"

#include <algorithm>

#include "analysis/stages/slots.h"
#include "media/audio_decoder.h"

namespace clipthat::analysis {

Status AudioScanStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const AnalysisInput* input, ctx.Get(kAnalysisInputSlot));
  ASSIGN_OR_RETURN(const media::ProbeInfo* probe, ctx.Get(kProbeSlot));
  if (probe->audio() == nullptr) {
    CT_LOG(ctx.logger(), kWarn) << input->vod_path << ": no audio stream; loudness not used";
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto decoder, media::AudioDecoder::Open(
                                     input->vod_path, {.sample_rate_hz = options_.sample_rate_hz,
                                                       .channels = 1,
                                                       .chunk_ms = options_.chunk_ms}));
  const double duration = static_cast<double>(std::max<TimeMs>(1, probe->duration_ms));
  LoudnessMeter meter(options_.loudness);
  media::AudioBuffer chunk;
  while (true) {
    if (ctx.cancelled()) return CancelledError("audio scan cancelled");
    ASSIGN_OR_RETURN(bool more, decoder.Next(&chunk));
    if (!more) break;
    meter.Push(chunk);
    ctx.ReportProgress(
        std::min(1.0, static_cast<double>(chunk.start_ms + chunk.duration_ms()) / duration));
  }
  AddSignal(ctx, {.name = "loudness",
                  .values = meter.Finish(),
                  .weight = options_.loudness_weight,
                  .smooth_ms = options_.loudness_smooth_ms,
                  .normalize = options_.loudness_normalize});
  return Status::Ok();
}

}  // namespace clipthat::analysis
