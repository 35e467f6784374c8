// TriggerVerifier: the second, stricter check of a trigger phrase heard by keyword spotting.
//
// Keyword spotting compares the phrase against a loop of phones, so anything that sounds a
// little like "clip that" ("clipboard", "flip that", "eclipse", game noise) can fire it. The
// verifier re-decodes a short window of audio around the hit with the full English language
// model over a vocabulary of the 5000 most frequent words plus every sound-alike of a phrase
// word ("flip", "lip", "ship", "clipboard", "clipped"), in which the trigger phrases are made
// likelier by interpolating a tiny language model of the phrases (weight `boost_weight`). Real
// words compete with the phrase: "clipboard" is decoded as "clip board", "flip that switch"
// mostly as "flip that switch". The hit is confirmed by the rules of trigger_rules.h on the
// best hypothesis: the phrase in it, starting inside the first-pass hit (which often starts
// late); sure enough (lattice posteriors: "clip" is the distinctive word, the short "that" and
// "it" split theirs between the phrases and their sound-alikes); ending its clause (a
// streamer's request is a command of its own, "clip that!", "clip it clip it", "clip that
// right now", while ordinary sentences run on: "I saw that clip, it was funny", "flip it and
// reverse it"); and the voice stopping there, in the sound. The decoder is unsure of the words
// that follow a phrase ("click that button on the left" is heard as "clip that" and doubtful
// words), the level is not: the streamer's voice is 10-20 dB over the game while speaking.
//
// A remote recognizer as the second check (`remote`: an OpenAI-compatible transcription
// server, speech/remote_recognizer.h, chosen by speech.trigger.verifier=remote): the window is
// transcribed there instead, and the same rules decide on its words alone (a word's
// confidence is its posterior: the server's own when it sends one, else 1; no level check: it
// stands in for the embedded decoder's doubtful words, and a server's word times are too loose
// to place a pause). A remote recognizer also writes punctuation, which the rules read: a
// phrase is not heard across a break ("I saw that clip, it was funny" is not "clip it"), and a
// phrase or tail the server ended with ".", "!", "?" ends its clause with no pause asked
// ("Clip that! What was that" said in one breath). When the server fails (after its own retries)
// the embedded re-decode decides that window, and the failure is logged and counted (Verification::
// remote_error).
//
// Cost: about 0.4 CPU seconds per window (2-3 s of audio; one per first-pass hit, which fires
// about every 4 s of continuous talk) with the embedded re-decode; one request per window with
// a remote one. Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/log.h"
#include "core/result.h"
#include "core/time_units.h"
#include "speech/speech_recognizer.h"
#include "speech/sphinx_decoder.h"
#include "speech/trigger_rules.h"

namespace clipthat::speech {

struct TriggerVerifierOptions : TriggerRuleOptions {
  std::string model_dir = internal::kDefaultModelDir;
  // Words the phrase competes with: the most frequent of the language model (plus the
  // phrases' sound-alikes, always). Fewer decode faster; 5000 decide as the full 130k do.
  int vocabulary_words = 5000;
  double boost_weight = 0.3;  // 0..1: weight of the trigger-phrase LM in the interpolation
  // The decoder's second search, over a flat lexicon (pocketsphinx -fwdflat). Off, the words
  // and the lattice come from the first, tree search: a window decodes in about 70% of the
  // time, and 3 of 6,264 decisions on four bench hours changed (docs/triggers.md).
  bool flat_pass = false;
  // Set: windows are transcribed by this recognizer (a remote one) instead of the embedded
  // re-decode, which stays as the fallback when it fails. Shared by the copies of these
  // options; used by one verifier at a time.
  std::shared_ptr<SpeechRecognizer> remote;
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
  // starting inside the first-pass hit [hit_start_ms, hit_end_ms] (give or take the slack).
  // The levels are measured over up to `level_count` samples (at least `count`; the audio after
  // the decoded window holds the pause after a phrase near its end), no further than the pause
  // after the window needs. InternalError when
  // pocketsphinx fails (a remote recognizer's failure is not an error: see above).
  Result<Verification> Verify(const float* samples, std::size_t count, std::size_t level_count,
                              TimeMs start_ms, TimeMs hit_start_ms, TimeMs hit_end_ms);

  // The decision of Verify() on words already heard and levels already measured (a window
  // decoded for an earlier hit that also covers this one). With no levels (frame_db empty),
  // the words alone decide. Where the levels end less than 100 ms after the clause (the audio
  // stops: the stream ended or the speech gate closed), the voice counts as stopped.
  Verification Match(const std::vector<HeardWord>& heard, const WindowLevels& levels,
                     TimeMs hit_start_ms, TimeMs hit_end_ms) const {
    return rules_.Match(heard, levels, hit_start_ms, hit_end_ms);
  }

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
  TriggerVerifier(LmRef lm, internal::SphinxDecoder decoder, TriggerRules rules,
                  TriggerVerifierOptions options, Logger logger)
      : lm_(std::move(lm)),
        decoder_(std::move(decoder)),
        rules_(std::move(rules)),
        options_(std::move(options)),
        logger_(std::move(logger)) {}

  // The best hypothesis of the embedded re-decode, and the remote recognizer's words.
  Result<std::vector<HeardWord>> DecodeEmbedded(const float* samples, std::size_t count,
                                                TimeMs start_ms);
  Result<std::vector<HeardWord>> HearRemote(const float* samples, std::size_t count,
                                            TimeMs start_ms);

  LmRef lm_;  // declared first: released after the decoder that uses it
  internal::SphinxDecoder decoder_;
  TriggerRules rules_;
  TriggerVerifierOptions options_;
  Logger logger_;
};

}  // namespace clipthat::speech
