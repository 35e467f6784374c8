#include "analysis/rank.h"

#include <gtest/gtest.h>

namespace clipthat::analysis {
namespace {

Moment M(TimeMs start, TimeMs peak, TimeMs end, double loud) {
  Moment m;
  m.start_ms = start;
  m.peak_ms = peak;
  m.end_ms = end;
  m.evidence["loudness"] = loud;
  return m;
}

TEST(RankTest, TriggerPhraseIsStrongEvidence) {
  Moment a = M(0, 5000, 30000, 3.0);
  Moment b = M(100000, 105000, 130000, 1.5);
  b.triggers.push_back({"phrase", "clip that", 106000});
  auto ranked = RankMoments({a, b}, {});
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].peak_ms, 105000);
  EXPECT_DOUBLE_EQ(ranked[0].evidence.at("trigger_phrase"), 3.0);
  EXPECT_DOUBLE_EQ(ranked[0].score, 4.5);
  EXPECT_EQ(ranked[0].id, 1);
  EXPECT_EQ(ranked[1].id, 2);
}

TEST(RankTest, TriggerEvidenceScalesWithConfidenceAndNeedsATriggerInside) {
  Moment sure = M(0, 5000, 30000, 1.0);
  sure.triggers.push_back({"phrase", "clip that", 6000, 0.9});
  sure.triggers.push_back({"phrase", "clip it", 9000, 0.4});  // the best one inside counts
  Moment unsure = M(100000, 105000, 130000, 1.0);
  unsure.triggers.push_back({"phrase", "clip it", 106000, 0.2});
  Moment outside = M(200000, 205000, 230000, 1.0);
  outside.triggers.push_back({"phrase", "clip that", 231000, 1.0});  // after the clip ends
  outside.evidence["trigger_phrase"] = 3.0;                          // stale, from before
  Moment none = M(300000, 305000, 330000, 1.0);
  auto ranked = RankMoments({none, outside, unsure, sure}, {});
  ASSERT_EQ(ranked.size(), 4u);
  EXPECT_EQ(ranked[0].peak_ms, 5000);
  EXPECT_NEAR(ranked[0].evidence.at("trigger_phrase"), 3.0 * 0.9, 1e-9);
  EXPECT_EQ(ranked[1].peak_ms, 105000);
  EXPECT_NEAR(ranked[1].evidence.at("trigger_phrase"), 3.0 * 0.2, 1e-9);
  for (const Moment& m : ranked) {
    if (m.peak_ms >= 200000) {
      EXPECT_EQ(m.evidence.count("trigger_phrase"), 0u) << "no trigger inside " << m.peak_ms;
      EXPECT_DOUBLE_EQ(m.score, 1.0);
    }
  }
}

TEST(RankTest, OverlapsAreMergedOrTrimmed) {
  Moment best = M(10000, 17000, 40000, 5);
  Moment same = M(12000, 20000, 42000, 1);  // peak inside best: merged
  same.triggers.push_back({"phrase", "clip it", 21000});
  Moment neighbour = M(35000, 45000, 70000, 1);  // small overlap: trimmed to start at 40 s
  auto ranked = RankMoments({same, best, neighbour}, {});
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].peak_ms, 17000);
  ASSERT_EQ(ranked[0].triggers.size(), 1u);  // moved over, and now counts
  EXPECT_DOUBLE_EQ(ranked[0].evidence.at("trigger_phrase"), 3.0);
  EXPECT_EQ(ranked[1].start_ms, 40000);
  EXPECT_EQ(ranked[1].end_ms, 70000);
}

TEST(RankTest, ChatClipRequestsAndTopN) {
  Moment a = M(0, 5000, 30000, 1.0);
  Moment b = M(100000, 105000, 130000, 1.0);
  auto ranked = RankMoments({a, b}, {106000, 107000, 108000}, {.top_n = 1});
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].peak_ms, 105000);
  EXPECT_DOUBLE_EQ(ranked[0].evidence.at("chat_clip_requests"), 0.75);
}

}  // namespace
}  // namespace clipthat::analysis
