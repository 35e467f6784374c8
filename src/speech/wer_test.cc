#include "speech/wer.h"

#include <gtest/gtest.h>

namespace clipthat::speech {
namespace {

TEST(NormalizeWords, LowerCasesAndDropsPunctuation) {
  EXPECT_EQ(NormalizeWords("Don't stop, Mr. Dashwood!  cold-hearted"),
            (std::vector<std::string>{"don't", "stop", "mr", "dashwood", "cold", "hearted"}));
  EXPECT_TRUE(NormalizeWords(" ... ").empty());
  EXPECT_EQ(NormalizeWords("'quoted'"), (std::vector<std::string>{"quoted"}));
}

TEST(CountWordErrors, CountsEachKind) {
  auto c = CountWordErrors({"a", "b", "c", "d"}, {"a", "x", "c", "d", "e"});
  EXPECT_EQ(c.substitutions, 1);
  EXPECT_EQ(c.insertions, 1);
  EXPECT_EQ(c.deletions, 0);
  EXPECT_EQ(c.reference_words, 4);
  EXPECT_DOUBLE_EQ(c.rate(), 0.5);

  auto d = CountWordErrors({"a", "b", "c"}, {"c"});
  EXPECT_EQ(d.deletions, 2);
  EXPECT_EQ(d.errors(), 2);
}

TEST(WordErrorRate, IdenticalAfterNormalisationIsZero) {
  EXPECT_DOUBLE_EQ(WordErrorRate("He was not an ill-disposed young man.",
                                 "he was not an ill disposed young man"),
                   0.0);
}

TEST(WordErrorRate, EdgeCases) {
  EXPECT_DOUBLE_EQ(WordErrorRate("", ""), 0.0);
  EXPECT_DOUBLE_EQ(WordErrorRate("", "one two"), 2.0);
  EXPECT_DOUBLE_EQ(WordErrorRate("one two", ""), 1.0);
  // Insertions can push the rate above 1.
  EXPECT_DOUBLE_EQ(WordErrorRate("a", "b c d"), 3.0);
}

TEST(WerCounts, Accumulates) {
  WerCounts total;
  total += CountWordErrors({"a", "b"}, {"a"});
  total += CountWordErrors({"c", "d"}, {"c", "d"});
  EXPECT_EQ(total.reference_words, 4);
  EXPECT_DOUBLE_EQ(total.rate(), 0.25);
}

}  // namespace
}  // namespace clipthat::speech
