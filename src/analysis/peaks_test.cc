#include "analysis/peaks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace clipthat::analysis {
namespace {

// A curve of `seconds` at 500 ms steps with Gaussian bumps of the given heights at given times.
std::vector<double> Bumps(int seconds, std::vector<std::pair<double, double>> at_s_height) {
  std::vector<double> c(seconds * 2, 0.0);
  for (size_t i = 0; i < c.size(); ++i) {
    const double t = i * 0.5 + 0.25;
    for (auto [at, h] : at_s_height) c[i] += h * std::exp(-0.5 * std::pow((t - at) / 3.0, 2));
  }
  return c;
}

TEST(PickPeaks, FindsPlantedBumpsBestFirst) {
  auto curve = Bumps(600, {{100, 3}, {250, 5}, {400, 4}});
  auto peaks = PickPeaks(curve, 500, {.min_separation_ms = 30000, .top_k = 10, .min_score = 1});
  ASSERT_EQ(peaks.size(), 3u);
  EXPECT_NEAR(peaks[0].time_ms, 250000, 500);
  EXPECT_NEAR(peaks[1].time_ms, 400000, 500);
  EXPECT_NEAR(peaks[2].time_ms, 100000, 500);
  EXPECT_GT(peaks[0].score, peaks[1].score);
}

TEST(PickPeaks, SuppressesNearbyMaxima) {
  auto curve = Bumps(600, {{100, 5}, {115, 4}, {140, 3}});
  auto peaks = PickPeaks(curve, 500, {.min_separation_ms = 30000, .top_k = 10, .min_score = 1});
  ASSERT_EQ(peaks.size(), 2u);
  EXPECT_NEAR(peaks[0].time_ms, 100000, 1000);
  EXPECT_NEAR(peaks[1].time_ms, 140000, 1000);
  for (size_t i = 0; i < peaks.size(); ++i) {
    for (size_t j = i + 1; j < peaks.size(); ++j) {
      EXPECT_GE(std::llabs(peaks[i].time_ms - peaks[j].time_ms), 30000);
    }
  }
}

TEST(PickPeaks, TopKAndMinScore) {
  auto curve = Bumps(1000, {{100, 2}, {200, 6}, {300, 3}, {400, 5}, {500, 0.5}});
  auto peaks = PickPeaks(curve, 500, {.min_separation_ms = 30000, .top_k = 2, .min_score = 1});
  ASSERT_EQ(peaks.size(), 2u);
  EXPECT_NEAR(peaks[0].time_ms, 200000, 500);
  EXPECT_NEAR(peaks[1].time_ms, 400000, 500);
  auto all = PickPeaks(curve, 500, {.min_separation_ms = 30000, .top_k = 0, .min_score = 1});
  EXPECT_EQ(all.size(), 4u);  // the 0.5 bump is below min_score
}

TEST(PickPeaks, FlatAndEmptyCurves) {
  EXPECT_TRUE(PickPeaks({}, 500).empty());
  EXPECT_TRUE(PickPeaks(std::vector<double>(100, 0.0), 500).empty());
  // A plateau counts once.
  std::vector<double> plateau(100, 0.0);
  for (int i = 40; i < 50; ++i) plateau[i] = 2;
  EXPECT_EQ(PickPeaks(plateau, 500, {.min_separation_ms = 1000, .top_k = 0}).size(), 1u);
}

}  // namespace
}  // namespace clipthat::analysis
