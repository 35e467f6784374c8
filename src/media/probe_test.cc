#include "media/probe.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/files.h"
#include "media/ffmpeg_log.h"
#include "testing/media_fixtures.h"

namespace clipthat::media {
namespace {

using ::clipthat::testing::MakeTestMedia;
using ::clipthat::testing::TestMediaSpec;

class ProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    RouteFfmpegLogs(Logger());  // keep libav quiet
    dir_ = new TempDir("probe_test");
    auto made =
        MakeTestMedia(dir_->path() / "av.mp4", {.duration_ms = 4000, .fps = 30, .gop_frames = 15});
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    av_path_ = *made;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Make(const std::string& name, const TestMediaSpec& spec) {
    auto made = MakeTestMedia(dir_->path() / name, spec);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? *made : std::string();
  }

  static TempDir* dir_;
  static std::string av_path_;
};
TempDir* ProbeTest::dir_ = nullptr;
std::string ProbeTest::av_path_;

TEST_F(ProbeTest, DescribesGeneratedMp4) {
  auto info = Probe(av_path_);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->path, av_path_);
  EXPECT_NE(info->container.find("mp4"), std::string::npos) << info->container;
  EXPECT_NEAR(info->duration_ms, 4000, 34);  // within one frame at 30 fps
  EXPECT_EQ(info->size_bytes, static_cast<std::int64_t>(std::filesystem::file_size(av_path_)));
  EXPECT_GT(info->bit_rate, 0);
  ASSERT_EQ(info->streams.size(), 2u);

  const StreamInfo* v = info->video();
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->type, "video");
  EXPECT_EQ(v->codec, "h264");
  EXPECT_EQ(v->width, 320);
  EXPECT_EQ(v->height, 180);
  EXPECT_NEAR(v->fps, 30.0, 0.01);
  EXPECT_NEAR(v->duration_ms, 4000, 34);
  EXPECT_EQ(&info->streams[v->index], v);

  const StreamInfo* a = info->audio();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->type, "audio");
  EXPECT_EQ(a->codec, "aac");
  EXPECT_EQ(a->sample_rate_hz, 48000);
  EXPECT_EQ(a->channels, 2);
  EXPECT_NEAR(a->duration_ms, 4000, 34);
  EXPECT_GT(a->bit_rate, 0);

  // The writer puts a keyframe every 15 frames: 500 ms.
  EXPECT_EQ(info->keyframe_interval_ms, 500);
  EXPECT_TRUE(RequireAudio(*info).ok());
  EXPECT_TRUE(RequireVideo(*info).ok());
}

TEST_F(ProbeTest, KeyframeIntervalFollowsGop) {
  const std::string path =
      Make("gop2s.mp4", {.duration_ms = 7000, .fps = 30, .with_audio = false, .gop_frames = 60});
  auto info = Probe(path);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->keyframe_interval_ms, 2000);
}

TEST_F(ProbeTest, ContainersWithoutAnIndexMeasurePackets) {
  // MPEG-TS has no sample index: the interval comes from reading the first packets.
  for (const char* name : {"gop.ts", "gop.mkv"}) {
    const std::string path = Make(name, {.duration_ms = 5000, .fps = 25, .gop_frames = 25});
    auto info = Probe(path);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_NEAR(info->duration_ms, 5000, 100) << name;
    EXPECT_NEAR(info->keyframe_interval_ms, 1000, 2) << name;
    ASSERT_NE(info->video(), nullptr) << name;
    EXPECT_NEAR(info->video()->fps, 25.0, 0.01) << name;
    ASSERT_NE(info->audio(), nullptr) << name;
  }
}

TEST_F(ProbeTest, MissingStreamsProbeFineButRequireFails) {
  const std::string video_only = Make("video_only.mp4", {.duration_ms = 2000, .with_audio = false});
  auto info = Probe(video_only);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->audio_stream, -1);
  EXPECT_EQ(info->audio(), nullptr);
  EXPECT_TRUE(RequireVideo(*info).ok());
  Status s = RequireAudio(*info);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_EQ(s.message(), video_only + ": no audio stream");

  const std::string audio_only = Make("audio_only.mp4", {.duration_ms = 2000, .with_video = false});
  info = Probe(audio_only);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->video_stream, -1);
  EXPECT_EQ(info->keyframe_interval_ms, 0);
  EXPECT_NEAR(info->duration_ms, 2000, 25);
  s = RequireVideo(*info);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_EQ(s.message(), audio_only + ": no video stream");
}

TEST_F(ProbeTest, JsonCarriesEveryField) {
  auto info = Probe(av_path_);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  const nlohmann::json j = ProbeToJson(*info);
  EXPECT_EQ(j["path"], av_path_);
  EXPECT_EQ(j["container"], info->container);
  EXPECT_EQ(j["duration_ms"], info->duration_ms);
  EXPECT_EQ(j["size_bytes"], info->size_bytes);
  EXPECT_EQ(j["bit_rate"], info->bit_rate);
  EXPECT_EQ(j["keyframe_interval_ms"], 500);
  ASSERT_TRUE(j["video"].is_object());
  EXPECT_EQ(j["video"]["codec"], "h264");
  EXPECT_EQ(j["video"]["width"], 320);
  EXPECT_EQ(j["video"]["height"], 180);
  EXPECT_NEAR(j["video"]["fps"].get<double>(), 30.0, 0.01);
  ASSERT_TRUE(j["audio"].is_object());
  EXPECT_EQ(j["audio"]["codec"], "aac");
  EXPECT_EQ(j["audio"]["sample_rate_hz"], 48000);
  EXPECT_EQ(j["audio"]["channels"], 2);
  ASSERT_EQ(j["streams"].size(), 2u);
  for (const auto& s : j["streams"]) {
    for (const char* key : {"index", "type", "codec", "duration_ms", "bit_rate"}) {
      EXPECT_TRUE(s.contains(key)) << key;
    }
  }

  const std::string video_only = Make("json_video_only.mp4", {.with_audio = false});
  info = Probe(video_only);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(ProbeToJson(*info)["audio"].is_null());
}

}  // namespace
}  // namespace clipthat::media
