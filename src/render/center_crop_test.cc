#include "render/center_crop.h"

#include <gtest/gtest.h>

namespace clipthat::render {
namespace {

TEST(CenterCrop, LandscapeToPortrait) {
  media::CropRect r = CenterCropRect(1920, 1080);
  EXPECT_EQ(r.height, 1080);
  EXPECT_EQ(r.width, 606);  // 1080 * 9 / 16 = 607.5, even
  EXPECT_EQ(r.y, 0);
  EXPECT_EQ(r.x, 656);
  EXPECT_NEAR(r.x + r.width / 2.0, 960, 2);
}

TEST(CenterCrop, OddAndSmallSizes) {
  media::CropRect r = CenterCropRect(641, 361);
  EXPECT_EQ(r.width % 2, 0);
  EXPECT_EQ(r.x % 2, 0);
  EXPECT_LE(r.x + r.width, 641);
  EXPECT_LE(r.height, 361);
}

TEST(CenterCrop, TallSourceIsCroppedVertically) {
  media::CropRect r = CenterCropRect(720, 1600);
  EXPECT_EQ(r.width, 720);
  EXPECT_EQ(r.height, 1280);
  EXPECT_EQ(r.x, 0);
  EXPECT_EQ(r.y, 160);
}

TEST(CenterCrop, AlreadyPortraitKeepsAll) {
  media::CropRect r = CenterCropRect(1080, 1920);
  EXPECT_EQ(r.width, 1080);
  EXPECT_EQ(r.height, 1920);
  EXPECT_EQ(r.x, 0);
  EXPECT_EQ(r.y, 0);
}

}  // namespace
}  // namespace clipthat::render
