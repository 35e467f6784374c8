#include "analysis/stages/rank_stage.h"

#include <algorithm>

#include "analysis/stages/chat_scan_stage.h"
#include "analysis/stages/slots.h"
#include "chat/chat_keywords.h"

namespace clipthat::analysis {

Status RankStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(std::vector<Moment> * moments, ctx.Get(kMomentsSlot));
  std::vector<TimeMs> requests;
  if (ctx.Has(kChatLogSlot)) {
    ASSIGN_OR_RETURN(const chat::ChatLog* log, ctx.Get(kChatLogSlot));
    const chat::ChatRateOptions filters;
    for (const chat::ChatMessage& msg : log->messages) {
      if (chat::IsIgnoredMessage(msg, filters) || !chat::IsClipRequest(msg.text)) continue;
      requests.push_back(std::max<TimeMs>(0, msg.time_ms - options_.reaction_delay_ms));
    }
    std::sort(requests.begin(), requests.end());
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
  CT_LOG(ctx.logger(), kInfo) << "kept " << moments->size() << " of " << before << " moments";
  ctx.ReportProgress(1.0);
  return Status::Ok();
}

}  // namespace clipthat::analysis
