#include "render/logo_overlay.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/files.h"

namespace clipthat::render {
namespace {

using media::PixelFormat;
using media::VideoFrame;

constexpr int kWidth = 1080, kHeight = 1920;

// 200x100 BGRA: left half opaque white, right half fully transparent (coloured, to catch
// colours bleeding through where alpha is 0).
std::string WriteLogo(const std::filesystem::path& dir) {
  cv::Mat logo(100, 200, CV_8UC4, cv::Scalar(255, 0, 255, 0));
  logo(cv::Rect(0, 0, 100, 100)).setTo(cv::Scalar(255, 255, 255, 255));
  const std::string path = (dir / "logo.png").string();
  EXPECT_TRUE(cv::imwrite(path, logo));
  return path;
}

VideoFrame GrayFrame() {
  VideoFrame frame;
  frame.Allocate(kWidth, kHeight, PixelFormat::kYuv420p);
  std::fill(frame.data.begin(), frame.data.begin() + kWidth * kHeight, 60);
  std::fill(frame.data.begin() + kWidth * kHeight, frame.data.end(), 128);
  return frame;
}

int LumaAt(const VideoFrame& f, int x, int y) {
  return f.data[static_cast<std::size_t>(y) * f.width + x];
}

TEST(LogoOverlayTest, PlacedAtTheCornerWithOpacity) {
  TempDir dir;
  formats::LogoSpec spec;
  spec.path = WriteLogo(dir.path());
  spec.position = "top-right";
  spec.width_fraction = 0.2;
  spec.opacity = 0.5;
  spec.margin_px = 40;
  Result<LogoOverlay> logo = LogoOverlay::Load(spec, kWidth, kHeight);
  ASSERT_TRUE(logo.ok()) << logo.status().ToString();
  const media::CropRect p = logo->placement();
  EXPECT_EQ(p.width, 216);
  EXPECT_EQ(p.height, 108);
  EXPECT_EQ(p.x, kWidth - 216 - 40);
  EXPECT_EQ(p.y, 40);

  VideoFrame frame = GrayFrame();
  const VideoFrame before = frame;
  logo->Blend(&frame);
  // The opaque white half at 50%: halfway between the frame's 60 and white's 235.
  const int mid_left = LumaAt(frame, p.x + p.width / 4, p.y + p.height / 2);
  EXPECT_NEAR(mid_left, (60 + 235) / 2, 3);
  // The transparent half leaves the frame exactly as it was, luma and chroma.
  for (int y = p.y; y < p.y + p.height; ++y) {
    for (int x = p.x + p.width / 2 + 4; x < p.x + p.width; ++x) {
      ASSERT_EQ(LumaAt(frame, x, y), 60) << x << "," << y;
    }
  }
  const std::size_t chroma = kWidth * kHeight;
  const int cw = kWidth / 2;
  for (int y = p.y / 2; y < (p.y + p.height) / 2; ++y) {
    for (int x = (p.x + p.width / 2) / 2 + 2; x < (p.x + p.width) / 2; ++x) {
      ASSERT_EQ(frame.data[chroma + static_cast<std::size_t>(y) * cw + x], 128);
    }
  }
  // Nothing outside the placement changes.
  int changed_outside = 0;
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const bool inside = x >= p.x && x < p.x + p.width && y >= p.y && y < p.y + p.height;
      if (!inside && LumaAt(frame, x, y) != LumaAt(before, x, y)) ++changed_outside;
    }
  }
  EXPECT_EQ(changed_outside, 0);
}

TEST(LogoOverlayTest, FullOpacityShowsTheLogoColour) {
  TempDir dir;
  formats::LogoSpec spec;
  spec.path = WriteLogo(dir.path());
  spec.position = "top-left";
  spec.opacity = 1.0;
  spec.margin_px = 0;
  Result<LogoOverlay> logo = LogoOverlay::Load(spec, kWidth, kHeight);
  ASSERT_TRUE(logo.ok());
  EXPECT_EQ(logo->placement().x, 0);
  EXPECT_EQ(logo->placement().y, 0);
  VideoFrame frame = GrayFrame();
  logo->Blend(&frame);
  EXPECT_NEAR(LumaAt(frame, 20, 20), 235, 2);  // white, limited range
}

