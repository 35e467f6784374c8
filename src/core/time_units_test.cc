#include "core/time_units.h"

#include <gtest/gtest.h>

#include <cmath>

namespace clipthat {
namespace {

TEST(TimeUnitsTest, FormatsClock) {
  EXPECT_EQ(FormatClock(0), "00:00.000");
  EXPECT_EQ(FormatClock(61'250), "01:01.250");
  EXPECT_EQ(FormatClock(3'723'004), "1:02:03.004");
  EXPECT_EQ(FormatClock(-1500), "-00:01.500");
}

TEST(TimeUnitsTest, ParsesClockForms) {
  EXPECT_EQ(*ParseClock("90"), 90'000);
  EXPECT_EQ(*ParseClock("1.5"), 1'500);
  EXPECT_EQ(*ParseClock("01:30"), 90'000);
  EXPECT_EQ(*ParseClock("1:02:03.5"), 3'723'500);
  EXPECT_FALSE(ParseClock("").ok());
  EXPECT_FALSE(ParseClock("1:75").ok());
  EXPECT_FALSE(ParseClock("a:b").ok());
  EXPECT_FALSE(ParseClock("1:2:3:4").ok());
  EXPECT_FALSE(ParseClock("-3").ok());
}

TEST(TimeUnitsTest, ConvertsUnits) {
  EXPECT_EQ(MsToUs(3), 3000);
  EXPECT_EQ(UsToMs(2999), 2);
  EXPECT_EQ(SecondsToMs(1.2345), 1235);
  // Seconds from outside saturate instead of overflowing (found by fuzz/twitch_chat_json_fuzz).
  EXPECT_EQ(SecondsToMs(1e300), 9'000'000'000'000'000'000);
  EXPECT_EQ(SecondsToMs(-1e300), -9'000'000'000'000'000'000);
  EXPECT_EQ(SecondsToMs(std::nan("")), 0);
  EXPECT_DOUBLE_EQ(MsToSeconds(2500), 2.5);
}

}  // namespace
}  // namespace clipthat
