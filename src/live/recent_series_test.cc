#include "live/recent_series.h"

#include <gtest/gtest.h>

namespace clipthat::live {
namespace {

TEST(RecentSeries, SetsAddsAndReadsBins) {
  RecentSeries s({.bin_ms = 250, .keep_ms = 10000, .empty_value = -90});
  EXPECT_EQ(s.At(0), -90);
  s.Set(1000, -20);
  s.Add(1100, 5);  // same bin
  EXPECT_EQ(s.At(1000), -15);
  EXPECT_EQ(s.At(1249), -15);
  EXPECT_EQ(s.At(1250), -90);  // not written
  s.Set(2000, -30);
  EXPECT_EQ(s.At(1500), -90);  // a bin in between
  EXPECT_EQ(s.At(2000), -30);
  EXPECT_EQ(s.begin_ms(), 1000);
  EXPECT_EQ(s.end_ms(), 2250);
  s.Set(500, 1);  // older than the first bin: ignored
  EXPECT_EQ(s.At(500), -90);
  s.Set(-5, 1);
  EXPECT_EQ(s.begin_ms(), 1000);
}

TEST(RecentSeries, ForgetsWhatFallsOutOfTheKeptSpan) {
  RecentSeries s({.bin_ms = 1000, .keep_ms = 5000, .empty_value = 0});
  for (TimeMs t = 0; t < 20000; t += 1000) s.Add(t, 1);
  EXPECT_EQ(s.end_ms(), 20000);
  EXPECT_EQ(s.begin_ms(), 15000);
  EXPECT_EQ(s.At(14000), 0);
  EXPECT_EQ(s.At(15000), 1);
  // A jump far past what is kept starts over.
  s.Add(1000000, 2);
  EXPECT_EQ(s.begin_ms(), 1000000);
  EXPECT_EQ(s.At(1000000), 2);
  EXPECT_EQ(s.At(19000), 0);
}

}  // namespace
}  // namespace clipthat::live
