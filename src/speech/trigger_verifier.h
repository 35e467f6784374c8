// TriggerVerifier: the second, stricter check of a trigger phrase heard by keyword spotting.
//
// Keyword spotting compares the phrase against a loop of phones, so anything that sounds a
// little like "clip that" ("clipboard", "flip that", "eclipse", game noise) can fire it. The
// verifier re-decodes a short window of audio around the hit with the full English language
// model over a vocabulary of the 5000 most frequent words plus every sound-alike of a phrase
// word ("flip", "lip", "ship", "clipboard", "clipped"), in which the trigger phrases are made
// likelier by interpolating a tiny language model of the phrases (weight `boost_weight`). Real
// words compete with the phrase: "clipboard" is decoded as "clip board", "flip that switch"
// mostly as "flip that switch". The hit is confirmed when the phrase's words are in the best
// hypothesis, in order, starting inside the first-pass hit; its confidence is the lowest
// lattice posterior of those words (0..1; a word where phrases sharing the words before it
// differ, "that" in "clip that" / "clip it", counts double: its posterior is split between
// two triggers), and below min_confidence it is not confirmed.
//
// Cost: about 0.3 CPU seconds per second of window (a hit costs about half a second); hits
// are rare, so this stays a small share of spotting. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/log.h"
#include "core/result.h"
#include "core/time_units.h"
#include "speech/sphinx_decoder.h"

namespace clipthat::speech {

struct TriggerVerifierOptions {
  std::string model_dir = internal::kDefaultModelDir;
  // Words the phrase competes with: the most frequent of the language model (plus the
  // phrases' sound-alikes, always). Fewer decode faster; 5000 decide as the full 130k do.
  int vocabulary_words = 5000;
  double boost_weight = 0.3;  // 0..1: weight of the trigger-phrase LM in the interpolation
  TimeMs slack_ms = 400;      // the confirmed phrase starts inside the first-pass hit, give or take
  double min_confidence = 0.6;  // posterior below this: not confirmed
};

// A word of the verifier's best hypothesis.
struct HeardWord {
  std::string word;
  TimeMs start_ms = 0;     // from the start of the media
  double posterior = 0.0;  // 0..1, lattice posterior
};

struct Verification {
  bool confirmed = false;
  std::string phrase;            // the phrase confirmed ("" when none)
  TimeMs at_ms = 0;              // where its first word starts, from the start of the media
  double confidence = 0.0;       // 0..1, lowest posterior of its words (0 when not confirmed)
  std::string heard;             // the window's best hypothesis, for logs and tuning
  std::vector<HeardWord> words;  // the same, word by word
};

class TriggerVerifier {
 public:
  // `phrases`: lower-case dictionary words ("clip that"). NotFound names a missing model file;
  // InvalidArgument a phrase word missing from the dictionary.
  static Result<TriggerVerifier> Create(const std::vector<std::string>& phrases,
                                        const TriggerVerifierOptions& options,
                                        const Logger& logger);

  TriggerVerifier(TriggerVerifier&&) noexcept = default;
  TriggerVerifier& operator=(TriggerVerifier&&) noexcept = default;
  ~TriggerVerifier();

  // Decodes `count` samples (16 kHz mono, the first at `start_ms`) and looks for a phrase
  // starting inside the first-pass hit [hit_start_ms, hit_end_ms] (give or take slack_ms).
  // InternalError when pocketsphinx fails.
  Result<Verification> Verify(const float* samples, std::size_t count, TimeMs start_ms,
                              TimeMs hit_start_ms, TimeMs hit_end_ms);

  // The decision of Verify() on words already heard (a window decoded for an earlier hit that
  // also covers this one).
  Verification Match(const std::vector<HeardWord>& heard, TimeMs hit_start_ms,
                     TimeMs hit_end_ms) const;

 private:
  struct LmRef {  // one reference to a pocketsphinx language model (set), released last
    void* lm = nullptr;
    LmRef() = default;
    LmRef(LmRef&& o) noexcept : lm(std::exchange(o.lm, nullptr)) {}
    LmRef& operator=(LmRef&& o) noexcept;
    LmRef(const LmRef&) = delete;
    LmRef& operator=(const LmRef&) = delete;
    ~LmRef();
  };
  TriggerVerifier(LmRef lm, internal::SphinxDecoder decoder,
                  std::vector<std::vector<std::string>> phrases, TriggerVerifierOptions options)
      : lm_(std::move(lm)),
        decoder_(std::move(decoder)),
        phrases_(std::move(phrases)),
        options_(std::move(options)) {}

  LmRef lm_;  // declared first: released after the decoder that uses it
  internal::SphinxDecoder decoder_;
  std::vector<std::vector<std::string>> phrases_;  // words of each phrase
  TriggerVerifierOptions options_;
};

}  // namespace clipthat::speech
