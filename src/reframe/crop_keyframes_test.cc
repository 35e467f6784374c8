#include "reframe/crop_keyframes.h"

#include <gtest/gtest.h>

namespace clipthat::reframe {
namespace {

constexpr int kW = 1920, kH = 1080, kCw = 608, kCh = 1080;

media::CropRect At(const std::vector<CropKeyframe>& k, TimeMs t) {
  return CropAt(k, t, kW, kH, kCw, kCh);
}

TEST(CropKeyframesTest, NoKeyframesIsCentred) {
  const media::CropRect r = At({}, 1000);
  EXPECT_EQ(r.x, (kW - kCw) / 2);
  EXPECT_EQ(r.y, 0);
  EXPECT_EQ(r.width, kCw);
  EXPECT_EQ(r.height, kCh);
}

TEST(CropKeyframesTest, HeldBeforeTheFirstAndAfterTheLast) {
  const std::vector<CropKeyframe> k = {{10000, {100, 0, kCw, kCh}}, {12000, {1000, 0, kCw, kCh}}};
  EXPECT_EQ(At(k, 0).x, 100);
  EXPECT_EQ(At(k, 10000).x, 100);
  EXPECT_EQ(At(k, 12000).x, 1000);
  EXPECT_EQ(At(k, 99999).x, 1000);
}

TEST(CropKeyframesTest, EasedBetweenNeighbours) {
  // Unsorted on purpose.
  const std::vector<CropKeyframe> k = {{12000, {1000, 0, kCw, kCh}}, {10000, {100, 0, kCw, kCh}}};
  EXPECT_EQ(At(k, 11000).x, 550);  // halfway
  // Smoothstep: slow near the ends, fast in the middle, monotonic.
  const int early = At(k, 10200).x - 100;
  const int mid = At(k, 11100).x - At(k, 10900).x;
  EXPECT_LT(early, mid);
  EXPECT_LT(early, 0.1 * 900);  // linear would be 90
  int last = 0;
  for (TimeMs t = 10000; t <= 12000; t += 40) {
    const int x = At(k, t).x;
    EXPECT_GE(x, last);
    EXPECT_EQ(x % 2, 0);
    last = x;
  }
}

TEST(CropKeyframesTest, OtherSizesAreScaledAboutTheirCentre) {
  // A 304x540 keyframe centred at (500, 500) becomes a 608x1080 crop centred there, clamped.
  const std::vector<CropKeyframe> k = {{0, {348, 230, 304, 540}}};
  const media::CropRect r = At(k, 0);
  EXPECT_EQ(r.width, kCw);
  EXPECT_EQ(r.height, kCh);
  EXPECT_EQ(r.x, 500 - kCw / 2);
  EXPECT_EQ(r.y, 0);
}

TEST(CropKeyframesTest, ClampedToTheFrameWithEvenCoordinates) {
  const std::vector<CropKeyframe> k = {{0, {-300, -50, kCw, kCh}}, {1000, {1700, 90, kCw, kCh}}};
  for (TimeMs t = -100; t <= 1100; t += 10) {
    const media::CropRect r = At(k, t);
    EXPECT_GE(r.x, 0);
    EXPECT_GE(r.y, 0);
    EXPECT_LE(r.x + r.width, kW);
    EXPECT_LE(r.y + r.height, kH);
    EXPECT_EQ(r.x % 2, 0);
    EXPECT_EQ(r.y % 2, 0);
  }
  EXPECT_EQ(At(k, 0).x, 0);
  EXPECT_EQ(At(k, 1000).x, kW - kCw);
  // A smaller crop that can move vertically.
  const media::CropRect small = CropAt({{0, {1001, 601, 400, 400}}}, 0, kW, kH, 400, 400);
  EXPECT_EQ(small.x % 2, 0);
  EXPECT_EQ(small.y % 2, 0);
  EXPECT_NEAR(small.x, 1001, 1);
  EXPECT_NEAR(small.y, 601, 1);
}

}  // namespace
}  // namespace clipthat::reframe
