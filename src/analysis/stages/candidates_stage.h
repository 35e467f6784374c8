// candidates: fuses every signal in kSignalsSlot into the interest curve and picks the top
// moments (analysis/candidates.h). Writes kInterestCurveSlot and kMomentsSlot (best first).
//
// Before fusing, the chat's reaction delay is measured where the VOD has a voice to measure it
// against (reaction_delay.h: "chat_chatters" against "vocal_excitement", else "loudness"); a
// clear measure replaces the lag of every lagging signal and is written to kReactionDelaySlot
// (the rank stage moves chat clip requests by it). No chat, no audio, or no clear measure: the
// configured delay stands and the slot holds it.
#pragma once

#include "analysis/candidates.h"
#include "pipeline/stage.h"

namespace clipthat::analysis {

// The chat's reaction delay in use (measured or configured), in ms.
inline constexpr pipeline::Slot<TimeMs> kReactionDelaySlot{"reaction_delay_ms"};

class CandidatesStage final : public pipeline::Stage {
 public:
  explicit CandidatesStage(CandidateOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "candidates"; }
  double weight() const override { return 0.05; }
  // Fails when no scan stage produced a signal (no audio and no chat).
  Status run(pipeline::Context& ctx) override;

 private:
  void MeasureReactionDelay(pipeline::Context& ctx, TimeMs duration_ms, SignalSet* signals) const;
  CandidateOptions options_;
};

}  // namespace clipthat::analysis
