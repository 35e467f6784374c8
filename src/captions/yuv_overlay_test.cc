#include "captions/yuv_overlay.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace clipthat::captions::internal {
namespace {

struct Picture {
  int width, height;
  std::vector<std::uint8_t> y, u, v;
  Picture(int w, int h, std::uint8_t grey)
      : width(w),
        height(h),
        y(static_cast<std::size_t>(w) * h, grey),
        u(static_cast<std::size_t>((w + 1) / 2) * ((h + 1) / 2), grey),
        v(u.size(), grey) {}
  int Y(int x, int yy) const { return y[static_cast<std::size_t>(yy) * width + x]; }
  int U(int cx, int cy) const { return u[static_cast<std::size_t>(cy) * ((width + 1) / 2) + cx]; }
  int V(int cx, int cy) const { return v[static_cast<std::size_t>(cy) * ((width + 1) / 2) + cx]; }
};

TEST(Bt709, KnownColours) {
  // Published BT.709 limited-range values.
  const YuvColour white = Bt709LimitedFromRgb(0xFFFFFFFF);
  EXPECT_NEAR(white.y, 235, 0.01);
  EXPECT_NEAR(white.u, 128, 0.01);
  EXPECT_NEAR(white.v, 128, 0.01);
  const YuvColour black = Bt709LimitedFromRgb(0x000000FF);
  EXPECT_NEAR(black.y, 16, 0.01);
  const YuvColour red = Bt709LimitedFromRgb(0xFF0000FF);
  EXPECT_NEAR(red.y, 63, 0.5);
  EXPECT_NEAR(red.u, 102, 0.5);
  EXPECT_NEAR(red.v, 240, 0.5);
  const YuvColour blue = Bt709LimitedFromRgb(0x0000FFFF);
  EXPECT_NEAR(blue.y, 32, 0.5);
  EXPECT_NEAR(blue.u, 240, 0.5);
  EXPECT_NEAR(blue.v, 118, 0.5);
}

TEST(YuvOverlay, OpaqueMaskReplacesAndHalfAlphaMixes) {
  Picture pic(8, 8, 100);
  const std::vector<std::uint8_t> solid(16, 255);  // 4x4 fully covered
  const std::vector<std::uint8_t> half(4, 128);    // 2x2 half covered
  YuvOverlay overlay(8, 8);
  overlay.Build({{solid.data(), 4, 2, 2, 4, 4, 0xFF0000FF},   // red, opaque
                 {half.data(), 2, 6, 0, 2, 2, 0xFFFFFFFF}});  // white, half coverage
  ASSERT_FALSE(overlay.empty());
  overlay.BlendInto(pic.y.data(), pic.u.data(), pic.v.data());
  EXPECT_EQ(pic.Y(3, 3), 63);
  EXPECT_EQ(pic.U(1, 1), 102);
  EXPECT_EQ(pic.V(1, 1), 240);
  EXPECT_EQ(pic.Y(1, 1), 100);  // outside every mask: untouched
  EXPECT_EQ(pic.U(0, 0), 100);
  EXPECT_NEAR(pic.Y(6, 0), (235 + 100) / 2.0, 1.0);
  EXPECT_NEAR(pic.U(3, 0), (128 + 100) / 2.0, 1.0);
}

TEST(YuvOverlay, ChromaTakesTheMeanOfTheBlock) {
  Picture pic(4, 4, 128);
  // Only the top-left luma pixel of the first 2x2 block is covered.
  const std::uint8_t one[1] = {255};
  YuvOverlay overlay(4, 4);
  overlay.Build({{one, 1, 0, 0, 1, 1, 0x0000FFFF}});  // blue
  overlay.BlendInto(pic.y.data(), pic.u.data(), pic.v.data());
  EXPECT_EQ(pic.Y(0, 0), 32);
  EXPECT_EQ(pic.Y(1, 0), 128);
  EXPECT_NEAR(pic.U(0, 0), 128 + (240 - 128) / 4.0, 1.0);
  EXPECT_EQ(pic.U(1, 1), 128);
}

TEST(YuvOverlay, LaterMasksPaintOverEarlierOnesAndTransparencyHides) {
  Picture pic(4, 4, 128);
  const std::vector<std::uint8_t> solid(16, 255);
  YuvOverlay overlay(4, 4);
  overlay.Build({{solid.data(), 4, 0, 0, 4, 4, 0x000000FF},    // black
                 {solid.data(), 4, 0, 0, 4, 4, 0xFFFFFF00}});  // white, fully transparent
  overlay.BlendInto(pic.y.data(), pic.u.data(), pic.v.data());
  EXPECT_EQ(pic.Y(2, 2), 16);
  Picture again(4, 4, 128);
  overlay.Build({{solid.data(), 4, 0, 0, 4, 4, 0x000000FF},
                 {solid.data(), 4, 0, 0, 4, 4, 0xFFFFFFFF}});  // opaque white on top
  overlay.BlendInto(again.y.data(), again.u.data(), again.v.data());
  EXPECT_EQ(again.Y(2, 2), 235);
}

TEST(YuvOverlay, MasksOutsideThePictureAreClipped) {
  Picture pic(5, 5, 128);  // odd size: chroma 3x3
  const std::vector<std::uint8_t> solid(16, 255);
  YuvOverlay overlay(5, 5);
  overlay.Build(
      {{solid.data(), 4, 3, 3, 4, 4, 0xFFFFFFFF}, {solid.data(), 4, -10, -10, 4, 4, 0xFFFFFFFF}});
  overlay.BlendInto(pic.y.data(), pic.u.data(), pic.v.data());
  EXPECT_EQ(pic.Y(4, 4), 235);
  EXPECT_EQ(pic.Y(2, 2), 128);
  EXPECT_EQ(pic.U(2, 2), 128);  // white has neutral chroma
  overlay.Build({});
  EXPECT_TRUE(overlay.empty());
}

}  // namespace
}  // namespace clipthat::captions::internal
