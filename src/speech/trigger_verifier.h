// TriggerVerifier: the second, stricter check of a trigger phrase heard by keyword spotting.
//
// Keyword spotting compares the phrase against a loop of phones, so anything that sounds a
// little like "clip that" ("clipboard", "flip that", "eclipse", game noise) can fire it. The
// verifier re-decodes a short window of audio around the hit with the full English language
// model over a vocabulary of the 5000 most frequent words plus every sound-alike of a phrase
// word ("flip", "lip", "ship", "clipboard", "clipped"), in which the trigger phrases are made
// likelier by interpolating a tiny language model of the phrases (weight `boost_weight`). Real
// words compete with the phrase: "clipboard" is decoded as "clip board", "flip that switch"
// mostly as "flip that switch". The hit is confirmed when all of these hold:
//   - the phrase's words are in the best hypothesis, in order, starting inside the first-pass
//     hit (which often starts late: up to slack_before_ms earlier, slack_after_ms later);
//   - its confidence is at least min_confidence. The confidence is the lowest lattice
//     posterior of its words (0..1), where a word after the first counts follow_weight-fold:
//     the first word ("clip") is the distinctive one, and the short words after it ("that",
//     "it") split their posterior between the phrases and their sound-alikes;
//   - the phrase ends its clause. A streamer's request is a command of its own: "clip that!",
//     "clip it clip it", "clip that right now", "chat, clip that one". Ordinary sentences run
//     on ("I saw that clip, it was funny", "flip it and reverse it", "clip that level"). So the
//     first word heard after the phrase with a posterior of at least clause_min_posterior must
//     start clause_pause_ms or more after the phrase ends ("Clip that! That was insane"), or
//     be a repeat of a phrase (the repeat is then checked the same way) or one of tail_words
//     ("now", "please", "chat", "one") heard with at least tail_min_posterior. Silence, or
//     only words heard with a lower posterior than clause_min_posterior, ends the clause;
//   - and the voice stops there: the sound from pause_from_ms to pause_from_ms + pause_span_ms
//     after the clause's last word is on average at least pause_drop_db below the phrase's
//     median level (20 ms frames). The decoder is unsure of the words that follow a phrase
//     ("click that button on the left" is heard as "clip that" and doubtful words), the level
//     is not: the streamer's voice is 10-20 dB over the game while speaking.
// The earliest confirmed phrase of a window counts (a repeat is asked once, where it was
// first said).
//
// A remote recognizer as the second check (`remote`: an OpenAI-compatible transcription
// server, speech/remote_recognizer.h, chosen by speech.trigger.verifier=remote): the window is
// transcribed there instead, and the same rules decide on its words (a word's confidence is
// its posterior; the server's own when it sends one, else 1). A remote recognizer also writes
// punctuation, which the rules read: a phrase is not heard across a break ("I saw that clip,
// it was funny" is not "clip it"), and a phrase or tail the server ended with ".", "!", "?"
// ends its clause with no pause asked, in the words or in the sound ("Clip that! What was
// that" said in one breath). When the server fails (after its own retries) the embedded
// re-decode decides that window, and the failure is logged and counted (Verification::
// remote_error).
//
// Cost: about 0.3 CPU seconds per second of window (a hit costs about half a second) with the
// embedded re-decode; one request of 2-3 s of audio per window with a remote one. Not
// thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/log.h"
#include "core/result.h"
#include "core/time_units.h"
#include "speech/speech_recognizer.h"
#include "speech/sphinx_decoder.h"

