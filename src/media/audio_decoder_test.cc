#include "media/audio_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/files.h"
#include "media/av_error.h"
#include "media/ffmpeg_log.h"
#include "media/keyframe_decoder.h"
#include "testing/media_fixtures.h"

namespace clipthat::media {
namespace {

using ::clipthat::testing::MakeTestAudio;
using ::clipthat::testing::MakeTestMedia;
using ::clipthat::testing::RmsBetween;
using ::clipthat::testing::TestMediaSpec;
using ::clipthat::testing::ToneEnvelope;

struct Decoded {
  std::vector<AudioBuffer> chunks;
  AudioBuffer all;  // the chunks joined
};

Result<Decoded> DecodeAll(const std::string& path, const AudioDecoderOptions& options) {
  ASSIGN_OR_RETURN(AudioDecoder dec, AudioDecoder::Open(path, options));
  Decoded out;
  out.all.sample_rate_hz = options.sample_rate_hz;
  out.all.channels = options.channels;
  out.all.start_ms = options.start_ms;
  AudioBuffer chunk;
  while (true) {
    ASSIGN_OR_RETURN(bool more, dec.Next(&chunk));
    if (!more) {
      EXPECT_TRUE(chunk.samples.empty());
      break;
    }
    out.all.samples.insert(out.all.samples.end(), chunk.samples.begin(), chunk.samples.end());
    out.chunks.push_back(std::move(chunk));
  }
  return out;
}

// Normalised correlation of `got` against the reference signal over [from_ms, to_ms) of
// media time, mono.
double Correlation(const AudioBuffer& got, const AudioBuffer& want, TimeMs from_ms, TimeMs to_ms) {
  const long long a = (from_ms - got.start_ms) * got.sample_rate_hz / 1000;
  const long long b = (to_ms - got.start_ms) * got.sample_rate_hz / 1000;
  const long long wa = (from_ms - want.start_ms) * want.sample_rate_hz / 1000;
  double xy = 0, xx = 0, yy = 0;
  for (long long i = 0; i < b - a; ++i) {
    const double x = got.samples[a + i];
    const double y = want.samples[wa + i];
    xy += x * y;
    xx += x * x;
    yy += y * y;
  }
  return xx > 0 && yy > 0 ? xy / std::sqrt(xx * yy) : 0;
}

// Like Correlation with `want` starting near `start_ms`: the best match within 2 ms of it.
// Millisecond timestamps cannot place a signal to the sample, so sync is checked this way.
double CorrelationNear(const AudioBuffer& got, AudioBuffer want, TimeMs start_ms, TimeMs from_ms,
                       TimeMs to_ms) {
  const long long per_ms = want.sample_rate_hz / 1000;
  const std::vector<float> full = want.samples;
  double best = -1;
  for (long long lag = -2 * per_ms; lag <= 2 * per_ms; ++lag) {
    // Shift by whole samples: drop (or pad) the lag's worth at the front.
    want.start_ms = start_ms - 2;
    want.samples.assign(static_cast<std::size_t>(2 * per_ms + lag), 0.0f);
    want.samples.insert(want.samples.end(), full.begin(), full.end());
    best = std::max(best, Correlation(got, want, from_ms, to_ms));
  }
  return best;
}

// Copies `src` to `dst` (Matroska) without the audio packets that start in [from_ms, to_ms):
// a track with a hole, as a stream with a dropped connection leaves it.
Status CopyWithAudioHole(const std::string& src, const std::string& dst, TimeMs from_ms,
                         TimeMs to_ms) {
  ASSIGN_OR_RETURN(AvInputFormatPtr in, OpenInputFile(src));
  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, "matroska", dst.c_str());
  if (err < 0) return AvError(err, dst);
  AvOutputFormatPtr out(raw);
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    AVStream* st = avformat_new_stream(out.get(), nullptr);
    if (st == nullptr) return IoError("new stream");
    if ((err = avcodec_parameters_copy(st->codecpar, in->streams[i]->codecpar)) < 0) {
      return AvError(err, "copy parameters");
    }
    st->codecpar->codec_tag = 0;
  }
  if ((err = avio_open(&out->pb, dst.c_str(), AVIO_FLAG_WRITE)) < 0) return AvError(err, dst);
  if ((err = avformat_write_header(out.get(), nullptr)) < 0) return AvError(err, "header");
  AvPacketPtr pkt = MakeAvPacket();
  while (av_read_frame(in.get(), pkt.get()) >= 0) {
    const AVStream* ist = in->streams[pkt->stream_index];
    const TimeMs t = av_rescale_q(pkt->pts, ist->time_base, AVRational{1, 1000});
    const bool drop = ist->codecpar->codec_type == AVMEDIA_TYPE_AUDIO && t >= from_ms && t < to_ms;
    if (!drop) {
      av_packet_rescale_ts(pkt.get(), ist->time_base, out->streams[pkt->stream_index]->time_base);
      if ((err = av_interleaved_write_frame(out.get(), pkt.get())) < 0) {
        return AvError(err, "write");
      }
    }
    av_packet_unref(pkt.get());
  }
  if ((err = av_write_trailer(out.get())) < 0) return AvError(err, "trailer");
  return Status::Ok();
}

class AudioDecoderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    RouteFfmpegLogs(Logger());  // keep libav quiet
    dir_ = new TempDir("audio_decoder_test");
    auto made = MakeTestMedia(dir_->path() / "av.mp4", spec_);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    path_ = *made;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // The source signal at 16 kHz mono, starting at media time `start_ms`.
  static AudioBuffer Reference(TimeMs start_ms = 0) {
    TestMediaSpec ref = spec_;
    ref.audio_sample_rate_hz = 16000;
    ref.audio_channels = 1;
    AudioBuffer b = MakeTestAudio(ref, 0, spec_.duration_ms * 16);
    b.start_ms = start_ms;
    return b;
  }

  // When video frame 0 is shown: the fixture starts audio and video together, but some
  // containers shift both after the audio encoder's priming samples.
  static TimeMs FirstVideoMs(const std::string& path) {
    auto dec = KeyframeDecoder::Open(path, {});
    EXPECT_TRUE(dec.ok()) << dec.status().ToString();
    VideoFrame frame;
    auto more = dec->Next(&frame);
    EXPECT_TRUE(more.ok() && *more);
    return frame.pts_ms;
  }

  static inline const TestMediaSpec spec_{.duration_ms = 5000, .width = 160, .height = 90};
  static TempDir* dir_;
  static std::string path_;
};
TempDir* AudioDecoderTest::dir_ = nullptr;
std::string AudioDecoderTest::path_;

TEST_F(AudioDecoderTest, DecodesWholeTrackInContiguousChunks) {
  auto got = DecodeAll(path_, {.sample_rate_hz = 16000, .channels = 1, .chunk_ms = 1000});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const auto& chunks = got->chunks;
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks.front().start_ms, 0);
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i].sample_rate_hz, 16000);
    EXPECT_EQ(chunks[i].channels, 1);
    if (i + 1 < chunks.size()) {
      EXPECT_EQ(chunks[i].frame_count(), 16000u) << "chunk " << i;
      EXPECT_EQ(chunks[i + 1].start_ms, chunks[i].start_ms + chunks[i].duration_ms());
    }
  }
  // 5 s at 16 kHz, give or take one chunk.
  EXPECT_NEAR(static_cast<double>(got->all.frame_count()), 80000.0, 16000.0);
  for (float s : got->all.samples) ASSERT_LE(std::fabs(s), 1.0f);
}

TEST_F(AudioDecoderTest, KeepsTheTonesLevelTimingAndFrequency) {
  auto got = DecodeAll(path_, {.sample_rate_hz = 16000, .channels = 1, .chunk_ms = 250});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const AudioBuffer ref = Reference();
  for (TimeMs sec = 0; sec + 1000 <= spec_.duration_ms; sec += 1000) {
    ASSERT_EQ(ToneEnvelope(sec + 100), 1);
    // The tone has amplitude 0.5 on both channels; the mono mix keeps its level.
    EXPECT_NEAR(RmsBetween(got->all, sec + 50, sec + 450), 0.5 / std::sqrt(2.0), 0.04) << sec;
    EXPECT_LT(RmsBetween(got->all, sec + 550, sec + 950), 0.01) << sec;
    // Same waveform at the same time: right frequency, no offset.
    EXPECT_GT(Correlation(got->all, ref, sec + 50, sec + 450), 0.95) << sec;
  }
  // The check is sharp: the same signal 3 ms late does not match.
  AudioBuffer late = ref;
  late.start_ms = 3;
  EXPECT_LT(std::fabs(Correlation(got->all, late, 1050, 1450)), 0.5);
}

TEST_F(AudioDecoderTest, TrimsToStartAndEnd) {
  auto got = DecodeAll(
      path_,
      {.sample_rate_hz = 16000, .channels = 1, .chunk_ms = 300, .start_ms = 1250, .end_ms = 3750});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_FALSE(got->chunks.empty());
  EXPECT_EQ(got->chunks.front().start_ms, 1250);
  EXPECT_EQ(got->all.frame_count(), 2500u * 16);
  EXPECT_EQ(got->chunks.back().start_ms + got->chunks.back().duration_ms(), 3750);
  const AudioBuffer ref = Reference();
  // 1250..1500 is tone, 1500..2000 silence, 2000..2500 tone.
  EXPECT_GT(Correlation(got->all, ref, 1260, 1490), 0.95);
  EXPECT_LT(RmsBetween(got->all, 300, 700), 0.01);
  EXPECT_GT(Correlation(got->all, ref, 2050, 2450), 0.95);
  EXPECT_GT(Correlation(got->all, ref, 3050, 3450), 0.95);
}

