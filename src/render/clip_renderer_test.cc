#include "render/clip_renderer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/files.h"
#include "media/probe.h"
#include "testing/media_fixtures.h"

namespace clipthat::render {
namespace {

// Small outputs keep the tests fast; the geometry code is the same as for 1080x1920.
RenderOptions SmallOptions() {
  RenderOptions o;
  o.width = 216;
  o.height = 384;
  o.preset = "ultrafast";
  return o;
}

class ClipRendererTest : public ::testing::Test {
 protected:
  std::string MakeSource(const testing::TestMediaSpec& spec) {
    auto path = testing::MakeTestMedia(dir_.path() / "src.mp4", spec);
    EXPECT_TRUE(path.ok()) << path.status().ToString();
    return path.ok() ? *path : "";
  }
  TempDir dir_;
};

TEST_F(ClipRendererTest, VerticalH264AacOfTheWindowDuration) {
  const std::string src = MakeSource({.duration_ms = 4000, .width = 320, .height = 180});
  const std::string out = (dir_.path() / "clip.mp4").string();
  std::vector<double> progress;
  auto frames = RenderClip({src, 1000, 3000, out}, {},
                           {.progress = [&](double f) { progress.push_back(f); }});
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  EXPECT_EQ(*frames, 60);
  ASSERT_FALSE(progress.empty());
  EXPECT_DOUBLE_EQ(progress.back(), 1.0);

  auto info = media::Probe(out);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_NE(info->video(), nullptr);
  ASSERT_NE(info->audio(), nullptr);
  EXPECT_EQ(info->video()->codec, "h264");
  EXPECT_EQ(info->video()->width, 1080);
  EXPECT_EQ(info->video()->height, 1920);
  EXPECT_NEAR(info->video()->fps, 30, 0.01);
  EXPECT_EQ(info->audio()->codec, "aac");
  EXPECT_EQ(info->audio()->sample_rate_hz, 48000);
  EXPECT_EQ(info->audio()->channels, 2);
  EXPECT_NEAR(static_cast<double>(info->video()->duration_ms), 2000, 67);
  EXPECT_NEAR(static_cast<double>(info->duration_ms), 2000, 67);
  // Faststart: the index comes before the media data.
  EXPECT_LT(testing::FindTopLevelBox(out, "moov"), testing::FindTopLevelBox(out, "mdat"));
}

TEST_F(ClipRendererTest, SixtyFpsSourceBecomesThirtyAndAudioStaysInSync) {
  const std::string src = MakeSource({.duration_ms = 3000, .width = 320, .height = 180, .fps = 60});
  const std::string out = (dir_.path() / "clip.mp4").string();
  auto frames = RenderClip({src, 1000, 2500, out}, SmallOptions());
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  EXPECT_EQ(*frames, 45);
  auto info = media::Probe(out);
  ASSERT_TRUE(info.ok());
  EXPECT_NEAR(info->video()->fps, 30, 0.01);
  EXPECT_NEAR(static_cast<double>(info->duration_ms), 1500, 67);

  // The source tone is on for the first half of every second; the clip starts on a second.
  auto audio = testing::DecodeAllAudio(out);
  ASSERT_TRUE(audio.ok()) << audio.status().ToString();
  const double on = testing::RmsBetween(*audio, 100, 400);
  const double off = testing::RmsBetween(*audio, 600, 900);
  EXPECT_GT(on, 0.05);
  EXPECT_LT(off, on / 10);
}

TEST_F(ClipRendererTest, SourceWithoutAudioGetsSilentTrack) {
  const std::string src = MakeSource({.duration_ms = 2000, .with_audio = false});
  const std::string out = (dir_.path() / "clip.mp4").string();
  auto frames = RenderClip({src, 0, 1000, out}, SmallOptions());
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  auto info = media::Probe(out);
  ASSERT_TRUE(info.ok());
  ASSERT_NE(info->audio(), nullptr);
  EXPECT_EQ(info->audio()->codec, "aac");
}

TEST_F(ClipRendererTest, BadWindowAndMissingSource) {
  const std::string src = MakeSource({.duration_ms = 2000});
  const std::string out = (dir_.path() / "clip.mp4").string();
  auto empty = RenderClip({src, 1000, 1000, out}, SmallOptions());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  auto past = RenderClip({src, 5000, 8000, out}, SmallOptions());
  ASSERT_FALSE(past.ok());
  EXPECT_FALSE(std::filesystem::exists(out));
  auto missing = RenderClip({"/nonexistent/vod.mp4", 0, 1000, out}, SmallOptions());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/vod.mp4"), std::string::npos);
}

TEST_F(ClipRendererTest, CancelLeavesNoFile) {
  const std::string src = MakeSource({.duration_ms = 2000});
  const std::string out = (dir_.path() / "clip.mp4").string();
  auto r = RenderClip({src, 0, 2000, out}, SmallOptions(), {.cancelled = [] { return true; }});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace clipthat::render
