// boundaries: snaps each moment's start and end to silences and sentence ends
// (analysis/boundaries.h), using the moment's words when transcribed and the audio scan's
// silence map (kSilencesSlot) otherwise, and keeps only the words inside the final clip.
#pragma once

#include "analysis/boundaries.h"
#include "pipeline/stage.h"

namespace clipthat::analysis {

class BoundariesStage final : public pipeline::Stage {
 public:
  explicit BoundariesStage(BoundaryOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "boundaries"; }
  double weight() const override { return 0.01; }
  // Reads kProbeSlot, kSilencesSlot (optional); updates kMomentsSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  BoundaryOptions options_;
};

}  // namespace clipthat::analysis
