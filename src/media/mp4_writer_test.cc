#include "media/mp4_writer.h"

#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/files.h"
#include "testing/media_fixtures.h"

namespace clipthat::media {
namespace {

namespace fs = std::filesystem;
using testing::TestMediaSpec;

// Stream facts read with libav directly.
struct FileFacts {
  TimeMs duration_ms = 0;
  int video_streams = 0, audio_streams = 0;
  AVCodecID video_codec = AV_CODEC_ID_NONE, audio_codec = AV_CODEC_ID_NONE;
  int pix_fmt = -1, profile = -1, width = 0, height = 0;
  int sample_rate = 0, channels = 0;
};

FileFacts ReadFacts(const fs::path& path) {
  FileFacts f;
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) return f;
  avformat_find_stream_info(fmt, nullptr);
  f.duration_ms = fmt->duration * 1000 / AV_TIME_BASE;
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVCodecParameters* p = fmt->streams[i]->codecpar;
    if (p->codec_type == AVMEDIA_TYPE_VIDEO) {
      ++f.video_streams;
      f.video_codec = p->codec_id;
      f.pix_fmt = p->format;
      f.profile = p->profile;
      f.width = p->width;
      f.height = p->height;
    } else if (p->codec_type == AVMEDIA_TYPE_AUDIO) {
      ++f.audio_streams;
      f.audio_codec = p->codec_id;
      f.sample_rate = p->sample_rate;
      f.channels = p->ch_layout.nb_channels;
    }
  }
  avformat_close_input(&fmt);
  return f;
}

Mp4WriterOptions SmallOptions() {
  testing::QuietLibavLogs();
  return {.width = 320, .height = 180, .fps = 30, .preset = "veryfast", .threads = 2};
}

TEST(Mp4WriterTest, RoundTripVideoAndResampledAudio) {
  TempDir dir;
  const fs::path out = dir.path() / "clip.mp4";
  Mp4WriterOptions options = SmallOptions();
  options.gop_frames = 15;
  auto writer = Mp4Writer::Open(out.string(), options);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  // Frames in every PixelFormat, audio as 44.1 kHz mono in uneven chunks (resampled to
  // 48 kHz stereo), written interleaved as a renderer would.
  const PixelFormat formats[] = {PixelFormat::kBgr24, PixelFormat::kYuv420p, PixelFormat::kGray8};
  const TestMediaSpec mono{.audio_sample_rate_hz = 44100, .audio_channels = 1};
  long long samples_done = 0;
  for (int i = 0; i < 60; ++i) {
    VideoFrame frame;
    testing::DrawTestFrame(i, 320, 180, formats[i % 3], &frame);
    ASSERT_TRUE(writer->WriteVideo(frame).ok());
    const long long target = (i + 1) * 44100LL / 30;
    const long long n = std::min<long long>(target - samples_done, 997);
    ASSERT_TRUE(writer->WriteAudio(testing::MakeTestAudio(mono, samples_done, n)).ok());
    samples_done += n;
  }
  ASSERT_TRUE(
      writer->WriteAudio(testing::MakeTestAudio(mono, samples_done, 88200 - samples_done)).ok());
  EXPECT_EQ(writer->frames_written(), 60);
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));

  const FileFacts f = ReadFacts(out);
  EXPECT_EQ(f.video_streams, 1);
  EXPECT_EQ(f.audio_streams, 1);
  EXPECT_EQ(f.video_codec, AV_CODEC_ID_H264);
  EXPECT_EQ(f.audio_codec, AV_CODEC_ID_AAC);
  EXPECT_EQ(f.pix_fmt, AV_PIX_FMT_YUV420P);
  EXPECT_EQ(f.profile, FF_PROFILE_H264_HIGH);
  EXPECT_EQ(f.width, 320);
  EXPECT_EQ(f.height, 180);
  EXPECT_EQ(f.sample_rate, 48000);
  EXPECT_EQ(f.channels, 2);
  EXPECT_NEAR(f.duration_ms, 2000, 50);

  // Faststart: the index comes before the media data.
  const std::int64_t moov = testing::FindTopLevelBox(out, "moov");
  const std::int64_t mdat = testing::FindTopLevelBox(out, "mdat");
  ASSERT_GE(moov, 0);
  ASSERT_GE(mdat, 0);
  EXPECT_LT(moov, mdat);

  // Constant frame rate: every frame decodes in order at n / 30 s, whatever the input format.
  auto frames = testing::DecodeAllVideo(out, PixelFormat::kGray8);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  ASSERT_EQ(frames->size(), 60u);
  for (int i = 0; i < 60; ++i) {
    EXPECT_EQ(testing::ReadFrameIndex((*frames)[i]), i);
    EXPECT_NEAR((*frames)[i].pts_ms, i * 1000.0 / 30, 1.0);
    if (i % 15 == 0) {
      EXPECT_TRUE((*frames)[i].keyframe) << "frame " << i;
    }
  }

  // Audio timed from 0: compare with the signal written (it is a function of time).
  auto audio = testing::DecodeAllAudio(out);
  ASSERT_TRUE(audio.ok()) << audio.status().ToString();
  EXPECT_EQ(audio->start_ms, 0);
  EXPECT_GE(audio->frame_count(), 96000u);
  const auto expected = testing::MakeTestAudio({}, 0, 96000);
  double err = 0;
  for (std::size_t i = 4800 * 2; i < 91200 * 2; ++i) {
    err = std::max(err, static_cast<double>(std::abs(audio->samples[i] - expected.samples[i])));
  }
  EXPECT_LT(err, 0.03);
  EXPECT_GT(testing::RmsBetween(*audio, 100, 400), 0.2);
  EXPECT_LT(testing::RmsBetween(*audio, 600, 900), 0.02);
}

