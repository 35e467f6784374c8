// The analysis pipeline as one call: the stages in order with their options, so `clip`,
// `analyze` and the worker assemble the same pipeline.
#pragma once

#include "analysis/stages/audio_scan_stage.h"
#include "analysis/stages/candidates_stage.h"
#include "analysis/stages/chat_scan_stage.h"
#include "pipeline/runner.h"

namespace clipthat::analysis {

struct AnalysisOptions {
  AudioScanOptions audio{};
  ChatScanOptions chat{};
  CandidateOptions candidates{};
};

// probe -> chat_scan -> audio_scan -> candidates. The caller sets kAnalysisInputSlot; the
// result is in kMomentsSlot (and kProbeSlot, kInterestCurveSlot).
void AddAnalysisStages(pipeline::Runner& runner, const AnalysisOptions& options);

}  // namespace clipthat::analysis
