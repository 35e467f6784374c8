// candidates: fuses every signal in kSignalsSlot into the interest curve and picks the top
// moments (analysis/candidates.h). Writes kInterestCurveSlot and kMomentsSlot (best first).
#pragma once

#include "analysis/candidates.h"
#include "pipeline/stage.h"

namespace clipthat::analysis {

class CandidatesStage final : public pipeline::Stage {
 public:
  explicit CandidatesStage(CandidateOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "candidates"; }
  double weight() const override { return 0.05; }
  // Fails when no scan stage produced a signal (no audio and no chat).
  Status run(pipeline::Context& ctx) override;

 private:
  CandidateOptions options_;
};

}  // namespace clipthat::analysis
