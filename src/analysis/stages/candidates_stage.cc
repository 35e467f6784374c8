#include "analysis/stages/candidates_stage.h"

#include "analysis/stages/slots.h"

namespace clipthat::analysis {

Status CandidatesStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const media::ProbeInfo* probe, ctx.Get(kProbeSlot));
  if (!ctx.Has(kSignalsSlot)) ctx.Set(kSignalsSlot, SignalSet{});
  ASSIGN_OR_RETURN(const SignalSet* signals, ctx.Get(kSignalsSlot));
  auto found = FindMoments(*signals, probe->duration_ms, options_);
  if (!found.ok()) return found.status().WithPrefix(probe->path);
  CandidateResult result = std::move(found).value();
  CT_LOG(ctx.logger(), kInfo) << result.moments.size() << " moments from " << signals->size()
                              << " signals";
  ctx.Set(kInterestCurveSlot, std::move(result.curve));
  ctx.Set(kMomentsSlot, std::move(result.moments));
  ctx.ReportProgress(1.0);
  return Status::Ok();
}

}  // namespace clipthat::analysis
