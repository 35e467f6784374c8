#include "analysis/stages/rank_stage.h"

#include <algorithm>

#include "analysis/evidence_timeline.h"
#include "analysis/stages/candidates_stage.h"
#include "analysis/stages/chat_scan_stage.h"
#include "analysis/stages/slots.h"
#include "chat/clip_requests.h"

namespace clipthat::analysis {

Status RankStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(std::vector<Moment> * moments, ctx.Get(kMomentsSlot));
  std::vector<TimeMs> requests;
  if (ctx.Has(kChatLogSlot)) {
    ASSIGN_OR_RETURN(const chat::ChatLog* log, ctx.Get(kChatLogSlot));
    TimeMs delay_ms = options_.reaction_delay_ms;
    if (ctx.Has(kReactionDelaySlot)) {
      ASSIGN_OR_RETURN(const TimeMs* measured, ctx.Get(kReactionDelaySlot));
      delay_ms = *measured;
    }
    // Distinct viewers: one viewer repeating "clip it" is one request a minute.
    for (TimeMs t : chat::ClipRequestTimes(*log)) {
      requests.push_back(std::max<TimeMs>(0, t - delay_ms));
    }
  }
  const size_t before = moments->size();
  *moments = RankMoments(std::move(*moments), requests, options_.rank);
  for (Moment& m : *moments) {
    auto lo = std::lower_bound(requests.begin(), requests.end(), m.start_ms);
    auto hi = std::lower_bound(requests.begin(), requests.end(), m.end_ms);
    if (hi - lo >= options_.min_chat_requests_for_trigger) {
      m.triggers.push_back({"chat", "clip it", *lo});
      std::stable_sort(
          m.triggers.begin(), m.triggers.end(),
          [](const MomentTrigger& a, const MomentTrigger& b) { return a.time_ms < b.time_ms; });
    }
  }
  // The evidence timeline of each kept moment, over its final window.
  if (ctx.Has(kInterestCurveSlot)) {
    ASSIGN_OR_RETURN(const InterestCurve* curve, ctx.Get(kInterestCurveSlot));
    for (Moment& m : *moments) {
      m.timeline = SampleEvidence(*curve, {m.start_ms, m.end_ms}, options_.timeline_step_ms);
    }
  }
  CT_LOG(ctx.logger(), kInfo) << "kept " << moments->size() << " of " << before << " moments";
  ctx.ReportProgress(1.0);
  return Status::Ok();
}

}  // namespace clipthat::analysis
