// probe: reads the VOD's container and streams (media::Probe) into kProbeSlot.
#pragma once

#include "pipeline/stage.h"

namespace clipthat::analysis {

class ProbeStage final : public pipeline::Stage {
 public:
  std::string_view name() const override { return "probe"; }
  double weight() const override { return 0.05; }
  // Reads kAnalysisInputSlot; writes kProbeSlot. Fails when the VOD has no video (nothing to
  // clip) or does not open.
  Status run(pipeline::Context& ctx) override;
};

}  // namespace clipthat::analysis
