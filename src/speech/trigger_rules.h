// TriggerRules: when words heard around a trigger phrase make it a request ("clip that!"), the
// decision of the trigger check (trigger_verifier.h) on words already heard, by whichever
// recognizer heard them. One owner for it: the verifier's re-decode, its remote check and the
// analysis' remote transcripts (analysis/stages/transcribe_stage.h) all decide here.
//
// A phrase counts when all of these hold:
//   - its words are heard in order, with no punctuation between them (a remote recognizer
//     writes it: "that clip, it was funny" has no "clip it"), and, for Match(), starting inside
//     the first-pass hit (give or take slack_before_ms / slack_after_ms);
//   - its confidence is at least min_confidence: the lowest posterior of its words, a word
//     after the first counting follow_weight-fold;
//   - it ends its clause: the recognizer wrote a sentence end after it (".", "!", "?"), or
//     the next word heard with at least clause_min_posterior starts clause_pause_ms or more
//     after it, or is a repeat of a phrase (checked the same way) or a tail word heard with at
//     least tail_min_posterior (which may end the clause the same ways);
//   - the voice stops there: unless a sentence end was written, the sound from pause_from_ms
//     to pause_from_ms + pause_span_ms after the clause's last word is on average at least
//     pause_drop_db below the phrase's median level (20 ms frames). With no levels, or where
//     they end less than 100 ms after the clause, the words alone decide.
// The earliest phrase of a repeat counts, where it was first said. Pure: no model, no I/O.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"
#include "speech/speech_recognizer.h"

namespace clipthat::speech {

struct TriggerRuleOptions {
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
};

// The level of the audio around a decode, 20 ms frame by frame.
struct WindowLevels {
  static constexpr TimeMs kFrameMs = 20;
  TimeMs start_ms = 0;           // where frame_db[0] starts, from the start of the media
  std::vector<double> frame_db;  // mean power of each frame in dB (any fixed reference)

  // Of `count` samples (16 kHz mono, the first at start_ms); a last partial frame is dropped.
  static WindowLevels Measure(const float* samples, std::size_t count, TimeMs start_ms);
};

// A word heard by the check's recognizer.
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

// Words a recognizer gave, as the rules read them (its confidence as the posterior).
std::vector<HeardWord> HeardFromWords(const std::vector<Word>& words);

class TriggerRules {
 public:
  // `phrases`: lower-case words ("clip that"). InvalidArgument for none or an empty one.
  static Result<TriggerRules> Create(const std::vector<std::string>& phrases,
                                     const TriggerRuleOptions& options);

  // The earliest phrase confirmed that starts inside the first-pass hit [hit_start_ms,
  // hit_end_ms] (give or take the slack). `heard` and `levels` are copied into the result.
  Verification Match(const std::vector<HeardWord>& heard, const WindowLevels& levels,
                     TimeMs hit_start_ms, TimeMs hit_end_ms) const;

  // Every confirmed phrase of a transcript, wherever it starts, in time order (a repeat once,
  // where it was first said). The results carry no words or levels.
  std::vector<Verification> FindAll(const std::vector<HeardWord>& heard,
                                    const WindowLevels& levels) const;

  const TriggerRuleOptions& options() const { return options_; }
  // The words of each phrase, in the order given.
  const std::vector<std::vector<std::string>>& phrase_words() const { return phrases_; }

 private:
  TriggerRules(std::vector<std::vector<std::string>> phrases,
               std::vector<std::vector<std::string>> tails, TriggerRuleOptions options)
      : phrases_(std::move(phrases)), tails_(std::move(tails)), options_(std::move(options)) {}

  // The phrase whose words start at heard[i] (its index in phrases_), or -1.
  int PhraseAt(const std::vector<HeardWord>& heard, std::size_t i) const;
  // Where the clause of the phrase at heard[i] (index `phrase`) ends, following repeats and
  // tails: the index of its last word, or -1 when the phrase does not end its clause.
  int ClauseEnd(const std::vector<HeardWord>& heard, std::size_t i, int phrase) const;
  // Whether the voice stops after a clause said from from_ms to to_ms.
  bool VoiceStops(const WindowLevels& levels, TimeMs from_ms, TimeMs to_ms) const;
  // The confidence of the phrase at heard[i] when it is confirmed there, else a negative value;
  // *phrase is set to its index; *last to the index of the clause's last word.
  double ConfirmAt(const std::vector<HeardWord>& heard, const WindowLevels& levels, std::size_t i,
                   int* phrase, int* last) const;

  std::vector<std::vector<std::string>> phrases_;  // words of each phrase
  std::vector<std::vector<std::string>> tails_;    // words of each tail
  TriggerRuleOptions options_;
};

}  // namespace clipthat::speech
