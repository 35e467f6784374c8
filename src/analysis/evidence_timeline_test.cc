#include "analysis/evidence_timeline.h"

#include <gtest/gtest.h>

namespace clipthat::analysis {
namespace {

InterestCurve TwoSignals() {
  InterestCurve c;
  c.step_ms = 500;
  c.names = {"chat_chatters", "loudness"};
  c.contributions = {std::vector<double>(40, 0.0), std::vector<double>(40, 1.0)};
  for (size_t i = 0; i < 40; ++i) c.contributions[0][i] = static_cast<double>(i);
  c.score.resize(40);
  for (size_t i = 0; i < 40; ++i) c.score[i] = c.contributions[0][i] + c.contributions[1][i];
  return c;
}

TEST(EvidenceTimeline, MeanSamplesAddUpAndCoverTheWindow) {
  const EvidenceTimeline t = SampleEvidence(TwoSignals(), {2000, 7000}, 1000);
  ASSERT_EQ(t.score.size(), 5u);
  EXPECT_EQ(t.start_ms, 2000);
  ASSERT_EQ(t.names.size(), 2u);
  EXPECT_DOUBLE_EQ(t.values[0][0], 4.5);  // bins 4 and 5
  EXPECT_DOUBLE_EQ(t.values[1][0], 1.0);
  for (size_t k = 0; k < t.score.size(); ++k) {
    EXPECT_NEAR(t.score[k], t.values[0][k] + t.values[1][k], 0.011);
  }
}

TEST(EvidenceTimeline, MaxKeepsPeaksAndRangeIsClipped) {
  InterestCurve c = TwoSignals();
  c.score[13] = 100;
  const EvidenceTimeline t = SampleEvidence(c, {0, 999999}, 10000, SampleReduce::kMax);
  ASSERT_EQ(t.score.size(), 2u);  // the curve lasts 20 s
  EXPECT_DOUBLE_EQ(t.score[0], 100);
  EXPECT_DOUBLE_EQ(t.values[0][0], 13);
}

TEST(EvidenceTimeline, EmptyInputsGiveEmptyTimelines) {
  EXPECT_TRUE(SampleEvidence(InterestCurve{}, {0, 1000}).empty());
  EXPECT_TRUE(SampleEvidence(TwoSignals(), {5000, 5000}).empty());
  EXPECT_TRUE(SampleEvidence(TwoSignals(), {30000, 40000}).names.empty());
}

}  // namespace
}  // namespace clipthat::analysis
