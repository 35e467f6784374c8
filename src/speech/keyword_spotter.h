// SphinxKeywordSpotter: finds trigger phrases ("clip that") with pocketsphinx keyword spotting.
//
// Each phrase has its own detection threshold: lower (1e-40) finds more and fires falsely more,
// higher (1e-10) misses more. The defaults were tuned on synthetic speech mixed with noise
// (keyword_spotter_test.cc prints recall and false hits). Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "core/log.h"
#include "speech/speech_recognizer.h"
#include "speech/sphinx_decoder.h"
#include "speech/utterance_splitter.h"

namespace clipthat::speech {

struct Keyphrase {
  std::string phrase;        // lower-case words of the dictionary ("clip that")
  double threshold = 1e-20;  // pocketsphinx kws threshold, p(phrase)/p(other)
};

struct KeywordSpotterOptions {
  std::vector<Keyphrase> phrases = {{"clip that", 1e-20}, {"clip it", 1e-20}};
  std::string model_dir = internal::kDefaultModelDir;
  TimeMs merge_ms = 1000;  // hits of one phrase closer than this are one hit
  SplitOptions split;
};

// Parses "clip that/1e-20/, clip it" (the pocketsphinx kws-file form, comma-separated; a
// phrase without /threshold/ gets `default_threshold`). InvalidArgument names a bad entry.
Result<std::vector<Keyphrase>> ParseKeyphrases(std::string_view text, double default_threshold);

// Reads speech.kws.phrases (ParseKeyphrases form), speech.kws.threshold (default for phrases
// without their own) and speech.sphinx.model_dir.
Result<KeywordSpotterOptions> KeywordSpotterOptionsFromConfig(const Config& config);

class SphinxKeywordSpotter final : public KeywordSpotter {
 public:
  // InvalidArgument when there are no phrases or a word is not in the dictionary.
  static Result<SphinxKeywordSpotter> Create(const KeywordSpotterOptions& options,
                                             const Logger& logger);

  SphinxKeywordSpotter(SphinxKeywordSpotter&&) noexcept = default;
  SphinxKeywordSpotter& operator=(SphinxKeywordSpotter&&) noexcept = default;

  // Hits in time order, at_ms from the start of the media. InvalidArgument unless 16 kHz mono.
  Result<std::vector<TriggerHit>> Spot(const media::AudioBuffer& audio) override;

 private:
  SphinxKeywordSpotter(internal::SphinxDecoder decoder, KeywordSpotterOptions options)
      : decoder_(std::move(decoder)), options_(std::move(options)) {}

  internal::SphinxDecoder decoder_;
  KeywordSpotterOptions options_;
  int frames_done_ = 0;  // frames decoded in earlier utterances (kws frame numbers count them)
};

}  // namespace clipthat::speech