TEST_F(AudioDecoderTest, EndPastTheStreamStopsAtItsEnd) {
  auto got =
      DecodeAll(path_, {.sample_rate_hz = 8000, .channels = 1, .start_ms = 4000, .end_ms = 60'000});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_NEAR(static_cast<double>(got->all.frame_count()), 8000.0, 400.0);
}

TEST_F(AudioDecoderTest, StereoAtAnotherRate) {
  auto got = DecodeAll(path_, {.sample_rate_hz = 44100, .channels = 2, .chunk_ms = 500});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_FALSE(got->chunks.empty());
  EXPECT_EQ(got->chunks.front().channels, 2);
  EXPECT_EQ(got->chunks.front().frame_count(), 22050u);
  EXPECT_NEAR(static_cast<double>(got->all.frame_count()), 5 * 44100.0, 22050.0);
  // Both channels carry the same tone.
  const auto& s = got->all.samples;
  for (std::size_t i = 44100 / 10 * 2; i < 44100 / 2 * 2; i += 2) {
    ASSERT_NEAR(s[i], s[i + 1], 1e-3) << i;
  }
}

TEST_F(AudioDecoderTest, OtherContainersKeepTheSameTimeline) {
  for (const char* name : {"av.mkv", "av.ts"}) {
    TestMediaSpec spec = spec_;
    spec.duration_ms = 3000;
    auto made = MakeTestMedia(dir_->path() / name, spec);
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    auto got = DecodeAll(*made, {.sample_rate_hz = 16000, .channels = 1});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_NEAR(static_cast<double>(got->all.frame_count()), 48000.0, 16000.0) << name;
    // The tone is where the video says time 0 is, to the sample.
    const TimeMs video_start = FirstVideoMs(*made);
    EXPECT_LT(video_start, 100) << name;
    for (TimeMs sec : {0, 1000, 2000}) {
      const TimeMs t = video_start + sec;
      EXPECT_GT(CorrelationNear(got->all, Reference(), video_start, t + 50, t + 450), 0.95)
          << name << " " << sec;
    }
  }
}

TEST_F(AudioDecoderTest, FillsHolesWithSilence) {
  const std::string holed = (dir_->path() / "holed.mkv").string();
  ASSERT_TRUE(CopyWithAudioHole(path_, holed, 1000, 2000).ok());
  auto got = DecodeAll(holed, {.sample_rate_hz = 16000, .channels = 1, .chunk_ms = 400});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  for (std::size_t i = 0; i + 1 < got->chunks.size(); ++i) {
    EXPECT_EQ(got->chunks[i].frame_count(), 6400u);
    EXPECT_EQ(got->chunks[i + 1].start_ms, got->chunks[i].start_ms + 400);
  }
  EXPECT_NEAR(static_cast<double>(got->all.frame_count()), 80000.0, 6400.0);
  const TimeMs t0 = FirstVideoMs(holed);
  const AudioBuffer ref = Reference();
  EXPECT_GT(CorrelationNear(got->all, ref, t0, t0 + 50, t0 + 450), 0.95);
  // Tone in the source, gone with the hole.
  EXPECT_LT(RmsBetween(got->all, t0 + 1100, t0 + 1400), 0.01);
  // Everything after the hole is still at its own time.
  EXPECT_GT(CorrelationNear(got->all, ref, t0, t0 + 2050, t0 + 2450), 0.95);
  EXPECT_GT(CorrelationNear(got->all, ref, t0, t0 + 4050, t0 + 4450), 0.95);
}

TEST_F(AudioDecoderTest, StartPastTheEndGivesNothing) {
  auto got = DecodeAll(path_, {.start_ms = 9000});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->chunks.empty());
}

TEST_F(AudioDecoderTest, ReportsTheStreamDuration) {
  auto dec = AudioDecoder::Open(path_, {});
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_NEAR(dec->duration_ms(), 5000, 25);
}

TEST_F(AudioDecoderTest, RejectsBadOptions) {
  for (const AudioDecoderOptions& o :
       {AudioDecoderOptions{.sample_rate_hz = 0}, AudioDecoderOptions{.channels = 0},
        AudioDecoderOptions{.chunk_ms = 0},
        AudioDecoderOptions{.start_ms = 2000, .end_ms = 1000}}) {
    auto dec = AudioDecoder::Open(path_, o);
    ASSERT_FALSE(dec.ok());
    EXPECT_EQ(dec.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(dec.status().message().find(path_), std::string::npos);
  }
}

TEST_F(AudioDecoderTest, MovedDecoderKeepsWorking) {
  auto dec = AudioDecoder::Open(path_, {});
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  AudioDecoder moved = std::move(*dec);
  AudioBuffer chunk;
  auto more = moved.Next(&chunk);
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(*more);
}

}  // namespace
}  // namespace clipthat::media
