#include "media/window_decoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "core/files.h"
#include "testing/media_fixtures.h"

namespace clipthat::media {
namespace {

namespace fs = std::filesystem;
using testing::TestMediaSpec;

// 6 s at 30 fps with a keyframe every 45 frames (1.5 s), so most starts are between keyframes.
const TestMediaSpec kSpec{.duration_ms = 6000, .gop_frames = 45};

class WindowDecoderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("window-decoder-test");
    auto made = testing::MakeTestMedia(dir_->path() / "av.mp4", kSpec);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    path_ = *made;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  struct Window {
    std::vector<VideoFrame> video;
    AudioBuffer audio;  // all audio items joined
    TimeMs first_audio_ms = -1;
    bool audio_contiguous = true;
  };

  static Window DecodeWindow(const std::string& path, const WindowDecoderOptions& options) {
    Window w;
    auto dec = WindowDecoder::Open(path, options);
    EXPECT_TRUE(dec.ok()) << dec.status().ToString();
    if (!dec.ok()) return w;
    DecodedItem item;
    for (int guard = 0; guard < 100000; ++guard) {
      auto more = dec->Next(&item);
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) break;
      if (item.kind == DecodedItem::Kind::kVideo) {
        w.video.push_back(std::move(item.video));
      } else {
        const AudioBuffer& a = item.audio;
        if (w.first_audio_ms < 0) {
          w.first_audio_ms = a.start_ms;
          w.audio.sample_rate_hz = a.sample_rate_hz;
          w.audio.channels = a.channels;
          w.audio.start_ms = a.start_ms;
        }
        // Each item starts where the previous ones end (start_ms is whole ms, so within 1).
        const TimeMs expected_ms =
            w.audio.start_ms + static_cast<TimeMs>(w.audio.frame_count() * 1000 / a.sample_rate_hz);
        if (std::llabs(a.start_ms - expected_ms) > 1) w.audio_contiguous = false;
        w.audio.samples.insert(w.audio.samples.end(), a.samples.begin(), a.samples.end());
      }
    }
    return w;
  }

  // The offset (in samples, -3..3) at which `audio` best matches the test signal from
  // `start_ms`; 0 means the window's audio starts exactly at start_ms.
  static int BestOffset(const AudioBuffer& audio, TimeMs start_ms) {
    const TestMediaSpec spec{.audio_sample_rate_hz = audio.sample_rate_hz,
                             .audio_channels = audio.channels};
    const long long first = start_ms * audio.sample_rate_hz / 1000;
    const long long n = std::min<long long>(audio.frame_count(), audio.sample_rate_hz / 2);
    const auto expected = testing::MakeTestAudio(spec, first - 3, n + 6);
    int best = 99;
    double best_err = 1e9;
    for (int off = -3; off <= 3; ++off) {
      double err = 0;
      for (long long i = 0; i < n; ++i) {
        const double d =
            audio.samples[i * audio.channels] - expected.samples[(i + 3 + off) * audio.channels];
        err += d * d;
      }
      if (err < best_err) {
        best_err = err;
        best = off;
      }
    }
    return best;
  }

  static TempDir* dir_;
  static std::string path_;
};

TempDir* WindowDecoderTest::dir_ = nullptr;
std::string WindowDecoderTest::path_;

TEST_F(WindowDecoderTest, FixtureFramesCarryTheirIndex) {
  auto frames = testing::DecodeAllVideo(path_, PixelFormat::kBgr24);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  ASSERT_EQ(frames->size(), 180u);
  for (int i = 0; i < 180; ++i) ASSERT_EQ(testing::ReadFrameIndex((*frames)[i]), i);
}