TEST(LogoOverlayTest, PositionsStayInsideAndAboveTheBottomSafeArea) {
  TempDir dir;
  formats::LogoSpec spec;
  spec.path = WriteLogo(dir.path());
  for (const std::string& position : formats::LogoPositions()) {
    spec.position = position;
    Result<LogoOverlay> logo = LogoOverlay::Load(spec, kWidth, kHeight);
    ASSERT_TRUE(logo.ok()) << position << ": " << logo.status().ToString();
    const media::CropRect p = logo->placement();
    EXPECT_GE(p.x, 0) << position;
    EXPECT_LE(p.x + p.width, kWidth) << position;
    EXPECT_GE(p.y, 0) << position;
    EXPECT_LE(p.y + p.height, kHeight * 8 / 10) << position;
    EXPECT_EQ(p.x % 2, 0);
    EXPECT_EQ(p.y % 2, 0);
    if (position.starts_with("bottom")) {
      EXPECT_EQ(p.y + p.height, kHeight * 8 / 10 - spec.margin_px) << position;
    }
    if (position.ends_with("center")) {
      EXPECT_NEAR(p.x, (kWidth - p.width) / 2, 1);
    }
  }
}

TEST(LogoOverlayTest, GrayLogoWithoutAlphaIsOpaque) {
  TempDir dir;
  const std::string path = (dir.path() / "gray.png").string();
  ASSERT_TRUE(cv::imwrite(path, cv::Mat(40, 40, CV_8UC1, cv::Scalar(0))));
  formats::LogoSpec spec;
  spec.path = path;
  spec.opacity = 1.0;
  Result<LogoOverlay> logo = LogoOverlay::Load(spec, kWidth, kHeight);
  ASSERT_TRUE(logo.ok()) << logo.status().ToString();
  VideoFrame frame = GrayFrame();
  logo->Blend(&frame);
  const media::CropRect p = logo->placement();
  EXPECT_NEAR(LumaAt(frame, p.x + p.width / 2, p.y + p.height / 2), 16, 2);
}

TEST(LogoOverlayTest, Errors) {
  TempDir dir;
  formats::LogoSpec spec;
  spec.path = (dir.path() / "absent.png").string();
  Result<LogoOverlay> missing = LogoOverlay::Load(spec, kWidth, kHeight);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message().rfind("logo.path: ", 0), 0u);

  ASSERT_TRUE(WriteFileAtomically(dir.path() / "text.png", "not a picture").ok());
  spec.path = (dir.path() / "text.png").string();
  Result<LogoOverlay> not_image = LogoOverlay::Load(spec, kWidth, kHeight);
  EXPECT_EQ(not_image.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(not_image.status().message().find("is not an image"), std::string::npos);

  spec.path = WriteLogo(dir.path());
  spec.position = "upside-down";
  EXPECT_EQ(LogoOverlay::Load(spec, kWidth, kHeight).status().code(), StatusCode::kInvalidArgument);
  spec.position = "top-right";
  spec.opacity = 1.2;
  EXPECT_FALSE(LogoOverlay::Load(spec, kWidth, kHeight).ok());
  spec.opacity = 1;
  // A margin wider than the frame does not fail the render: the logo is shrunk to fit.
  spec.margin_px = 2000;
  Result<LogoOverlay> squeezed = LogoOverlay::Load(spec, kWidth, kHeight);
  ASSERT_TRUE(squeezed.ok()) << squeezed.status().message();
  const media::CropRect at = squeezed->placement();
  EXPECT_GE(at.x, 0);
  EXPECT_GE(at.y, 0);
  EXPECT_LE(at.x + at.width, kWidth);
  EXPECT_LE(at.y + at.height, kHeight);
}

TEST(LogoOverlayTest, OtherFramesAreLeftAlone) {
  TempDir dir;
  formats::LogoSpec spec;
  spec.path = WriteLogo(dir.path());
  Result<LogoOverlay> logo = LogoOverlay::Load(spec, kWidth, kHeight);
  ASSERT_TRUE(logo.ok());
  VideoFrame small;
  small.Allocate(320, 180, PixelFormat::kYuv420p);
  const VideoFrame before = small;
  logo->Blend(&small);
  EXPECT_EQ(small.data, before.data);
  logo->Blend(nullptr);
}

}  // namespace
}  // namespace clipthat::render
