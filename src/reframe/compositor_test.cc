#include "reframe/compositor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "testing/media_fixtures.h"

namespace clipthat::reframe {
namespace {

using media::CropRect;
using media::PixelFormat;
using media::VideoFrame;

struct Yuv {
  int y, u, v;
};

constexpr Yuv kRed{82, 90, 240};
constexpr Yuv kGreen{145, 54, 34};
constexpr Yuv kBlue{41, 240, 110};
constexpr Yuv kGray{128, 128, 128};

std::uint8_t* Plane(VideoFrame& f, int plane) {
  const std::size_t luma = static_cast<std::size_t>(f.width) * f.height;
  const std::size_t chroma = static_cast<std::size_t>((f.width + 1) / 2) * ((f.height + 1) / 2);
  return f.data.data() + (plane == 0 ? 0 : plane == 1 ? luma : luma + chroma);
}

void Paint(VideoFrame& f, const CropRect& r, Yuv c) {
  const int cw = (f.width + 1) / 2;
  for (int y = r.y; y < r.y + r.height; ++y) {
    for (int x = r.x; x < r.x + r.width; ++x) {
      Plane(f, 0)[static_cast<std::size_t>(y) * f.width + x] = static_cast<std::uint8_t>(c.y);
      Plane(f, 1)[static_cast<std::size_t>(y / 2) * cw + x / 2] = static_cast<std::uint8_t>(c.u);
      Plane(f, 2)[static_cast<std::size_t>(y / 2) * cw + x / 2] = static_cast<std::uint8_t>(c.v);
    }
  }
}

VideoFrame Source(Yuv background, int width = 1920, int height = 1080) {
  VideoFrame f;
  f.Allocate(width, height, PixelFormat::kYuv420p);
  Paint(f, {0, 0, width, height}, background);
  f.pts_ms = 1234;
  return f;
}

// Mean Y, U, V over a region of a frame.
Yuv Mean(const VideoFrame& f, const CropRect& r) {
  VideoFrame& m = const_cast<VideoFrame&>(f);
  const int cw = (f.width + 1) / 2;
  double sy = 0, su = 0, sv = 0;
  long n = 0;
  for (int y = r.y; y < r.y + r.height; ++y) {
    for (int x = r.x; x < r.x + r.width; ++x) {
      sy += Plane(m, 0)[static_cast<std::size_t>(y) * f.width + x];
      su += Plane(m, 1)[static_cast<std::size_t>(y / 2) * cw + x / 2];
      sv += Plane(m, 2)[static_cast<std::size_t>(y / 2) * cw + x / 2];
      ++n;
    }
  }
  return {static_cast<int>(std::lround(sy / n)), static_cast<int>(std::lround(su / n)),
          static_cast<int>(std::lround(sv / n))};
}

void ExpectColour(const VideoFrame& f, const CropRect& r, Yuv want, int tolerance = 4) {
  Yuv got = Mean(f, r);
  EXPECT_NEAR(got.y, want.y, tolerance) << "region " << r.x << "," << r.y;
  EXPECT_NEAR(got.u, want.u, tolerance) << "region " << r.x << "," << r.y;
  EXPECT_NEAR(got.v, want.v, tolerance) << "region " << r.x << "," << r.y;
}

// `r` shrunk by `m` pixels on every side (away from scaling's soft edges).
CropRect Inset(const CropRect& r, int m) {
  return {r.x + m, r.y + m, r.width - 2 * m, r.height - 2 * m};
}

CompositorOptions Options(Layout layout, int source_width = 1920, int source_height = 1080,
                          const SplitParams& split = {}) {
  CompositorOptions options;
  options.layout = layout;
  options.source_width = source_width;
  options.source_height = source_height;
  options.split = split;
  return options;
}

TEST(FillCropSizeTest, NineBySixteenOfCommonSources) {
  EXPECT_EQ(FillCropSize(1920, 1080, 1080, 1920), std::make_pair(608, 1080));
  EXPECT_EQ(FillCropSize(1280, 720, 1080, 1920), std::make_pair(406, 720));
  // A source already narrower than 9:16 keeps its width.
  EXPECT_EQ(FillCropSize(1080, 1920, 1080, 1920), std::make_pair(1080, 1920));
  EXPECT_EQ(FillCropSize(500, 1920, 1080, 1920), std::make_pair(500, 888));
  EXPECT_EQ(FillCropSize(0, 1080, 1080, 1920), std::make_pair(0, 0));
}

TEST(CompositorTest, FillShowsTheCropRegion) {
  VideoFrame source = Source(kGray);
  const CropRect crop{200, 0, 608, 1080};
  Paint(source, crop, kRed);
  Paint(source, {1300, 0, 608, 1080}, kBlue);
  Result<Compositor> compositor = Compositor::Create(Options(Layout::kFill));
  ASSERT_TRUE(compositor.ok()) << compositor.status().ToString();
  VideoFrame out;
  ASSERT_TRUE(compositor->Compose(source, crop, &out).ok());
  EXPECT_EQ(out.width, 1080);
  EXPECT_EQ(out.height, 1920);
  EXPECT_EQ(out.format, PixelFormat::kYuv420p);
  EXPECT_EQ(out.pts_ms, 1234);
  ExpectColour(out, Inset({0, 0, 1080, 1920}, 8), kRed);

  // The crop moves with the face: the next frame shows the other region, same size.
  ASSERT_TRUE(compositor->Compose(source, {1300, 0, 608, 1080}, &out).ok());
  ExpectColour(out, Inset({0, 0, 1080, 1920}, 8), kBlue);
  // A crop past the frame edge is moved back inside, keeping its size.
  ASSERT_TRUE(compositor->Compose(source, {1500, 0, 608, 1080}, &out).ok());
  VideoFrame at_edge;
  ASSERT_TRUE(compositor->Compose(source, {1920 - 608, 0, 608, 1080}, &at_edge).ok());
  EXPECT_EQ(out.data, at_edge.data);
  ASSERT_EQ(compositor->panels().size(), 1u);
  EXPECT_EQ(compositor->panels()[0].height, 1920);
}

TEST(CompositorTest, FillWithoutCropUsesTheCentre) {
  VideoFrame source = Source(kGray);
  Paint(source, {656, 0, 608, 1080}, kGreen);
  Result<Compositor> compositor = Compositor::Create(Options(Layout::kFill));
  ASSERT_TRUE(compositor.ok());
  VideoFrame out;
  ASSERT_TRUE(compositor->Compose(source, {}, &out).ok());
  ExpectColour(out, Inset({0, 0, 1080, 1920}, 8), kGreen);
}

TEST(CompositorTest, SplitPutsTheFacecamOnTopAndGameplayBelow) {
  VideoFrame source = Source(kBlue);
  const CropRect facecam{0, 620, 640, 460};  // bottom-left corner
  Paint(source, facecam, kRed);
  Paint(source, {900, 200, 460, 680}, kGreen);  // the middle of the gameplay
  SplitParams split;
  split.facecam = facecam;
  Result<Compositor> compositor = Compositor::Create(Options(Layout::kSplit, 1920, 1080, split));
  ASSERT_TRUE(compositor.ok()) << compositor.status().ToString();
  std::vector<CropRect> panels = compositor->panels();
  ASSERT_EQ(panels.size(), 2u);
  EXPECT_EQ(panels[0].y, 0);
  EXPECT_EQ(panels[0].width, 1080);
  EXPECT_EQ(panels[0].height, 730);
  EXPECT_EQ(panels[1].y, 730);
  EXPECT_EQ(panels[1].height, 1190);

  // Trimmed to the top panel's aspect, inside the given region.
  CropRect shown = compositor->facecam_source();
  EXPECT_GE(shown.x, facecam.x);
  EXPECT_GE(shown.y, facecam.y);
  EXPECT_LE(shown.x + shown.width, facecam.x + facecam.width);
  EXPECT_LE(shown.y + shown.height, facecam.y + facecam.height);
  EXPECT_NEAR(static_cast<double>(shown.width) / shown.height, 1080.0 / 730.0, 0.02);

  VideoFrame out;
  ASSERT_TRUE(compositor->Compose(source, {}, &out).ok());
  EXPECT_EQ(out.width, 1080);
  EXPECT_EQ(out.height, 1920);
  EXPECT_EQ(out.pts_ms, 1234);
  ExpectColour(out, Inset(panels[0], 4), kRed);
  // The gameplay panel shows the middle of the frame, slid right of the facecam so the camera
  // does not show twice: green in its middle, blue around it, no red anywhere in it.
  const CropRect gameplay = compositor->gameplay_source();
  EXPECT_GE(gameplay.x, facecam.x + facecam.width);
  EXPECT_LE(gameplay.x + gameplay.width, 1920);
  ExpectColour(out, {400, 730 + 400, 280, 400}, kGreen);
  ExpectColour(out, {10, 730 + 10, 1060, 100}, kBlue);
  ExpectColour(out, {10, 1920 - 110, 200, 100}, kBlue);
}

TEST(CompositorTest, SplitGameplayStaysClearOfACameraAnywhere) {
  // Cameras along the top edge, the left edge, in a corner and a wide one at the bottom: the
  // default gameplay region never shows any of it, and is as large as what is left allows.
  const CropRect cams[] = {{760, 0, 400, 300},  // top, centred: the gameplay goes beside it
                           {0, 400, 300, 226},  // left edge, mid-height
                           {1500, 860, 420, 220},
                           {300, 700, 1320, 380}};  // most of the bottom third
  for (const CropRect& cam : cams) {
    SCOPED_TRACE(std::to_string(cam.x) + "," + std::to_string(cam.y));
    VideoFrame source = Source(kBlue);
    Paint(source, cam, kRed);
    SplitParams split;
    split.facecam = cam;
    Result<Compositor> compositor = Compositor::Create(Options(Layout::kSplit, 1920, 1080, split));
    ASSERT_TRUE(compositor.ok()) << compositor.status().ToString();
    const CropRect g = compositor->gameplay_source();
    EXPECT_TRUE(g.x + g.width <= cam.x || cam.x + cam.width <= g.x || g.y + g.height <= cam.y ||
                cam.y + cam.height <= g.y)
        << g.x << "," << g.y << " " << g.width << "x" << g.height;
    EXPECT_GE(g.x, 0);
    EXPECT_GE(g.y, 0);
    EXPECT_LE(g.x + g.width, 1920);
    EXPECT_LE(g.y + g.height, 1080);
    EXPECT_EQ(g.x % 2, 0);
    EXPECT_EQ(g.y % 2, 0);
    EXPECT_NEAR(static_cast<double>(g.width) / g.height, 1080.0 / 1190.0, 0.02);
    EXPECT_GE(g.height, 600);  // at least the larger part of the frame left beside the camera
    VideoFrame out;
    ASSERT_TRUE(compositor->Compose(source, {}, &out).ok());
    const std::vector<CropRect> panels = compositor->panels();
    ExpectColour(out, Inset(panels[1], 4), kBlue);  // no red in the gameplay panel
  }
}

TEST(CompositorTest, SplitWithAGameplayRegion) {
  VideoFrame source = Source(kBlue);
  Paint(source, {1500, 0, 420, 300}, kRed);
  Paint(source, {0, 0, 800, 1080}, kGreen);
  SplitParams split;
  split.facecam = {1500, 0, 420, 300};
  split.gameplay = {0, 0, 800, 1080};
  split.top_fraction = 0.5;
  Result<Compositor> compositor = Compositor::Create(Options(Layout::kSplit, 1920, 1080, split));
  ASSERT_TRUE(compositor.ok()) << compositor.status().ToString();
  VideoFrame out;
  ASSERT_TRUE(compositor->Compose(source, {}, &out).ok());
  ExpectColour(out, {4, 4, 1072, 952}, kRed);
  ExpectColour(out, {4, 964, 1072, 952}, kGreen);
}

TEST(CompositorTest, FitShowsTheWholeFrameOverABlurredBackground) {
  // A test-pattern frame (its index coded across the top) with a bright right half.
  VideoFrame source;
  testing::DrawTestFrame(77, 1920, 1080, PixelFormat::kYuv420p, &source);
  // Below the code rows (the top 30%): a dark left half and a bright right half.
  Paint(source, {0, 400, 960, 680}, {30, 128, 128});
  Paint(source, {960, 400, 960, 680}, {200, 128, 128});
  Result<Compositor> compositor = Compositor::Create(Options(Layout::kFit));
  ASSERT_TRUE(compositor.ok());
  VideoFrame out;
  ASSERT_TRUE(compositor->Compose(source, {}, &out).ok());
  EXPECT_EQ(out.width, 1080);
  EXPECT_EQ(out.height, 1920);

  std::vector<CropRect> panels = compositor->panels();
  ASSERT_EQ(panels.size(), 2u);
  const CropRect band = panels[0];
  EXPECT_EQ(band.x, 0);
  EXPECT_EQ(band.width, 1080);
  EXPECT_EQ(band.height, 608);
  EXPECT_EQ(band.y, (1920 - 608) / 2);

  // The band is the whole frame: its coded index reads back from it alone.
  media::Scaler cutter;
  VideoFrame band_frame;
  ASSERT_TRUE(
      cutter.Convert(out, band, band.width, band.height, PixelFormat::kYuv420p, &band_frame).ok());
  EXPECT_EQ(testing::ReadFrameIndex(band_frame), 77);
  ExpectColour(out, {600, band.y + 300, 400, 200}, {200, 128, 128});
  ExpectColour(out, {60, band.y + 300, 400, 200}, {30, 128, 128});

  // Above and below: not black, darker than the picture, and smooth (blurred).
  for (const CropRect& r : {CropRect{0, 0, 1080, band.y},
                            CropRect{0, band.y + band.height, 1080, 1920 - band.y - band.height}}) {
    Yuv mean = Mean(out, r);
    EXPECT_GT(mean.y, 30);
    EXPECT_LT(mean.y, 150);
    long jumps = 0;
    for (int y = r.y; y < r.y + r.height; ++y) {
      for (int x = 1; x < 1080; ++x) {
        const std::size_t i = static_cast<std::size_t>(y) * 1080 + x;
        if (std::abs(out.data[i] - out.data[i - 1]) > 12) ++jumps;
      }
    }
    EXPECT_EQ(jumps, 0) << "sharp edges in the background";
  }
  // The bright right half shows through the blur on the right of the lower background.
  EXPECT_GT(Mean(out, {700, 1500, 300, 400}).y, Mean(out, {80, 1500, 300, 400}).y + 20);
}

TEST(CompositorTest, RejectsBadRegionsAndFrames) {
  SplitParams split;
  split.facecam = {1600, 900, 640, 360};
  Result<Compositor> outside = Compositor::Create(Options(Layout::kSplit, 1920, 1080, split));
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(outside.status().message().find("split.facecam"), std::string::npos);
  EXPECT_NE(outside.status().message().find("outside"), std::string::npos);

  split.facecam = {};
  Result<Compositor> empty = Compositor::Create(Options(Layout::kSplit, 1920, 1080, split));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("split.facecam"), std::string::npos);

  split.facecam = {0, 0, 400, 300};
  split.gameplay = {-10, 0, 400, 300};
  Result<Compositor> bad_gameplay = Compositor::Create(Options(Layout::kSplit, 1920, 1080, split));
  ASSERT_FALSE(bad_gameplay.ok());
  EXPECT_NE(bad_gameplay.status().message().find("split.gameplay"), std::string::npos);

  split.gameplay = {};
  split.top_fraction = 0.9;
  EXPECT_FALSE(Compositor::Create(Options(Layout::kSplit, 1920, 1080, split)).ok());
  EXPECT_FALSE(Compositor::Create(Options(Layout::kFill, 0, 1080)).ok());
  CompositorOptions odd = Options(Layout::kFit);
  odd.out_width = 1081;
  EXPECT_FALSE(Compositor::Create(odd).ok());

  Result<Compositor> fill = Compositor::Create(Options(Layout::kFill));
  ASSERT_TRUE(fill.ok());
  VideoFrame wrong_size = Source(kGray, 1280, 720);
  VideoFrame out;
  Status status = fill->Compose(wrong_size, {}, &out);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("1920x1080"), std::string::npos);
}

}  // namespace
}  // namespace clipthat::reframe
