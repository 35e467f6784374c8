#include "analysis/normalize.h"

#include <gtest/gtest.h>

#include <random>

namespace clipthat::analysis {
namespace {

TEST(RobustZScore, BurstStandsOutOfNoisyBaseline) {
  std::mt19937 rng(7);
  std::poisson_distribution<int> chat(5.0);
  TimeSeries rate{1000, {}};
  for (int i = 0; i < 1200; ++i) rate.values.push_back(chat(rng));
  for (int i = 600; i < 610; ++i) rate.values[i] = 30;
  TimeSeries z = RobustZScore(rate, {.min_spread = 1.0, .max_abs_z = 100});
  EXPECT_GT(z.values[605], 8);
  double typical = 0;
  for (int i = 0; i < 500; ++i) typical += std::abs(z.values[i]);
  EXPECT_LT(typical / 500, 1.2);
}

TEST(RobustZScore, BaselineFollowsTheStream) {
  // Quiet first half, busy second half: the same value is exceptional in one, ordinary in the
  // other.
  TimeSeries rate{1000, {}};
  for (int i = 0; i < 1200; ++i) rate.values.push_back(i < 600 ? 2 + (i % 3) : 20 + (i % 5));
  rate.values[300] = 22;
  TimeSeries z = RobustZScore(rate, {.min_spread = 1.0, .max_abs_z = 100});
  EXPECT_GT(z.values[300], 5);
  EXPECT_LT(std::abs(z.values[900]), 2);
}

TEST(RobustZScore, ClampsAndFloorsSpread) {
  TimeSeries flat{1000, std::vector<double>(400, 1.0)};
  flat.values[200] = 1000;
  TimeSeries z = RobustZScore(flat, {.min_spread = 1.0, .max_abs_z = 8});
  EXPECT_DOUBLE_EQ(z.values[200], 8);
  EXPECT_DOUBLE_EQ(z.values[100], 0);
}

TEST(RobustZScore, QuietStretchDoesNotInflateOrdinaryTalk) {
  // Twenty minutes of talk around -30 dB with +-4 dB variation, then ten silent minutes, then
  // talk again: the first sentence after the silence must not look like a huge event.
  TimeSeries db{1000, {}};
  for (int i = 0; i < 1200; ++i) db.values.push_back(-30 + 4 * ((i * 7) % 5 - 2) / 2.0);
  for (int i = 0; i < 600; ++i) db.values.push_back(-60);
  for (int i = 0; i < 600; ++i) db.values.push_back(-30 + 4 * ((i * 7) % 5 - 2) / 2.0);
  TimeSeries z = RobustZScore(db, {.min_spread = 1.0, .max_abs_z = 100});
  EXPECT_LT(z.values[1800 + 10], 12);
}

}  // namespace
}  // namespace clipthat::analysis
