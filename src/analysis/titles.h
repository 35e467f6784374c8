// Titles: a short extractive title per moment, from what was said and what chat wrote.
//
//   1. transcript: the most salient phrase near the peak: a run of words between pauses,
//      scored by closeness to the peak, recogniser confidence and content words (not "uh",
//      "the", "and");
//   2. chat: the phrase most chatters wrote around the peak, when it has real words (not only
//      emotes, "W" or "clip it");
//   3. fallback: "<what happened> at 12:34", from the strongest evidence ("Chat explodes",
//      "Big reaction", "Clip request").
// Cleaning: filler tokens, emote codes and profanity are removed as whole words (never
// replaced by "***"); words are never cut; at most max_chars characters; first letter upper
// case; surrounding punctuation tidied.
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
  TimeMs chat_window_before_ms = 2000;  // chat around the peak (already delay-corrected times)
  TimeMs chat_window_after_ms = 20000;
};

// `chat` sorted by time (may be empty). Never returns an empty string.
std::string ExtractiveTitle(const Moment& moment, const std::vector<chat::ChatMessage>& chat,
                            const TitleOptions& options = {});

// Removes emote codes, filler tokens and profanity as whole words, tidies spaces and
// punctuation, shortens to max_chars at a word boundary and capitalises. Empty when nothing
// is left.
std::string CleanTitle(const std::string& text, size_t max_chars = 60);

}  // namespace clipthat::analysis
