#include "analysis/stages/candidates_stage.h"

#include <optional>

#include "analysis/stages/slots.h"

namespace clipthat::analysis {

void CandidatesStage::MeasureReactionDelay(pipeline::Context& ctx, TimeMs duration_ms,
                                           SignalSet* signals) const {
  const AnalysisSignal* chat = nullptr;
  const AnalysisSignal* voice = nullptr;
  const AnalysisSignal* loudness = nullptr;
  TimeMs configured = -1;
  for (const AnalysisSignal& s : *signals) {
    if (s.name == "chat_chatters") chat = &s;
    if (s.name == "vocal_excitement" && !s.values.values.empty()) voice = &s;
    if (s.name == "loudness" && !s.values.values.empty()) loudness = &s;
    if (s.lag_ms > 0 && configured < 0) configured = s.lag_ms;
  }
  if (chat == nullptr || configured < 0) return;
  ctx.Set(kReactionDelaySlot, configured);
  if (voice == nullptr) voice = loudness;
  if (!options_.estimate_reaction_delay || voice == nullptr) return;
  const std::optional<ReactionDelayEstimate> e = EstimateReactionDelay(
      NormalisedSignal(*chat, duration_ms, options_.fusion),
      NormalisedSignal(*voice, duration_ms, options_.fusion), options_.reaction_delay);
  if (!e) {
    CT_LOG(ctx.logger(), kInfo) << "chat reaction delay: no clear lag against " << voice->name
                                << "; using " << configured << " ms";
    return;
  }
  CT_LOG(ctx.logger(), kInfo) << "chat reaction delay: " << e->delay_ms << " ms (against "
                              << voice->name << ", correlation " << e->correlation << ")";
  for (AnalysisSignal& s : *signals) {
    if (s.lag_ms > 0) s.lag_ms = e->delay_ms;
  }
  ctx.Set(kReactionDelaySlot, e->delay_ms);
}

Status CandidatesStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const media::ProbeInfo* probe, ctx.Get(kProbeSlot));
  if (!ctx.Has(kSignalsSlot)) ctx.Set(kSignalsSlot, SignalSet{});
  ASSIGN_OR_RETURN(SignalSet * signals, ctx.Get(kSignalsSlot));
  MeasureReactionDelay(ctx, probe->duration_ms, signals);
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
