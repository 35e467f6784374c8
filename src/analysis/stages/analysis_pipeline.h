// The analysis pipeline as one call: the stages in order with their options, so `clip`,
// `analyze` and the worker assemble the same pipeline.
#pragma once

#include "analysis/stages/audio_scan_stage.h"
#include "analysis/stages/boundaries_stage.h"
#include "analysis/stages/candidates_stage.h"
#include "analysis/stages/chat_scan_stage.h"
#include "analysis/stages/rank_stage.h"
#include "analysis/stages/titles_stage.h"
#include "analysis/stages/transcribe_stage.h"
#include "analysis/stages/trigger_scan_stage.h"
#include "analysis/stages/video_scan_stage.h"
#include "pipeline/runner.h"

namespace clipthat::analysis {

struct AnalysisOptions {
  AudioScanOptions audio{};
  VideoScanOptions video{};
  ChatScanOptions chat{};
  CandidateOptions candidates{};  // peaks.top_k: candidates (about 3x the moments wanted)
  TriggerScanOptions triggers{};  // whole-VOD trigger spotting, with the models' spotter
  TranscribeOptions transcribe{};
  BoundaryOptions boundaries{};
  RankStageOptions rank{};  // rank.top_n: the moments kept
  TitlesStageOptions titles{};
};

// The models the caller owns (they must outlive the run); null ones are skipped.
struct AnalysisModels {
  speech::SpeechRecognizer* recognizer = nullptr;
  speech::KeywordSpotter* spotter = nullptr;  // also the whole-VOD trigger scan's
  // More of each: candidate windows are transcribed (spotted) on one thread per model at once.
  std::vector<speech::SpeechRecognizer*> more_recognizers;
  std::vector<speech::KeywordSpotter*> more_spotters;
};

// probe -> trigger_scan (starts; runs beside the next stages) -> chat_scan -> audio_scan ->
// (video_scan) -> candidates -> transcribe -> triggers (waits for the scan) -> trigger_words
// -> boundaries -> rank -> titles. The caller sets kAnalysisInputSlot; the result is in
// kMomentsSlot (and kProbeSlot, kInterestCurveSlot).
void AddAnalysisStages(pipeline::Runner& runner, const AnalysisOptions& options,
                       const AnalysisModels& models = {});

}  // namespace clipthat::analysis
