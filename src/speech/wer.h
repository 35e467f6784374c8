// Word error rate: how far a recognizer's words are from a reference transcript.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clipthat::speech {

// Lower-cases and splits into words; punctuation is dropped except apostrophes inside a word
// ("Don't!" -> "don't"), and hyphens split words ("cold-hearted" -> "cold", "hearted").
std::vector<std::string> NormalizeWords(std::string_view text);

struct WerCounts {
  int substitutions = 0;
  int deletions = 0;   // reference words missing from the hypothesis
  int insertions = 0;  // hypothesis words not in the reference
  int reference_words = 0;

  int errors() const { return substitutions + deletions + insertions; }
  // errors / reference words; 0 for an empty reference and hypothesis, 1 per inserted word
  // when only the reference is empty.
  double rate() const;
  WerCounts& operator+=(const WerCounts& other);
};

// Levenshtein alignment over words (each edit costs 1).
WerCounts CountWordErrors(const std::vector<std::string>& reference,
                          const std::vector<std::string>& hypothesis);

// Normalises both texts, then CountWordErrors(...).rate().
double WordErrorRate(std::string_view reference, std::string_view hypothesis);

}  // namespace clipthat::speech
