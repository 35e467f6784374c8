#include "media/keyframe_decoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/files.h"
#include "media/ffmpeg_log.h"
#include "testing/media_fixtures.h"

namespace clipthat::media {
namespace {

using ::clipthat::testing::MakeTestMedia;
using ::clipthat::testing::ReadFrameIndex;
using ::clipthat::testing::TestMediaSpec;

Result<std::vector<VideoFrame>> DecodeAll(const std::string& path,
                                          const KeyframeDecoderOptions& options) {
  ASSIGN_OR_RETURN(KeyframeDecoder dec, KeyframeDecoder::Open(path, options));
  std::vector<VideoFrame> out;
  VideoFrame frame;
  while (true) {
    ASSIGN_OR_RETURN(bool more, dec.Next(&frame));
    if (!more) break;
    out.push_back(frame);
  }
  return out;
}

class KeyframeDecoderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    RouteFfmpegLogs(Logger());  // keep libav quiet
    dir_ = new TempDir("keyframe_decoder_test");
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
};
TempDir* KeyframeDecoderTest::dir_ = nullptr;

TEST_F(KeyframeDecoderTest, DecodesOneFramePerGop) {
  const TestMediaSpec spec{
      .duration_ms = 6000, .width = 640, .height = 360, .fps = 30, .gop_frames = 15};
  const std::string path = Make("gop15.mp4", spec);
  auto frames = DecodeAll(path, {.width = 160});
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  // 6 s with a keyframe every 500 ms.
  ASSERT_EQ(frames->size(), 12u);
  for (std::size_t i = 0; i < frames->size(); ++i) {
    const VideoFrame& f = (*frames)[i];
    EXPECT_EQ(f.pts_ms, static_cast<TimeMs>(i) * 500) << i;
    EXPECT_TRUE(f.keyframe);
    EXPECT_EQ(f.width, 160);
    EXPECT_EQ(f.height, 90);  // source aspect kept
    EXPECT_EQ(f.format, PixelFormat::kBgr24);
    EXPECT_EQ(f.data.size(), 160u * 90 * 3);
    // The picture is the one shown at that time: frame 15 i.
    EXPECT_EQ(ReadFrameIndex(f), static_cast<int>(i) * 15) << i;
  }
}

TEST_F(KeyframeDecoderTest, HonoursRequestedSizeAndFormat) {
  const std::string path =
      Make("sizes.mp4", {.duration_ms = 3000, .width = 320, .height = 180, .with_audio = false});
  for (PixelFormat format : {PixelFormat::kGray8, PixelFormat::kYuv420p, PixelFormat::kBgr24}) {
    auto frames = DecodeAll(path, {.width = 96, .height = 64, .format = format});
    ASSERT_TRUE(frames.ok()) << frames.status().ToString();
    ASSERT_EQ(frames->size(), 3u);  // default GOP: one second
    TimeMs last = -1;
    for (const VideoFrame& f : *frames) {
      EXPECT_GT(f.pts_ms, last);
      last = f.pts_ms;
      EXPECT_EQ(f.width, 96);
      EXPECT_EQ(f.height, 64);
      EXPECT_EQ(f.format, format);
      EXPECT_EQ(f.data.size(), VideoFrame::BufferSize(96, 64, format));
    }
  }
}

TEST_F(KeyframeDecoderTest, OddAspectRoundsHeightToEven) {
  const std::string path =
      Make("odd.mp4", {.duration_ms = 1000, .width = 300, .height = 200, .with_audio = false});
  auto frames = DecodeAll(path, {.width = 100});
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  ASSERT_EQ(frames->size(), 1u);
  EXPECT_EQ((*frames)[0].height, 66);
}

TEST_F(KeyframeDecoderTest, WorksOnOtherContainers) {
  for (const char* name : {"gop.mkv", "gop.ts"}) {
    const std::string path = Make(name, {.duration_ms = 4000, .fps = 25, .gop_frames = 25});
    auto frames = DecodeAll(path, {.width = 160});
    ASSERT_TRUE(frames.ok()) << frames.status().ToString();
    ASSERT_EQ(frames->size(), 4u) << name;
    // These muxers start the video a little after the audio encoder's priming samples.
    const TimeMs first = frames->front().pts_ms;
    EXPECT_LT(first, 50) << name;
    for (std::size_t i = 0; i < frames->size(); ++i) {
      EXPECT_EQ((*frames)[i].pts_ms, first + static_cast<TimeMs>(i) * 1000) << name;
      EXPECT_EQ(ReadFrameIndex((*frames)[i]), static_cast<int>(i) * 25) << name;
    }
  }
}

TEST_F(KeyframeDecoderTest, ReportsDurationAndRejectsBadSizes) {
  const std::string path = Make("dur.mp4", {.duration_ms = 2000, .with_audio = false});
  auto dec = KeyframeDecoder::Open(path, {});
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_NEAR(dec->duration_ms(), 2000, 34);
  auto bad = KeyframeDecoder::Open(path, {.width = 0});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clipthat::media

namespace clipthat::media {
namespace {

TEST(KeyframeDecoderSeekTest, SeekLandsOnTheKeyframeAtOrBefore) {
  RouteFfmpegLogs(Logger());
  TempDir dir("keyframe_decoder_seek_test");
  TestMediaSpec spec;
  spec.duration_ms = 4000;
  spec.width = 320;
  spec.height = 180;
  spec.gop_frames = 15;  // a keyframe every 500 ms
  spec.with_audio = false;
  auto path = MakeTestMedia(dir.path() / "seek.mp4", spec);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  KeyframeDecoderOptions options;
  options.width = 160;
  auto dec = KeyframeDecoder::Open(*path, options);
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  VideoFrame frame;
  for (TimeMs t : {2600, 1000, 0, 3999, 700}) {
    ASSERT_TRUE(dec->Seek(t).ok()) << t;
    auto more = dec->Next(&frame);
    ASSERT_TRUE(more.ok() && *more) << t;
    EXPECT_EQ(frame.pts_ms, t / 500 * 500) << t;
    EXPECT_EQ(ReadFrameIndex(frame), t / 500 * 15) << t;
  }
  // Reading on after a seek continues in order.
  ASSERT_TRUE(dec->Seek(3000).ok());
  ASSERT_TRUE(*dec->Next(&frame));
  ASSERT_TRUE(*dec->Next(&frame));
  EXPECT_EQ(frame.pts_ms, 3500);
  EXPECT_FALSE(*dec->Next(&frame));
}

}  // namespace
}  // namespace clipthat::media
