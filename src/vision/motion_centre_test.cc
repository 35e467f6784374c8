#include "vision/motion_centre.h"

#include <gtest/gtest.h>

#include <cstring>

namespace clipthat::vision {
namespace {

// A gray frame with a bright square at (x, y) on a mid-gray background.
media::VideoFrame Frame(int x, int y, media::PixelFormat format = media::PixelFormat::kYuv420p) {
  media::VideoFrame f;
  f.Allocate(640, 360, format);
  const int bpp = format == media::PixelFormat::kBgr24 ? 3 : 1;
  std::memset(f.data.data(), 90, static_cast<std::size_t>(640) * 360 * bpp);
  if (format == media::PixelFormat::kYuv420p) {
    std::memset(f.data.data() + 640 * 360, 128, f.data.size() - 640 * 360);
  }
  for (int yy = y; yy < y + 60; ++yy) {
    for (int xx = x; xx < x + 60; ++xx) {
      for (int c = 0; c < bpp; ++c)
        f.data[(static_cast<std::size_t>(yy) * 640 + xx) * bpp + c] = 240;
    }
  }
  return f;
}

TEST(MotionCentreTest, StillPictureHasNoCentre) {
  MotionCentre motion;
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(motion.Observe(Frame(100, 100)).has_value());
}

TEST(MotionCentreTest, FindsTheMovingSquare) {
  for (media::PixelFormat format :
       {media::PixelFormat::kYuv420p, media::PixelFormat::kBgr24, media::PixelFormat::kGray8}) {
    MotionCentre motion;
    std::optional<std::pair<double, double>> c;
    for (int i = 0; i < 12; ++i) c = motion.Observe(Frame(450 + 8 * (i % 2), 200, format));
    ASSERT_TRUE(c.has_value());
    EXPECT_NEAR(c->first, 484, 25);
    EXPECT_NEAR(c->second, 230, 25);
  }
}

TEST(MotionCentreTest, SmoothsAJump) {
  MotionCentre motion;
  for (int i = 0; i < 12; ++i) motion.Observe(Frame(100 + 8 * (i % 2), 100));
  auto c = motion.Observe(Frame(500, 250));  // the motion jumps across the frame
  ASSERT_TRUE(c.has_value());
  EXPECT_GT(c->first, 140);
  EXPECT_LT(c->first, 500);
}

TEST(ReduceToGrayTest, AveragesLuma) {
  media::VideoFrame f = Frame(0, 0, media::PixelFormat::kBgr24);
  std::vector<unsigned char> out;
  ReduceToGray(f, 64, 36, &out);
  ASSERT_EQ(out.size(), 64u * 36u);
  EXPECT_NEAR(out[0], 240, 3);            // inside the square
  EXPECT_NEAR(out[35 * 64 + 63], 90, 3);  // background
}

}  // namespace
}  // namespace clipthat::vision
