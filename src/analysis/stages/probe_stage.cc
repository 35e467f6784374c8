#include "analysis/stages/probe_stage.h"

#include <algorithm>

#include "analysis/stages/slots.h"

namespace clipthat::analysis {

Status ProbeStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const AnalysisInput* input, ctx.Get(kAnalysisInputSlot));
  if (input->vod_path.empty()) {
    // Chat-only: no streams; the chat scan fills in the duration when the caller gave none.
    if (input->chat_path.empty()) {
      return InvalidArgumentError("nothing to analyse: give a VOD, a chat replay, or both");
    }
    media::ProbeInfo info;
    info.duration_ms = std::max<TimeMs>(0, input->duration_ms);
    ctx.Set(kProbeSlot, std::move(info));
    ctx.ReportProgress(1.0);
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(media::ProbeInfo info, media::Probe(input->vod_path));
  RETURN_IF_ERROR(media::RequireVideo(info));
  CT_LOG(ctx.logger(), kInfo) << input->vod_path << ": " << FormatClock(info.duration_ms)
                              << (info.audio() ? "" : ", no audio");
  ctx.Set(kProbeSlot, std::move(info));
  ctx.ReportProgress(1.0);
  return Status::Ok();
}

}  // namespace clipthat::analysis
