// TriggerSpotter: spoken trigger phrases ("clip that", "clip it") that count only when said.
//
// Two passes, coarse to fine:
//   1. pocketsphinx keyword spotting over all the audio it is given, with permissive
//      thresholds (it hears nearly every trigger, and many things that are not);
//   2. every first-pass hit is re-decoded by TriggerVerifier (trigger_verifier.h): the full
//      language model and dictionary compete with the phrase, so sound-alikes ("clipboard",
//      "flip that", "eclipse") are heard as what they are. Only confirmed hits are kept, each
//      with the verifier's confidence (0..1).
// Hits of one spoken phrase (the spotter fires several times per utterance, and "clip that"
// and "clip it" share their first word) are merged: confirmed triggers closer than merge_ms
// are one trigger.
//
// Works on a whole file and on a live stream alike: Push() takes audio chunks in time order as
// they come and keeps the last seconds for the verifier; a hit is verified as soon as the audio
// after it (window_after_ms) has arrived, so latency is a second or two. A chunk that does not
// start where the previous ended (skipped silence) starts a new stretch. Finish() verifies
// what is still pending. Not thread-safe: one spotter per thread.
//
//   ASSIGN_OR_RETURN(auto spotter, TriggerSpotter::Create({}, logger));
//   for (each chunk) { RETURN_IF_ERROR(spotter.Push(chunk)); Handle(spotter.TakeTriggers()); }
//   RETURN_IF_ERROR(spotter.Finish()); Handle(spotter.TakeTriggers());
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/log.h"
#include "speech/keyword_spotter.h"
#include "speech/speech_gate.h"
#include "speech/speech_recognizer.h"
#include "speech/sphinx_decoder.h"
#include "speech/trigger_verifier.h"

namespace clipthat::speech {

// The first pass's threshold (a hit's phrase / phone-loop likelihood ratio must pass it).
// Permissive on purpose, the verifier does the rejecting, but no lower than it needs: on the
// five tuning hours of the bench the lowest ratio of a trigger the verifier confirmed was about
// 1e-28, and 1e-30 fires about half as often as 1e-40 on continuous talk (half the decodes to
// verify).
inline constexpr double kDefaultTriggerKwsThreshold = 1e-30;

struct TriggerSpotterOptions {
  std::vector<Keyphrase> phrases = {{"clip that", kDefaultTriggerKwsThreshold},
                                    {"clip it", kDefaultTriggerKwsThreshold}};
  std::string model_dir = internal::kDefaultModelDir;
  int kws_frame_skip = 2;  // acoustic scores on every Nth frame (-ds); 2 halves the cost
  // Verifier window: from window_before_ms before the first-pass hit's start to
  // window_after_ms after its end (the spotter ends hits early; at least 0.8 s after the
  // start), each end moved to the quietest point within window_trim_ms inside it.
  TimeMs window_before_ms = 1500;
  TimeMs window_after_ms = 1200;
  TimeMs window_trim_ms = 900;
  TimeMs merge_ms = 2000;           // confirmed triggers closer than this are one
  TimeMs min_utterance_ms = 10000;  // first-pass utterances end at a quiet block after this
  TimeMs max_utterance_ms = 30000;  // and always after this
  TriggerVerifierOptions verify{};
  // Only audio that sounds like speech (speech_gate.h), in windows of gate_window_ms with one
  // window of context on each side, reaches the first pass: game audio, music and silence
  // neither cost time nor fire.
  bool gate_speech = true;
  TimeMs gate_window_ms = 1000;
  SpeechGateOptions gate{};
  bool record_first_pass = false;  // keep every first-pass hit time in stats (benchmarks)
  bool verify_hits = true;         // false: the first pass alone, nothing confirmed (benchmarks)
};

// Reads speech.trigger.phrases ("clip that, clip it"; a /threshold/ per phrase sets its first
// pass, as in speech.kws.phrases), speech.trigger.kws_threshold (default 1e-30),
// speech.trigger.min_confidence (0..1), speech.trigger.pause_drop_db (dB the voice must fall
// after a phrase; 0 or less: not asked), speech.trigger.verifier (`sphinx`, the default: the
// embedded re-decode; `remote`: the speech.remote.* transcription server checks each hit,
// trigger_verifier.h; its wait per window is speech.trigger.remote_timeout_ms, default 10000,
// in place of speech.remote.timeout_ms) and speech.sphinx.model_dir.
Result<TriggerSpotterOptions> TriggerSpotterOptionsFromConfig(const Config& config);

// Counters for benchmarks and logs.
struct TriggerSpotterStats {
  double audio_seconds = 0;    // audio pushed
  double spotted_seconds = 0;  // of it, what the speech gate let through to the first pass
  double kws_cpu_seconds = 0;  // first pass
  double verify_cpu_seconds = 0;
  int first_pass_hits = 0;  // after merging overlapping detections
  int decoded = 0;          // verifier decodes (hits in one decoded window share it)
  int verified = 0;         // confirmed (before merging repeats)
  int remote_checked = 0;   // decodes the remote recognizer decided (speech.trigger.verifier)
  int remote_failed = 0;    // decodes it failed on, decided by the embedded re-decode instead
  std::vector<TimeMs> first_pass_at_ms;  // each first-pass hit, with record_first_pass
  // Each first-pass hit and what became of it, with record_first_pass (tuning).
  struct Record {
    std::string phrase;
    TimeMs start_ms = 0, end_ms = 0;
    double log10_ratio = 0;  // the first pass's best phrase / phone-loop likelihood ratio
    bool confirmed = false;  // by the verifier
    double confidence = 0;
    std::string heard;
  };
  std::vector<Record> records;
};

class TriggerSpotter final : public KeywordSpotter {
 public:
  // NotFound names a missing model file; InvalidArgument no phrases or an unknown word.
  static Result<TriggerSpotter> Create(const TriggerSpotterOptions& options, const Logger& logger);

  TriggerSpotter(TriggerSpotter&&) noexcept;
  TriggerSpotter& operator=(TriggerSpotter&&) noexcept;
  ~TriggerSpotter() override;

  bool streams() const override { return true; }
  // Appends audio (16 kHz mono; InvalidArgument otherwise). Chunks come in time order.
  Status Push(const media::AudioBuffer& chunk) override;
  // Ends the stream: the first pass's last utterance is closed and pending hits verified.
  // Push() afterwards starts a new stream.
  Status Finish() override;
  // Confirmed triggers not taken yet, in time order.
  std::vector<TriggerHit> TakeTriggers() override;

  // KeywordSpotter: the whole buffer as one stream (Push, Finish, TakeTriggers).
  Result<std::vector<TriggerHit>> Spot(const media::AudioBuffer& audio) override;

  const TriggerSpotterStats& stats() const;

 private:
  struct State;
  explicit TriggerSpotter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace clipthat::speech
