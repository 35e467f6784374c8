#include "analysis/stages/analysis_pipeline.h"

#include <memory>

#include "analysis/stages/probe_stage.h"

namespace clipthat::analysis {

void AddAnalysisStages(pipeline::Runner& runner, const AnalysisOptions& options,
                       const AnalysisModels& models) {
  runner.Add(std::make_unique<ProbeStage>());
  // Whole-VOD trigger spotting runs on its own thread beside the scans (trigger_scan_stage.h).
  runner.Add(std::make_unique<TriggerScanStage>(models.spotter, options.triggers));
  // Chat before audio: it is cheap, so a bad chat file fails before minutes of decoding.
  runner.Add(std::make_unique<ChatScanStage>(options.chat));
  runner.Add(std::make_unique<AudioScanStage>(options.audio));
  runner.Add(std::make_unique<VideoScanStage>(options.video));
  runner.Add(std::make_unique<CandidatesStage>(options.candidates));
  // The whole-VOD trigger scan keeps the other core busy while the best candidates are
  // transcribed; its triggers then join the moments, and the moments they made worth it get
  // words.
  TranscribeModels transcribe;
  if (models.recognizer != nullptr) transcribe.recognizers.push_back(models.recognizer);
  if (models.spotter != nullptr) transcribe.spotters.push_back(models.spotter);
  for (auto* r : models.more_recognizers) transcribe.recognizers.push_back(r);
  for (auto* s : models.more_spotters) transcribe.spotters.push_back(s);
  runner.Add(std::make_unique<TranscribeStage>(transcribe, options.transcribe));
  // A trigger belongs to the moments whose transcribed window (with its margin) holds it.
  TriggerScanOptions attach = options.triggers;
  attach.attach_margin_ms = options.transcribe.margin_ms;
  runner.Add(std::make_unique<TriggersStage>(attach));
  TranscribeOptions triggered = options.transcribe;
  triggered.triggered_only = true;
  runner.Add(std::make_unique<TranscribeStage>(transcribe, triggered));
  runner.Add(std::make_unique<BoundariesStage>(options.boundaries));
  runner.Add(std::make_unique<RankStage>(options.rank));
  runner.Add(std::make_unique<TitlesStage>(options.titles));
}

}  // namespace clipthat::analysis
