#include "analysis/stages/probe_stage.h"

#include "analysis/stages/slots.h"

namespace clipthat::analysis {

Status ProbeStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const AnalysisInput* input, ctx.Get(kAnalysisInputSlot));
  ASSIGN_OR_RETURN(media::ProbeInfo info, media::Probe(input->vod_path));
  RETURN_IF_ERROR(media::RequireVideo(info));
  CT_LOG(ctx.logger(), kInfo) << input->vod_path << ": " << FormatClock(info.duration_ms)
                              << (info.audio() ? "" : ", no audio");
  ctx.Set(kProbeSlot, std::move(info));
  ctx.ReportProgress(1.0);
  return Status::Ok();
}

}  // namespace clipthat::analysis