TEST(Mp4WriterTest, VideoOnlyAndDefaultGop) {
  TempDir dir;
  const fs::path out = dir.path() / "silent.mp4";
  Mp4WriterOptions options = SmallOptions();
  options.has_audio = false;
  auto writer = Mp4Writer::Open(out.string(), options);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  for (int i = 0; i < 90; ++i) {
    VideoFrame frame;
    testing::DrawTestFrame(i, 320, 180, PixelFormat::kYuv420p, &frame);
    ASSERT_TRUE(writer->WriteVideo(frame).ok());
  }
  EXPECT_EQ(writer->WriteAudio(testing::MakeTestAudio({}, 0, 100)).code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(writer->Finish().ok());
  const FileFacts f = ReadFacts(out);
  EXPECT_EQ(f.video_streams, 1);
  EXPECT_EQ(f.audio_streams, 0);
  EXPECT_NEAR(f.duration_ms, 3000, 50);
  auto packets = testing::ReadAllPackets(out);
  ASSERT_TRUE(packets.ok());
  ASSERT_EQ(packets->size(), 90u);
  // Default keyframe interval is 2 s: a keyframe in the first 60 frames' packets only at 0
  // (x264 may add scene-cut keyframes, never fewer).
  int keyframes = 0;
  for (const auto& p : *packets) keyframes += p.keyframe ? 1 : 0;
  EXPECT_GE(keyframes, 2);
}

TEST(Mp4WriterTest, DestroyedWithoutFinishLeavesNoFile) {
  TempDir dir;
  const fs::path out = dir.path() / "abandoned.mp4";
  {
    auto writer = Mp4Writer::Open(out.string(), SmallOptions());
    ASSERT_TRUE(writer.ok());
    VideoFrame frame;
    testing::DrawTestFrame(0, 320, 180, PixelFormat::kBgr24, &frame);
    ASSERT_TRUE(writer->WriteVideo(frame).ok());
    EXPECT_TRUE(fs::exists(out.string() + ".partial"));
  }
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
}

TEST(Mp4WriterTest, MovedWriterKeepsWorking) {
  TempDir dir;
  const fs::path out = dir.path() / "moved.mp4";
  auto opened = Mp4Writer::Open(out.string(), SmallOptions());
  ASSERT_TRUE(opened.ok());
  Mp4Writer writer = std::move(*opened);
  VideoFrame frame;
  testing::DrawTestFrame(0, 320, 180, PixelFormat::kBgr24, &frame);
  ASSERT_TRUE(writer.WriteVideo(frame).ok());
  ASSERT_TRUE(writer.Finish().ok());
  EXPECT_TRUE(fs::exists(out));
  EXPECT_EQ(writer.Finish().code(), StatusCode::kInvalidArgument);
}

TEST(Mp4WriterTest, ErrorsNameThePath) {
  TempDir dir;
  const std::string missing_dir = (dir.path() / "no" / "such" / "dir" / "x.mp4").string();
  auto a = Mp4Writer::Open(missing_dir, SmallOptions());
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kIoError);
  EXPECT_NE(a.status().message().find(missing_dir), std::string::npos);

  Mp4WriterOptions bad_encoder = SmallOptions();
  bad_encoder.video_encoder = "no_such_encoder";
  auto b = Mp4Writer::Open((dir.path() / "b.mp4").string(), bad_encoder);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kUnsupported);

  Mp4WriterOptions odd = SmallOptions();
  odd.width = 321;
  EXPECT_EQ(Mp4Writer::Open((dir.path() / "c.mp4").string(), odd).status().code(),
            StatusCode::kInvalidArgument);

  const std::string path = (dir.path() / "d.mp4").string();
  auto d = Mp4Writer::Open(path, SmallOptions());
  ASSERT_TRUE(d.ok());
  VideoFrame wrong;
  testing::DrawTestFrame(0, 160, 90, PixelFormat::kBgr24, &wrong);
  const Status st = d->WriteVideo(wrong);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find(path), std::string::npos);
}

}  // namespace
}  // namespace clipthat::media
