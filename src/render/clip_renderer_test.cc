#include "render/clip_renderer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/files.h"
#include "media/probe.h"
#include "reframe/crop_keyframes.h"
#include "render/testing/small_edit_list.h"
#include "render/thumbnail.h"
#include "testing/media_fixtures.h"

namespace clipthat::render {
namespace {

// Small outputs and the fit layout keep these fast; the 1080x1920 renders with face tracking
// are in tests/render_test.cc.
formats::EditList SmallEdit(const std::string& source, TimeMs start_ms, TimeMs end_ms) {
  return SmallFitEditList(source, start_ms, end_ms, 216, 384);
}

RenderSettings Fast() {
  RenderSettings s;
  s.preset = "ultrafast";
  return s;
}

class ClipRendererTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::QuietLibavLogs(); }
  std::string MakeSource(const testing::TestMediaSpec& spec) {
    auto path = testing::MakeTestMedia(dir_.path() / "src.mp4", spec);
    EXPECT_TRUE(path.ok()) << path.status().ToString();
    return path.ok() ? *path : "";
  }
  std::string Out() const { return (dir_.path() / "clip.mp4").string(); }
  TempDir dir_;
};

TEST_F(ClipRendererTest, SixtyFpsSourceBecomesThirtyAndAudioStaysInSync) {
  const std::string src = MakeSource({.duration_ms = 3000, .fps = 60});
  std::vector<double> progress;
  auto r = RenderClip(SmallEdit(src, 1000, 2500), "e", Out(), Fast(),
                      {.progress = [&](double f) { progress.push_back(f); }});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->frames, 45);
  EXPECT_EQ(r->duration_ms, 1500);
  EXPECT_EQ(r->layout, reframe::Layout::kFit);
  ASSERT_FALSE(progress.empty());
  EXPECT_DOUBLE_EQ(progress.back(), 1.0);
  auto info = media::Probe(Out());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->video()->width, 216);
  EXPECT_NEAR(info->video()->fps, 30, 0.01);
  EXPECT_NEAR(static_cast<double>(info->duration_ms), 1500, 34);
  // The source tone is on for the first half of every second; the clip starts on a second.
  auto audio = testing::DecodeAllAudio(Out());
  ASSERT_TRUE(audio.ok()) << audio.status().ToString();
  const double on = testing::RmsBetween(*audio, 100, 400);
  const double off = testing::RmsBetween(*audio, 600, 900);
  EXPECT_GT(on, 0.05);
  EXPECT_LT(off, on / 10);
  // The thumbnail sits next to the clip.
  EXPECT_EQ(r->thumbnail_path, ThumbnailPathFor(Out()));
  EXPECT_GT(std::filesystem::file_size(r->thumbnail_path), 1000u);
}

TEST_F(ClipRendererTest, SourceWithoutAudioGetsSilentTrack) {
  const std::string src = MakeSource({.duration_ms = 2000, .with_audio = false});
  auto r = RenderClip(SmallEdit(src, 0, 1000), "e", Out(), Fast());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto info = media::Probe(Out());
  ASSERT_TRUE(info.ok());
  ASSERT_NE(info->audio(), nullptr);
  EXPECT_EQ(info->audio()->codec, "aac");
}

TEST_F(ClipRendererTest, CropKeyframesAreTheCropPath) {
  const std::string src = MakeSource({.duration_ms = 2000});  // 320x180
  formats::EditList e = SmallEdit(src, 0, 2000);
  e.layout = formats::LayoutMode::kFill;
  e.crop_keyframes = {{200, 0, 0, 102, 180}, {1500, 200, 0, 102, 180}};
  RenderSettings s = Fast();
  s.keep_crop_log = true;
  auto r = RenderClip(e, "e", Out(), s);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->crop_source, "keyframes");
  ASSERT_EQ(static_cast<long long>(r->crop_log.size()), r->frames);
  const std::vector<reframe::CropKeyframe> keys = {{200, {0, 0, 102, 180}},
                                                   {1500, {200, 0, 102, 180}}};
  for (long long n = 0; n < r->frames; ++n) {
    const media::CropRect want = reframe::CropAt(keys, n * 1000 / 30, 320, 180, 102, 180);
    EXPECT_EQ(r->crop_log[n].x, want.x) << "frame " << n;
    EXPECT_EQ(r->crop_log[n].width, want.width);
  }
  EXPECT_EQ(r->crop_log.front().x, 0);
  EXPECT_EQ(r->crop_log.back().x, 200);
}

TEST_F(ClipRendererTest, BadWindowAndMissingSourceLeaveNoFile) {
  const std::string src = MakeSource({.duration_ms = 2000});
  auto empty = RenderClip(SmallEdit(src, 1000, 1000), "e", Out(), Fast());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  auto past = RenderClip(SmallEdit(src, 1000, 8000), "e", Out(), Fast());
  ASSERT_FALSE(past.ok());
  EXPECT_NE(past.status().message().find("e: end_ms"), std::string::npos);
  auto missing = RenderClip(SmallEdit("/nonexistent/vod.mp4", 0, 1000), "e", Out(), Fast());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/vod.mp4"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(Out()));
}

TEST_F(ClipRendererTest, CancelLeavesNoFile) {
  const std::string src = MakeSource({.duration_ms = 2000});
  auto r =
      RenderClip(SmallEdit(src, 0, 2000), "e", Out(), Fast(), {.cancelled = [] { return true; }});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_FALSE(std::filesystem::exists(Out()));
  EXPECT_FALSE(std::filesystem::exists(ThumbnailPathFor(Out())));
  EXPECT_FALSE(std::filesystem::exists(Out() + ".partial"));
}

}  // namespace
}  // namespace clipthat::render
