// transcribe: speech recognition on the candidate windows only (the expensive model never sees
// the whole VOD), and on the best of them only (TranscribeOptions::words_for_top). For each moment
// in kMomentsSlot it decodes the window's audio (plus a margin, so boundaries can find sentence
// ends just outside it) at 16 kHz mono and fills Moment::words from the recognizer, and
// Moment::triggers with the trigger phrases the keyword spotter hears in the window. When the
// whole-VOD trigger scan runs (trigger_scan_stage.h) the stage does not spot windows: the scan's
// verified triggers are attached by the triggers stage after it, and a second instance
// (`triggered_only`) gives words to the moments those triggers made worth them. So the scan's
// thread works while this stage transcribes, on the other core. Only without any spotter (a
// remote backend) are trigger phrases taken from the transcript, by the trigger rules
// (speech/trigger_rules.h: the phrase must end its clause; the backend's punctuation is read),
// with their confidence.
//
// The recognizer and spotter are owned by the caller and must outlive the run. Without a
// recognizer the stage logs that words are not transcribed and does nothing (the spotter alone
// still runs when given). A VOD without audio is skipped likewise. A window the backend fails
// on fails the stage, naming the window.
#pragma once

#include <string>
#include <vector>

#include "analysis/moment.h"
#include "pipeline/stage.h"
#include "speech/speech_recognizer.h"

namespace clipthat::analysis {

struct TranscribeOptions {
  TimeMs margin_ms = 3000;  // decoded before and after each candidate window
  std::vector<std::string> trigger_phrases = {"clip that", "clip it"};
  // Coarse to fine inside the stage: the keyword spotter (cheap) hears every candidate; the
  // recognizer (several times dearer) transcribes only the best `words_for_top` candidates,
  // ordered by score plus `trigger_priority_bonus` when a trigger was heard. 0 = all. The
  // others keep no words; boundaries then snap them to silences.
  int words_for_top = 0;
  double trigger_priority_bonus = 3.0;  // curve units (z), as the rank's trigger bonus
  // The second instance of the stage, after the triggers stage: only moments with a verified
  // trigger phrase from the whole-VOD scan and no words yet get words (the scan runs beside the
  // first instance, so its triggers were not known when that one chose whom to transcribe).
  // Does nothing when the whole-VOD scan did not run.
  bool triggered_only = false;
};

// Trigger phrases in a transcript: the phrase's words in sequence, ignoring case and
// punctuation. Each hit is a "phrase" trigger at its first word's start, its confidence the
// lowest of its words'.
std::vector<MomentTrigger> FindTriggerPhrases(const std::vector<MomentWord>& words,
                                              const std::vector<std::string>& phrases);

// The models the stage works with, each used by one thread at a time: with two recognizers
// (spotters) two windows are transcribed (spotted) at once, on two threads. Either list may be
// empty; every pointer is owned by the caller and outlives the run.
struct TranscribeModels {
  std::vector<speech::SpeechRecognizer*> recognizers;
  std::vector<speech::KeywordSpotter*> spotters;
};

class TranscribeStage final : public pipeline::Stage {
 public:
  TranscribeStage(TranscribeModels models, TranscribeOptions options = {})
      : models_(std::move(models)), options_(std::move(options)) {}
  // One of each (either pointer may be null).
  TranscribeStage(speech::SpeechRecognizer* recognizer, speech::KeywordSpotter* spotter,
                  TranscribeOptions options = {});
  std::string_view name() const override {
    return options_.triggered_only ? "trigger_words" : "transcribe";
  }
  double weight() const override { return models_.recognizers.empty() ? 0.01 : 1.0; }
  // Reads kAnalysisInputSlot, kProbeSlot, kTriggerScanJobSlot and kTriggersSlot (both
  // optional); updates kMomentsSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  TranscribeModels models_;
  TranscribeOptions options_;
};

}  // namespace clipthat::analysis
