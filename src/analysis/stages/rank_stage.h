// rank: final scores from each moment's evidence, de-duplication of overlapping moments and
// the final order (analysis/rank.h). Chat messages asking for a clip ("clip it"), moved back by
// the reaction delay, count as evidence (each viewer once a minute: chat/clip_requests.h) and,
// when several viewers ask, as a "chat" trigger. Each kept moment gets its evidence timeline:
// the interest curve's contributions over its window (evidence_timeline.h).
#pragma once

#include "analysis/rank.h"
#include "pipeline/stage.h"

namespace clipthat::analysis {

struct RankStageOptions {
  RankOptions rank{};
  TimeMs reaction_delay_ms = 6000;  // as the chat scan's
  int min_chat_requests_for_trigger = 3;
  TimeMs timeline_step_ms = 1000;  // samples of each moment's evidence timeline
};

class RankStage final : public pipeline::Stage {
 public:
  explicit RankStage(RankStageOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "rank"; }
  double weight() const override { return 0.01; }
  // Reads kChatLogSlot, kInterestCurveSlot (both optional); updates kMomentsSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  RankStageOptions options_;
};

}  // namespace clipthat::analysis