namespace clipthat::speech {

struct TriggerVerifierOptions {
  std::string model_dir = internal::kDefaultModelDir;
  // Words the phrase competes with: the most frequent of the language model (plus the
  // phrases' sound-alikes, always). Fewer decode faster; 5000 decide as the full 130k do.
  int vocabulary_words = 5000;
  double boost_weight = 0.3;  // 0..1: weight of the trigger-phrase LM in the interpolation
  // The confirmed phrase starts inside the first-pass hit, up to this much earlier or later.
  TimeMs slack_before_ms = 1000;
  TimeMs slack_after_ms = 400;
  double min_confidence = 0.3;  // confidence below this: not confirmed
  // A word after the phrase's first counts this many times its posterior.
  double follow_weight = 4.0;
  // The phrase ends its clause: the next word heard with at least clause_min_posterior that
  // starts less than clause_pause_ms after the phrase ends is a repeat or a tail word, or there
  // is none.
  TimeMs clause_pause_ms = 400;
  double clause_min_posterior = 0.05;
  // Words (or word sequences) a command may run on with: "clip that right now", "clip it
  // please", "chat clip that one", "clip it before it's gone". Not "right" alone: "eclipse
  // last night" is heard as "clip that right".
  std::vector<std::string> tail_words = {"now", "right now",  "please",   "chat",    "mods",
                                         "one", "guys",       "boys",     "bro",     "dude",
                                         "man", "yo",         "somebody", "someone", "before",
                                         "for", "real quick", "quick"};
  // A tail counts only when each of its words is heard with at least this posterior: "the
  // eclipse event starts" was heard as "clip that man/0.08 it/0.06 starts".
  double tail_min_posterior = 0.3;
  // The pause after the clause, in the sound itself (see above). 0 or less: not asked.
  double pause_drop_db = 3.0;
  TimeMs pause_from_ms = 40;
  TimeMs pause_span_ms = 400;
  // Set: windows are transcribed by this recognizer (a remote one) instead of the embedded
  // re-decode, which stays as the fallback when it fails. Shared by the copies of these
  // options; used by one verifier at a time.
  std::shared_ptr<SpeechRecognizer> remote;
};

// The level of the audio around a decode, 20 ms frame by frame.
struct WindowLevels {
  static constexpr TimeMs kFrameMs = 20;
  TimeMs start_ms = 0;           // where frame_db[0] starts, from the start of the media
  std::vector<double> frame_db;  // mean power of each frame in dB (any fixed reference)

  // Of `count` samples (16 kHz mono, the first at start_ms); a last partial frame is dropped.
  static WindowLevels Measure(const float* samples, std::size_t count, TimeMs start_ms);
};

// A word of the verifier's best hypothesis.
struct HeardWord {
  std::string word;
  TimeMs start_ms = 0;     // from the start of the media
  TimeMs end_ms = 0;       // where it ends, the same clock
  double posterior = 0.0;  // 0..1, lattice posterior
  // Punctuation written after the word (remote recognizers only; speech::Word has the same).
  bool break_after = false;
  bool sentence_end = false;
};

struct Verification {
  bool confirmed = false;
  std::string phrase;            // the phrase confirmed ("" when none)
  TimeMs at_ms = 0;              // where its first word starts, from the start of the media
  double confidence = 0.0;       // 0..1, lowest posterior of its words (0 when not confirmed)
  std::string heard;             // the window's best hypothesis, for logs and tuning
  std::vector<HeardWord> words;  // the same, word by word
  WindowLevels levels;           // the sound the decision looked at
  bool remote = false;           // the words came from the remote recognizer
  std::string remote_error;      // it failed on this window (the embedded re-decode decided)
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
                     TimeMs hit_start_ms, TimeMs hit_end_ms) const;

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
                  std::vector<std::vector<std::string>> phrases,
                  std::vector<std::vector<std::string>> tails, TriggerVerifierOptions options,
                  Logger logger)
      : lm_(std::move(lm)),
        decoder_(std::move(decoder)),
        phrases_(std::move(phrases)),
        tails_(std::move(tails)),
        options_(std::move(options)),
        logger_(std::move(logger)) {}

  // The best hypothesis of the embedded re-decode, and the remote recognizer's words.
  Result<std::vector<HeardWord>> DecodeEmbedded(const float* samples, std::size_t count,
                                                TimeMs start_ms);
  Result<std::vector<HeardWord>> HearRemote(const float* samples, std::size_t count,
                                            TimeMs start_ms);

  LmRef lm_;  // declared first: released after the decoder that uses it
  internal::SphinxDecoder decoder_;
  // The phrase whose words start at heard[i] (its index in phrases_), or -1.
  int PhraseAt(const std::vector<HeardWord>& heard, std::size_t i) const;
  // Where the clause of the phrase at heard[i] (index `phrase`) ends, following repeats and
  // tails: the index of its last word, or -1 when the phrase does not end its clause.
  int ClauseEnd(const std::vector<HeardWord>& heard, std::size_t i, int phrase) const;
  // Whether the voice stops after a clause said from from_ms to to_ms.
  bool VoiceStops(const WindowLevels& levels, TimeMs from_ms, TimeMs to_ms) const;

  std::vector<std::vector<std::string>> phrases_;  // words of each phrase
  std::vector<std::vector<std::string>> tails_;    // words of each tail
  TriggerVerifierOptions options_;
  Logger logger_;
};

}  // namespace clipthat::speech
