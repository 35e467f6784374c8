// audio_scan: decodes the VOD's audio once, streaming, at 16 kHz mono, and adds the per-100 ms
// loudness signal to kSignalsSlot. A VOD without audio adds nothing (logged), so chat alone
// can still find moments.
#pragma once

#include "analysis/loudness.h"
#include "analysis/normalize.h"
#include "pipeline/stage.h"

namespace clipthat::analysis {

struct AudioScanOptions {
  int sample_rate_hz = 16000;
  TimeMs chunk_ms = 5000;  // decode granularity; also how often progress and cancel are checked
  LoudnessOptions loudness{};
  double loudness_weight = 1.0;
  TimeMs loudness_smooth_ms = 2000;  // a shout lasts seconds; a single gunshot should not win
  RobustZOptions loudness_normalize{.min_spread = 2.0};  // dB
};

class AudioScanStage final : public pipeline::Stage {
 public:
  explicit AudioScanStage(AudioScanOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "audio_scan"; }
  double weight() const override { return 1.0; }
  // Reads kAnalysisInputSlot, kProbeSlot; appends to kSignalsSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  AudioScanOptions options_;
};

}  // namespace clipthat::analysis
