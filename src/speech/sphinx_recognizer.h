// SphinxRecognizer: the embedded speech recognizer, pocketsphinx with the en-us model from
// Debian's pocketsphinx-en-us package. Works offline; about one word in three is wrong on read
// speech, so its words are a starting point for captions, not a finished transcript.
//
//   ASSIGN_OR_RETURN(auto rec, SphinxRecognizer::Create({}, logger));
//   ASSIGN_OR_RETURN(std::vector<Word> words, rec.Transcribe(audio));
//
// Long audio is decoded in utterances of 10–30 s cut at quiet points, so memory and latency
// stay bounded. Not thread-safe: use one recognizer per thread.
#pragma once

#include <string>

#include "core/config.h"
#include "core/log.h"
#include "speech/speech_gate.h"
#include "speech/speech_recognizer.h"
#include "speech/sphinx_decoder.h"
#include "speech/utterance_splitter.h"

namespace clipthat::speech {

struct SphinxOptions {
  // Holds en-us/ (acoustic model), cmudict-en-us.dict and en-us.lm.bin.
  std::string model_dir = internal::kDefaultModelDir;
  SplitOptions split;  // utterance lengths
  // No words without a voice (speech_gate.h): an utterance with no second that sounds like
  // speech is not decoded, and a word is dropped unless the second around it sounds like
  // speech and the word is above the level floor.
  SpeechGateOptions gate{};
  double min_word_confidence = 0.0;  // 0..1: words with a lower posterior are dropped
};

// Reads speech.sphinx.model_dir, speech.sphinx.min_utterance_ms, speech.sphinx.max_utterance_ms.
Result<SphinxOptions> SphinxOptionsFromConfig(const Config& config);

class SphinxRecognizer final : public SpeechRecognizer {
 public:
  // Loads the model (about a second). NotFound names a missing model file.
  static Result<SphinxRecognizer> Create(const SphinxOptions& options, const Logger& logger);

  SphinxRecognizer(SphinxRecognizer&&) noexcept = default;
  SphinxRecognizer& operator=(SphinxRecognizer&&) noexcept = default;

  std::string_view name() const override { return "sphinx"; }
  // Words with times from the start of the media (audio.start_ms added); fillers (<sil>,
  // [NOISE]) dropped, alternates ("read(2)") spelled plainly, confidence the word's posterior.
  // Silence, noise, game audio and music give no words (SphinxOptions::gate).
  Result<std::vector<Word>> Transcribe(const media::AudioBuffer& audio) override;

  // CPU seconds spent in Transcribe() so far, and the audio seconds it was given.
  double cpu_seconds() const { return cpu_seconds_; }
  double audio_seconds() const { return audio_seconds_; }

 private:
  SphinxRecognizer(internal::SphinxDecoder decoder, SphinxOptions options, Logger logger)
      : decoder_(std::move(decoder)), options_(std::move(options)), logger_(std::move(logger)) {}
  Status DecodeUtterance(const float* samples, std::size_t count, TimeMs offset_ms,
                         std::vector<Word>* words);

  internal::SphinxDecoder decoder_;
  SphinxOptions options_;
  Logger logger_;
  double cpu_seconds_ = 0.0;
  double audio_seconds_ = 0.0;
};

// "read(2)" -> "read", lower-cased; "" for fillers and sentence markers (<s>, <sil>, [NOISE]).
std::string CleanSphinxWord(std::string_view word);

}  // namespace clipthat::speech
