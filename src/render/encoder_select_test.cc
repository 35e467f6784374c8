#include "render/encoder_select.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "media/probe.h"
#include "render/clip_renderer.h"
#include "testing/media_fixtures.h"

namespace clipthat::render {
namespace {

TEST(EncoderSelectTest, ParsesNames) {
  EXPECT_EQ(*ParseEncoderChoice("auto"), EncoderChoice::kAuto);
  EXPECT_EQ(*ParseEncoderChoice("x264"), EncoderChoice::kX264);
  EXPECT_EQ(*ParseEncoderChoice("libx264"), EncoderChoice::kX264);
  EXPECT_EQ(*ParseEncoderChoice("nvenc"), EncoderChoice::kNvenc);
  auto bad = ParseEncoderChoice("vp9");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'vp9'"), std::string::npos);
}

TEST(EncoderSelectTest, AutoPicksWhatOpens) {
  EXPECT_EQ(*SelectVideoEncoder(EncoderChoice::kX264, Logger()), "libx264");
  auto chosen = SelectVideoEncoder(EncoderChoice::kAuto, Logger());
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(*chosen, NvencAvailable() ? "h264_nvenc" : "libx264");
  auto nvenc = SelectVideoEncoder(EncoderChoice::kNvenc, Logger());
  EXPECT_EQ(nvenc.ok(), NvencAvailable());
  if (!nvenc.ok()) {
    EXPECT_EQ(nvenc.status().code(), StatusCode::kUnsupported);
    EXPECT_FALSE(NvencUnavailableReason().empty());
  }
}

// Runs only where a GPU answers: a short clip through h264_nvenc is a real H.264 1080x1920 MP4.
TEST(EncoderSelectTest, NvencRendersAClip) {
  if (!NvencAvailable()) {
    GTEST_SKIP() << "no NVENC device: " << NvencUnavailableReason();
  }
  testing::QuietLibavLogs();
  TempDir dir;
  auto src = testing::MakeTestMedia(dir.path() / "src.mp4", {.duration_ms = 3000});
  ASSERT_TRUE(src.ok()) << src.status().ToString();
  formats::EditList edit;
  edit.source = *src;
  edit.start_ms = 500;
  edit.end_ms = 2500;
  edit.layout = formats::LayoutMode::kFit;
  RenderSettings settings;
  settings.video_encoder = kNvencEncoderName;
  const std::string out = (dir.path() / "clip.mp4").string();
  auto r = RenderClip(edit, "nvenc", out, settings);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->encoder, "h264_nvenc");
  auto info = media::Probe(out);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->video()->codec, "h264");
  EXPECT_EQ(info->video()->width, 1080);
  EXPECT_EQ(info->video()->height, 1920);
  EXPECT_NEAR(static_cast<double>(info->video()->duration_ms), 2000, 34);
}

}  // namespace
}  // namespace clipthat::render
