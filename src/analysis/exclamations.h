// Exclamations: the excited words of a reaction in a moment's transcript ("no way", "oh my
// god", "let's go", "what was that", "wow", a word shouted over and over), as evidence that
// the streamer reacted, for moments the audio and chat alone rank too low.
//
//   ExclamationEvidence e = FindExclamations(moment.words, moment.peak_ms);
//   moment.evidence["exclamations"] = e.score;
//
// Words are matched ignoring case, punctuation and apostrophes ("Let's", "lets", "LETS GO!!"),
// against a list of reaction phrases in English and a few other languages streamers use
// (Spanish, Portuguese, French, German). Each distinct phrase counts once per
// repeat_gap_ms; a word said three times running ("no no no", "yes yes yes") counts as one
// exclamation. Only words inside [peak_ms - before_ms, peak_ms + after_ms] with a
// confidence of at least min_confidence count, so words a recogniser "heard" in silence or
// game audio (which come out with low confidence) do not. The score is per_hit per hit, at
// most max_score, in interest-curve units (z): one clear exclamation tips a close call, a
// string of them is as strong as a good audio cue, never as strong as a trigger phrase.
// Pure; cheap (linear in the words).
#pragma once

#include <string>
#include <vector>

#include "analysis/moment.h"

namespace clipthat::analysis {

struct ExclamationOptions {
  TimeMs before_ms = 3000;  // a reaction may start just before the peak
  TimeMs after_ms = 10000;  // ... and go on a while after it
  double min_confidence = 0.5;
  TimeMs repeat_gap_ms = 2000;  // the same phrase again within this counts once
  int repeat_run = 3;           // one word this many times in a row is an exclamation
  double per_hit = 0.4;
  double max_score = 1.2;
};

struct ExclamationHit {
  std::string phrase;  // as listed, lower case: "no way", "oh my god"; "<word> x3" for runs
  TimeMs at_ms = 0;    // start of its first word
};

struct ExclamationEvidence {
  double score = 0;
  std::vector<ExclamationHit> hits;  // time order
};

ExclamationEvidence FindExclamations(const std::vector<MomentWord>& words, TimeMs peak_ms,
                                     const ExclamationOptions& options = {});

// "Let's GOOOO!!" -> "lets goo": lower case ASCII, a letter stretched over three times kept
// twice, apostrophes dropped, other punctuation to spaces, runs of spaces collapsed. Bytes of
// UTF-8 letters (é, ã) are kept as they are.
std::string NormalizeWordText(const std::string& text);

}  // namespace clipthat::analysis