TEST_F(WindowDecoderTest, FirstFrameIsTheOneOnScreenAtStart) {
  // Keyframes at 0, 1500, 3000, 4500 ms; frame n covers [n/30, (n+1)/30) s.
  for (TimeMs start : {0, 33, 34, 1000, 1466, 1467, 1500, 1510, 2033, 2034, 2999, 3000, 4400}) {
    SCOPED_TRACE("start_ms=" + std::to_string(start));
    const Window w = DecodeWindow(path_, {.start_ms = start,
                                          .end_ms = start + 1000,
                                          .format = PixelFormat::kGray8,
                                          .audio_channels = 0});
    ASSERT_FALSE(w.video.empty());
    const int first = static_cast<int>(start * 30 / 1000);
    EXPECT_EQ(testing::ReadFrameIndex(w.video[0]), first);
    // Consecutive frames to the end of the window: the last is the one on screen before end.
    for (std::size_t i = 1; i < w.video.size(); ++i) {
      ASSERT_EQ(testing::ReadFrameIndex(w.video[i]), first + static_cast<int>(i));
      ASSERT_GT(w.video[i].pts_ms, w.video[i - 1].pts_ms);
    }
    const int last = static_cast<int>(((start + 1000) * 30 + 999) / 1000) - 1;
    EXPECT_NEAR(static_cast<int>(w.video.size()), last - first + 1, 1);
    EXPECT_EQ(testing::ReadFrameIndex(w.video.back()), last);
    EXPECT_LE(w.video[0].pts_ms, start);
  }
}

// MPEG-TS (what stream recorders write) starts its clock at a non-zero time (1.4 s here);
// windows and timestamps still count from the start of the media. The TS muxer also presents
// the first video frame one frame after the first audio sample (B-frame delay), so video is
// checked to within one frame.
TEST_F(WindowDecoderTest, MpegTsWindowsCountFromTheStartOfTheMedia) {
  auto ts = testing::MakeTestMedia(dir_->path() / "av.ts", kSpec);
  ASSERT_TRUE(ts.ok()) << ts.status().ToString();
  for (TimeMs start : {0, 1000, 2034, 3500}) {
    SCOPED_TRACE("start_ms=" + std::to_string(start));
    const Window w = DecodeWindow(*ts, {.start_ms = start,
                                        .end_ms = start + 1000,
                                        .format = PixelFormat::kGray8,
                                        .audio_sample_rate_hz = 16000,
                                        .audio_channels = 1});
    ASSERT_FALSE(w.video.empty());
    EXPECT_NEAR(testing::ReadFrameIndex(w.video[0]), static_cast<int>(start * 30 / 1000), 1);
    EXPECT_NEAR(static_cast<double>(w.video[0].pts_ms), static_cast<double>(start), 34);
    EXPECT_NEAR(static_cast<double>(w.first_audio_ms), static_cast<double>(start), 1);
  }
}

TEST_F(WindowDecoderTest, AudioStartsOnTheSample) {
  for (TimeMs start : {0, 250, 1010, 1499, 2100, 3333, 4990}) {
    SCOPED_TRACE("start_ms=" + std::to_string(start));
    const Window w = DecodeWindow(path_, {.start_ms = start, .end_ms = start + 700});
    ASSERT_EQ(w.first_audio_ms, start);
    EXPECT_TRUE(w.audio_contiguous);
    EXPECT_EQ(w.audio.sample_rate_hz, 48000);
    EXPECT_EQ(w.audio.channels, 2);
    // Exactly (end - start) of audio, starting on the sample at start_ms.
    EXPECT_EQ(w.audio.frame_count(), 700u * 48);
    EXPECT_EQ(BestOffset(w.audio, start), 0);
  }
}

TEST_F(WindowDecoderTest, ResamplesAndScales) {
  const TimeMs start = 2345;
  const Window w = DecodeWindow(path_, {.start_ms = start,
                                        .end_ms = 3345,
                                        .width = 160,
                                        .height = 90,
                                        .format = PixelFormat::kYuv420p,
                                        .audio_sample_rate_hz = 16000,
                                        .audio_channels = 1});
  ASSERT_FALSE(w.video.empty());
  for (const VideoFrame& f : w.video) {
    EXPECT_EQ(f.width, 160);
    EXPECT_EQ(f.height, 90);
    EXPECT_EQ(f.format, PixelFormat::kYuv420p);
    EXPECT_EQ(f.data.size(), VideoFrame::BufferSize(160, 90, PixelFormat::kYuv420p));
  }
  EXPECT_EQ(testing::ReadFrameIndex(w.video[0]), 70);
  EXPECT_EQ(w.audio.sample_rate_hz, 16000);
  EXPECT_EQ(w.audio.channels, 1);
  EXPECT_EQ(w.first_audio_ms, start);
  EXPECT_EQ(w.audio.frame_count(), 16000u);
  EXPECT_EQ(BestOffset(w.audio, start), 0);
  // The tone gate: on in [2345, 2500), off in [2500, 3000).
  EXPECT_GT(testing::RmsBetween(w.audio, 20, 140), 0.2);
  EXPECT_LT(testing::RmsBetween(w.audio, 175, 635), 0.02);
}

