#include "analysis/stages/analysis_pipeline.h"

#include <memory>

#include "analysis/stages/probe_stage.h"

namespace clipthat::analysis {

void AddAnalysisStages(pipeline::Runner& runner, const AnalysisOptions& options) {
  runner.Add(std::make_unique<ProbeStage>());
  // Chat before audio: it is cheap, so a bad chat file fails before minutes of decoding.
  runner.Add(std::make_unique<ChatScanStage>(options.chat));
  runner.Add(std::make_unique<AudioScanStage>(options.audio));
  runner.Add(std::make_unique<CandidatesStage>(options.candidates));
}

}  // namespace clipthat::analysis
