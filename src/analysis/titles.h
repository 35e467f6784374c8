// Titles: a short extractive title per moment, from what was said and what chat wrote.
//
//   1. transcript: the most salient phrase near the peak: a run of words between pauses,
//      scored by closeness to the peak, recogniser confidence and content words (not "uh",
//      "the", "and"); only phrases of confident words (each at least min_word_confidence,
//      on average min_phrase_confidence), at least two different words ("Dog dog" is the
//      recogniser hearing things, not a title);
//   2. chat: the line most distinct chatters wrote around the peak (compared in lower case
//      with stretched letters cut: "WHO IS THIS GUY" and "who is this guyyy" are one line),
//      at least min_chat_writers of them, with two different real words (not only emotes,
//      laughter, "W" or "clip it"); written in capitals it is put in sentence case; emotes the
//      replay marks, channel emote codes ("kimdoeGT") and known emote names are dropped;
//   3. fallback: "<what happened> at 12:34", from the strongest evidence: "Streamer calls
//      for a clip", "Chat asks for a clip", "Chat can't stop laughing" / "Chat can't believe
//      it" / "Chat goes wild" (the reaction most viewers typed), "Streamer cracks up",
//      "Streamer loses it", "Big reaction".
// Cleaning: filler tokens, emote codes, laughter runs ("ㅋㅋㅋ", "hahaha") and profanity are
// removed as whole words (never replaced by "***"); words are never cut; at most max_chars
// characters; first letter upper case; surrounding punctuation tidied. Any script works.
#pragma once

#include <string>
#include <vector>

#include "analysis/moment.h"
#include "chat/chat_message.h"

namespace clipthat::analysis {

struct TitleOptions {
  size_t max_chars = 60;
  int min_words = 2;  // a phrase shorter than this is not a title
  int max_words = 9;
  TimeMs phrase_gap_ms = 500;           // a pause this long separates phrases
  double min_word_confidence = 0.3;     // words under this are left out
  double min_phrase_confidence = 0.5;   // mean over a phrase's words
  size_t min_chat_writers = 3;          // distinct chatters who wrote the line
  TimeMs chat_window_before_ms = 2000;  // chat around the peak (already delay-corrected times)
  TimeMs chat_window_after_ms = 25000;
};

// `chat` sorted by time (may be empty). Never returns an empty string.
std::string ExtractiveTitle(const Moment& moment, const std::vector<chat::ChatMessage>& chat,
                            const TitleOptions& options = {});

// Removes emote codes, filler tokens and profanity as whole words, tidies spaces and
// punctuation, shortens to max_chars at a word boundary and capitalises. Empty when nothing
// is left.
std::string CleanTitle(const std::string& text, size_t max_chars = 60);

}  // namespace clipthat::analysis