TEST_F(WindowDecoderTest, OpenEndedWindowRunsToTheEnd) {
  auto dec = WindowDecoder::Open(path_, {.start_ms = 5000});
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_TRUE(dec->has_audio());
  EXPECT_NEAR(dec->source_fps(), 30.0, 0.01);
  EXPECT_EQ(dec->source_width(), 320);
  EXPECT_EQ(dec->source_height(), 180);
  const Window w = DecodeWindow(path_, {.start_ms = 5000});
  ASSERT_EQ(w.video.size(), 30u);
  EXPECT_EQ(testing::ReadFrameIndex(w.video.front()), 150);
  EXPECT_EQ(testing::ReadFrameIndex(w.video.back()), 179);
  EXPECT_GE(w.audio.frame_count(), 48000u);
  EXPECT_EQ(w.video[0].width, 320);
  EXPECT_EQ(w.video[0].format, PixelFormat::kBgr24);
}

TEST_F(WindowDecoderTest, VideoOnlyFile) {
  auto made = testing::MakeTestMedia(dir_->path() / "silent.mp4",
                                     {.duration_ms = 2000, .with_audio = false});
  ASSERT_TRUE(made.ok());
  auto dec = WindowDecoder::Open(*made, {.start_ms = 500, .end_ms = 1000});
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_FALSE(dec->has_audio());
  const Window w = DecodeWindow(*made, {.start_ms = 500, .end_ms = 1000});
  EXPECT_EQ(w.video.size(), 15u);
  EXPECT_EQ(w.first_audio_ms, -1);
}

TEST_F(WindowDecoderTest, TruncatedFileEndsTheWindow) {
  const fs::path cut = dir_->path() / "cut.mp4";
  ASSERT_TRUE(testing::WriteTruncatedCopy(path_, cut, fs::file_size(path_) * 6 / 10).ok());
  auto dec = WindowDecoder::Open(cut.string(), {.start_ms = 1000});
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  DecodedItem item;
  int video = 0, steps = 0;
  while (steps++ < 10000) {
    auto more = dec->Next(&item);
    if (!more.ok() || !*more) break;
    if (item.kind == DecodedItem::Kind::kVideo) ++video;
  }
  EXPECT_LT(steps, 10000);
  EXPECT_GT(video, 0);
  EXPECT_LT(video, 150);
}

TEST_F(WindowDecoderTest, Errors) {
  EXPECT_EQ(WindowDecoder::Open((dir_->path() / "missing.mp4").string(), {}).status().code(),
            StatusCode::kNotFound);
  const fs::path text = dir_->path() / "notes.txt";
  ASSERT_TRUE(testing::WriteNonMediaFile(text).ok());
  const Status not_media = WindowDecoder::Open(text.string(), {}).status();
  EXPECT_EQ(not_media.code(), StatusCode::kDataError);
  EXPECT_NE(not_media.message().find("notes.txt"), std::string::npos);
  EXPECT_EQ(WindowDecoder::Open(path_, {.start_ms = 7000}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(WindowDecoder::Open(path_, {.start_ms = 2000, .end_ms = 2000}).status().code(),
            StatusCode::kInvalidArgument);
  auto audio_only = testing::MakeTestMedia(dir_->path() / "audio.m4a",
                                           {.duration_ms = 1000, .with_video = false});
  ASSERT_TRUE(audio_only.ok()) << audio_only.status().ToString();
  const Status no_video = WindowDecoder::Open(*audio_only, {}).status();
  EXPECT_EQ(no_video.code(), StatusCode::kUnsupported);
  EXPECT_NE(no_video.message().find("no video stream"), std::string::npos);
}

}  // namespace
}  // namespace clipthat::media
