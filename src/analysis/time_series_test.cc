#include "analysis/time_series.h"

#include <gtest/gtest.h>

namespace clipthat::analysis {
namespace {

TEST(TimeSeries, ResampleMeanDownAndUp) {
  TimeSeries in{100, {1, 3, 5, 7, 9, 11, 13, 15, 17, 19}};  // 1 s
  TimeSeries down = ResampleMean(in, 500, 1000);
  ASSERT_EQ(down.values.size(), 2u);
  EXPECT_DOUBLE_EQ(down.values[0], 5);
  EXPECT_DOUBLE_EQ(down.values[1], 15);
  TimeSeries up = ResampleMean(TimeSeries{1000, {2, 4}}, 500, 3000);
  ASSERT_EQ(up.values.size(), 6u);
  EXPECT_DOUBLE_EQ(up.values[0], 2);
  EXPECT_DOUBLE_EQ(up.values[1], 2);
  EXPECT_DOUBLE_EQ(up.values[2], 4);
  EXPECT_DOUBLE_EQ(up.values[5], 4);  // past the end: last value
}

TEST(TimeSeries, ResampleUnevenSteps) {
  TimeSeries in{300, {3, 6, 9}};
  TimeSeries out = ResampleMean(in, 200, 900);
  ASSERT_EQ(out.values.size(), 5u);
  EXPECT_DOUBLE_EQ(out.values[1], (3 * 100 + 6 * 100) / 200.0);
}

TEST(TimeSeries, MovingAverageCentred) {
  TimeSeries in{1000, {0, 0, 9, 0, 0}};
  TimeSeries out = MovingAverage(in, 3000);
  EXPECT_DOUBLE_EQ(out.values[1], 3);
  EXPECT_DOUBLE_EQ(out.values[2], 3);
  EXPECT_DOUBLE_EQ(out.values[3], 3);
  EXPECT_DOUBLE_EQ(out.values[0], 0);
}

TEST(TimeSeries, ShiftEarlierMovesReactionsBack) {
  TimeSeries in{1000, {0, 0, 0, 0, 0, 0, 0, 0, 8, 0}};
  TimeSeries out = ShiftEarlier(in, 6000);
  EXPECT_DOUBLE_EQ(out.values[2], 8);
  EXPECT_DOUBLE_EQ(out.values[8], 0.8);  // tail: the mean
}

}  // namespace
}  // namespace clipthat::analysis
