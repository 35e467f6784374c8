#include "analysis/exclamations.h"

#include <gtest/gtest.h>

#include <sstream>

namespace clipthat::analysis {
namespace {

// Words of `text` from `start_ms`, 300 ms each with 100 ms gaps (a "|" adds a 600 ms pause).
std::vector<MomentWord> Say(const std::string& text, TimeMs start_ms, double confidence = 0.9) {
  std::vector<MomentWord> words;
  std::istringstream in(text);
  TimeMs t = start_ms;
  for (std::string w; in >> w;) {
    if (w == "|") {
      t += 600;
      continue;
    }
    words.push_back({w, t, t + 300, confidence});
    t += 400;
  }
  return words;
}

TEST(Exclamations, NormalizesCasePunctuationAndStretching) {
  EXPECT_EQ(NormalizeWordText("Let's GO!!"), "lets go");
  EXPECT_EQ(NormalizeWordText("NOOOOO"), "noo");
  EXPECT_EQ(NormalizeWordText("  what...the  "), "what the");
  EXPECT_EQ(NormalizeWordText("increíble"), "increíble");
}

TEST(Exclamations, AReactionScoresAndCalmTalkDoesNot) {
  const auto excited = Say("No way! No way! Did you see that? Oh my god, let's GOOO!", 10000);
  const ExclamationEvidence e = FindExclamations(excited, 10000);
  ASSERT_GE(e.hits.size(), 3u);
  EXPECT_EQ(e.hits[0].phrase, "no way");
  EXPECT_EQ(e.hits[0].at_ms, 10000);
  EXPECT_GT(e.score, 1.0);
  EXPECT_LE(e.score, ExclamationOptions{}.max_score);
  // "No way" twice within 2 s counts once.
  int no_way = 0;
  for (const ExclamationHit& h : e.hits) no_way += h.phrase == "no way";
  EXPECT_EQ(no_way, 1);

  const auto calm =
      Say("so what do you think about the new map I think the second route is better", 10000);
  EXPECT_EQ(FindExclamations(calm, 10000).score, 0.0);
}

TEST(Exclamations, WhatAloneOnlyAsASentence) {
  EXPECT_EQ(FindExclamations(Say("what do we do now", 0), 0).hits.size(), 0u);
  const ExclamationEvidence alone = FindExclamations(Say("what | what happened", 0), 0);
  ASSERT_EQ(alone.hits.size(), 1u);
  EXPECT_EQ(alone.hits[0].phrase, "what");
}

TEST(Exclamations, RunsOfOneWordAndOtherLanguages) {
  const ExclamationEvidence run = FindExclamations(Say("yes yes yes we did it", 0), 0);
  ASSERT_EQ(run.hits.size(), 1u);
  EXPECT_EQ(run.hits[0].phrase, "yes x3");
  EXPECT_EQ(FindExclamations(Say("no puede ser", 0), 0).hits.size(), 1u);
  EXPECT_EQ(FindExclamations(Say("meu deus", 0), 0).hits.size(), 1u);
}

TEST(Exclamations, LowConfidenceAndFarWordsDoNotCount) {
  // Words "recognised" in game audio come out unsure: they are not a reaction.
  EXPECT_EQ(FindExclamations(Say("wow no way oh my god", 10000, 0.2), 10000).score, 0.0);
  // Outside [peak - 3 s, peak + 10 s].
  EXPECT_EQ(FindExclamations(Say("wow", 2000), 10000).score, 0.0);
  EXPECT_EQ(FindExclamations(Say("wow", 21000), 10000).score, 0.0);
  EXPECT_GT(FindExclamations(Say("wow", 8000), 10000).score, 0.0);
  EXPECT_EQ(FindExclamations({}, 0).score, 0.0);
}

}  // namespace
}  // namespace clipthat::analysis
