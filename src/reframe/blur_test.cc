#include "reframe/blur.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace clipthat::reframe {
namespace {

using media::PixelFormat;
using media::VideoFrame;

// 608x1080 source: black (Y 16) left half, white (Y 235) right half, neutral chroma.
VideoFrame HalfAndHalf() {
  VideoFrame f;
  f.Allocate(608, 1080, PixelFormat::kYuv420p);
  for (int y = 0; y < 1080; ++y) {
    for (int x = 0; x < 608; ++x)
      f.data[static_cast<std::size_t>(y) * 608 + x] = x < 304 ? 16 : 235;
  }
  std::fill(f.data.begin() + 608 * 1080, f.data.end(), 128);
  return f;
}

TEST(BlurredBackgroundTest, SmoothDarkenedCopyOfTheRegion) {
  BlurredBackground background(1080, 1920);
  EXPECT_EQ(background.small_width(), 46);
  EXPECT_EQ(background.small_height(), 80);
  ASSERT_TRUE(background.Prepare(HalfAndHalf(), {}).ok());
  VideoFrame out;
  out.Allocate(1080, 1920, PixelFormat::kYuv420p);
  background.Draw(&out, 0, 1920);

  const std::uint8_t* row = out.data.data() + 960 * 1080;
  // Left dark, right lighter but darkened below the source's white.
  EXPECT_LT(row[40], 30);
  EXPECT_GT(row[1040], 100);
  EXPECT_LT(row[1040], 150);
  // A smooth ramp across the middle, no step: neighbours differ by little, and the ramp spans
  // many pixels (the blur).
  int ramp = 0;
  for (int x = 1; x < 1080; ++x) {
    EXPECT_LE(std::abs(row[x] - row[x - 1]), 4) << x;
    if (row[x] > row[40] + 5 && row[x] < row[1040] - 5) ++ramp;
  }
  EXPECT_GT(ramp, 80);
  // Chroma stays neutral.
  EXPECT_NEAR(out.data[1080 * 1920 + 480 * 540 + 270], 128, 1);
}

TEST(BlurredBackgroundTest, DrawsOnlyTheRowsAsked) {
  BlurredBackground background(1080, 1920);
  ASSERT_TRUE(background.Prepare(HalfAndHalf(), {}).ok());
  VideoFrame out;
  out.Allocate(1080, 1920, PixelFormat::kYuv420p);
  std::fill(out.data.begin(), out.data.end(), 7);
  background.Draw(&out, 0, 600);
  background.Draw(&out, 1300, 1920);
  EXPECT_NE(out.data[599 * 1080 + 1000], 7);
  EXPECT_EQ(out.data[600 * 1080 + 1000], 7);
  EXPECT_EQ(out.data[1299 * 1080 + 1000], 7);
  EXPECT_NE(out.data[1300 * 1080 + 1000], 7);
  // Chroma rows follow: row 300 of U (luma rows 600, 601) untouched, 299 drawn.
  const std::size_t u = 1080 * 1920;
  EXPECT_EQ(out.data[u + 300 * 540 + 10], 7);
  EXPECT_NE(out.data[u + 299 * 540 + 10], 7);

  // A frame of another size is left alone.
  VideoFrame other;
  other.Allocate(64, 64, PixelFormat::kYuv420p);
  background.Draw(&other, 0, 64);
  EXPECT_EQ(other.data[0], 0);
}

}  // namespace
}  // namespace clipthat::reframe
