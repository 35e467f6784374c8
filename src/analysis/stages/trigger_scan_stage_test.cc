#include "analysis/stages/trigger_scan_stage.h"

#include <gtest/gtest.h>

namespace clipthat::analysis {
namespace {

Moment At(TimeMs start_ms, TimeMs end_ms) {
  Moment m;
  m.start_ms = start_ms;
  m.end_ms = end_ms;
  m.peak_ms = start_ms + (end_ms - start_ms) / 4;
  return m;
}

TEST(TriggerMoments, ProposesAMomentForEachTriggerNoCandidateCovers) {
  const std::vector<Moment> candidates = {At(100000, 130000)};
  const std::vector<MomentTrigger> triggers = {
      {"phrase", "clip that", 120000, 0.9},  // inside the candidate
      {"phrase", "clip it", 131500, 0.8},    // just after it: the candidate's moment
      {"phrase", "clip that", 600000, 0.7},  // a quiet stretch: a new moment
      {"phrase", "clip it", 601500, 0.6}};   // the same request again
  const std::vector<Moment> added = TriggerMoments(triggers, candidates, 3600000);
  ASSERT_EQ(added.size(), 1u);
  const Moment& m = added[0];
  EXPECT_LT(m.peak_ms, 600000);  // what was asked for happened before the words
  EXPECT_LE(m.start_ms, m.peak_ms);
  EXPECT_GT(m.end_ms, 600000);  // the trigger is inside the clip
  EXPECT_GE(m.duration_ms(), MomentWindowOptions{}.min_ms);
  EXPECT_DOUBLE_EQ(m.score, 0.0);
  EXPECT_TRUE(m.evidence.empty());
  ASSERT_EQ(m.triggers.size(), 1u);
  EXPECT_DOUBLE_EQ(m.triggers[0].confidence, 0.7);
}

TEST(TriggerMoments, StaysInsideTheRecording) {
  const std::vector<MomentTrigger> triggers = {{"phrase", "clip that", 1000, 0.9},
                                               {"phrase", "clip it", 59500, 0.9}};
  const std::vector<Moment> added = TriggerMoments(triggers, {}, 60000);
  ASSERT_EQ(added.size(), 2u);
  for (const Moment& m : added) {
    EXPECT_GE(m.start_ms, 0);
    EXPECT_LE(m.end_ms, 60000);
  }
}

}  // namespace
}  // namespace clipthat::analysis
