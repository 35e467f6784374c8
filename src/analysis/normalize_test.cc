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

namespace clipthat::analysis {
namespace {

TEST(CountZScore, StrongPeaksKeepTheirOrder) {
  // A busy chat (40 chatters per window) with three peaks of different height: the robust z
  // clamps them all to the same value, the count z keeps them apart.
  std::mt19937 rng(3);
  std::poisson_distribution<int> base(40.0);
  TimeSeries x{1000, {}};
  for (int i = 0; i < 7200; ++i) x.values.push_back(base(rng));
  x.values[1000] = 150;
  x.values[3000] = 220;
  x.values[5000] = 300;
  TimeSeries z = CountZScore(x);
  EXPECT_GT(z.values[1000], 8);
  EXPECT_GT(z.values[3000], z.values[1000] + 1);
  EXPECT_GT(z.values[5000], z.values[3000] + 1);
  TimeSeries clamped = RobustZScore(x);
  EXPECT_EQ(clamped.values[1000], clamped.values[5000]);  // the saturation this avoids
  double typical = 0;
  for (int i = 0; i < 900; ++i) typical += std::abs(z.values[i]);
  EXPECT_LT(typical / 900, 1.5);
}

TEST(CountZScore, AdaptsToQuietAndBusyStreams) {
  // The same relative burst (x4) stands out in a quiet and a busy stream alike; a quiet
  // stream's 0 -> 3 is not an event.
  TimeSeries quiet{1000, std::vector<double>(7200, 2.0)};
  TimeSeries busy{1000, std::vector<double>(7200, 200.0)};
  quiet.values[100] = 3;
  quiet.values[4000] = 8;
  busy.values[4000] = 800;
  const TimeSeries zq = CountZScore(quiet), zb = CountZScore(busy);
  EXPECT_LT(zq.values[100], 1.0);
  EXPECT_GT(zq.values[4000], 2.0);
  EXPECT_GT(zb.values[4000], 8.0);
}

TEST(SoftLimit, MonotonicAndIdentityBelowTheLimit) {
  EXPECT_DOUBLE_EQ(SoftLimit(5, 8), 5);
  double last = 8;
  for (double z = 9; z < 100; z += 1) {
    EXPECT_GT(SoftLimit(z, 8), last);
    EXPECT_LT(SoftLimit(z, 8), z);
    last = SoftLimit(z, 8);
  }
  EXPECT_DOUBLE_EQ(SoftLimit(50, 0), 50);
}

}  // namespace
}  // namespace clipthat::analysis
