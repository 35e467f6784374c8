// LiveIngest and SegmentRing together on generated media: a file played as fast as it reads.
#include "live/segment_ring.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "ai/testing/loopback_server.h"
#include "core/files.h"
#include "live/live_ingest.h"
#include "testing/media_fixtures.h"

namespace clipthat::live {
namespace {

class SegmentRingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("segment-ring-test");
    auto made = testing::MakeTestMedia(dir_->path() / "in.mp4", {.duration_ms = 20000});
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    media_ = *made;
  }
  static void TearDownTestSuite() { delete dir_; }

  static TempDir* dir_;
  static std::string media_;
};
TempDir* SegmentRingTest::dir_ = nullptr;
std::string SegmentRingTest::media_;

Status Ingest(const std::string& source, SegmentRing* ring, LiveIngestCallbacks callbacks = {}) {
  LiveIngest ingest(source, {.realtime = false}, ring, std::move(callbacks), Logger());
  return ingest.Run();
}

TEST_F(SegmentRingTest, SegmentsStartOnKeyframesAndACutHoldsItsWindow) {
  TempDir out("segment-ring-out");
  auto ring = SegmentRing::Create({.dir = (out.path() / "buffer").string()});
  ASSERT_TRUE(ring.ok()) << ring.status().ToString();
  std::vector<media::AudioBuffer> audio;
  std::vector<TimeMs> keyframes;
  LiveIngestCallbacks callbacks;
  callbacks.on_audio = [&](const media::AudioBuffer& b) { audio.push_back(b); };
  callbacks.on_keyframe = [&](const media::VideoFrame& f) {
    keyframes.push_back(f.pts_ms);
    EXPECT_EQ(f.width, 320);
    EXPECT_EQ(f.format, media::PixelFormat::kBgr24);
  };
  ASSERT_TRUE(Ingest(media_, ring->get(), callbacks).ok());
  const std::vector<Segment> segments = (*ring)->Segments();
  ASSERT_GE(segments.size(), 9u);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    EXPECT_EQ(segments[i].start_ms % 1000, 0) << i;  // a keyframe each second
    if (i > 0) {
      EXPECT_GE(segments[i].start_ms - segments[i - 1].start_ms, 2000);
    }
    EXPECT_TRUE(std::filesystem::exists(segments[i].path));
  }
  EXPECT_EQ(segments.front().start_ms, 0);
  EXPECT_NEAR(static_cast<double>((*ring)->finished_ms()), 20000, 100);
  // Audio: contiguous 16 kHz chunks covering the file.
  ASSERT_FALSE(audio.empty());
  for (std::size_t i = 1; i < audio.size(); ++i) {
    EXPECT_EQ(audio[i].start_ms, audio[i - 1].start_ms + audio[i - 1].duration_ms());
  }
  EXPECT_NEAR(static_cast<double>(audio.back().start_ms + audio.back().duration_ms()), 20000, 100);
  EXPECT_GE(keyframes.size(), 15u);

  auto cut = (*ring)->Cut(5500, 9000, (out.path() / "cut.mkv").string());
  ASSERT_TRUE(cut.ok()) << cut.status().ToString();
  EXPECT_EQ(cut->file_start_ms % 2000, 0);
  EXPECT_LE(cut->file_start_ms, 5500);
  EXPECT_EQ(cut->start_ms, 5500);
  EXPECT_EQ(cut->end_ms, 9000);
  auto frames = testing::DecodeAllVideo(cut->path, media::PixelFormat::kGray8);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  ASSERT_FALSE(frames->empty());
  // The test pattern codes each frame's index: the cut starts at its keyframe and reaches 9 s.
  EXPECT_EQ(testing::ReadFrameIndex(frames->front()), cut->file_start_ms * 30 / 1000);
  EXPECT_NEAR(frames->front().pts_ms, 0, 1);
  EXPECT_GE(testing::ReadFrameIndex(frames->back()), 9000 * 30 / 1000 - 1);
  auto sound = testing::DecodeAllAudio(cut->path);
  ASSERT_TRUE(sound.ok()) << sound.status().ToString();
  EXPECT_GE(sound->duration_ms(), 9000 - cut->file_start_ms - 100);
}

TEST_F(SegmentRingTest, OldSegmentsAreDeletedAndMissingWindowsNamed) {
  TempDir out("segment-ring-out");
  auto ring = SegmentRing::Create({.dir = (out.path() / "buffer").string(), .keep_ms = 5000});
  ASSERT_TRUE(ring.ok());
  ASSERT_TRUE(Ingest(media_, ring->get()).ok());
  EXPECT_GE((*ring)->earliest_ms(), 12000);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out.path() / "buffer")) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(static_cast<std::size_t>(files), (*ring)->Segments().size());
  EXPECT_LE(files, 4);
  auto gone = (*ring)->Cut(2000, 4000, (out.path() / "a.mkv").string());
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound) << gone.status().ToString();
  auto later = (*ring)->Cut(19000, 25000, (out.path() / "b.mkv").string());
  EXPECT_EQ(later.status().code(), StatusCode::kUnavailable) << later.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(out.path() / "a.mkv"));
}

TEST_F(SegmentRingTest, ASizeCapKeepsTheBufferSmall) {
  TempDir out("segment-ring-out");
  auto ring = SegmentRing::Create({.dir = (out.path() / "buffer").string(), .max_bytes = 1});
  ASSERT_TRUE(ring.ok());
  ASSERT_TRUE(Ingest(media_, ring->get()).ok());
  EXPECT_EQ((*ring)->Segments().size(), 1u);  // the newest is always kept
}

TEST_F(SegmentRingTest, BadSourcesAreNamed) {
  TempDir out("segment-ring-out");
  auto ring = SegmentRing::Create({.dir = (out.path() / "buffer").string()});
  ASSERT_TRUE(ring.ok());
  Status missing = Ingest((out.path() / "nope.mp4").string(), ring->get());
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("nope.mp4"), std::string::npos);

  ASSERT_TRUE(testing::WriteNonMediaFile(out.path() / "notes.txt").ok());
  EXPECT_EQ(Ingest((out.path() / "notes.txt").string(), ring->get()).code(),
            StatusCode::kDataError);

  auto audio_only =
      testing::MakeTestMedia(out.path() / "audio.m4a", {.duration_ms = 2000, .with_video = false});
  ASSERT_TRUE(audio_only.ok()) << audio_only.status().ToString();
  Status st = Ingest(*audio_only, ring->get());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("no video"), std::string::npos) << st.ToString();

  Status refused = Ingest("http://127.0.0.1:1/live.m3u8", ring->get());
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable) << refused.ToString();
  EXPECT_NE(refused.message().find("127.0.0.1:1"), std::string::npos) << refused.ToString();
}

TEST_F(SegmentRingTest, NetworkSourcesThatAreNotStreamsOrStallAreNamed) {
  TempDir out("segment-ring-out");
  auto ring = SegmentRing::Create({.dir = (out.path() / "buffer").string()});
  ASSERT_TRUE(ring.ok());
  ai::testing::LoopbackServer server;
  server.server().Get("/page.m3u8", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html><body>This channel is offline.</body></html>", "text/html");
  });
  server.server().Get("/local.m3u8", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:20\n#EXTINF:20.0,\nfile://" +
                        media_ + "\n#EXT-X-ENDLIST\n",
                    "application/vnd.apple.mpegurl");
  });
  server.server().Get("/stalls.ts", [&](const httplib::Request&, httplib::Response&) {
    server.Hold();  // accepts, then never answers
  });
  ASSERT_TRUE(server.Start());
  LiveIngestOptions options;
  options.realtime = false;
  options.stall_timeout_ms = 1000;
  options.first_connect_tries = 1;
  {
    LiveIngest ingest(server.url() + "/page.m3u8", options, ring->get(), {}, Logger());
    Status st = ingest.Run();
    EXPECT_EQ(st.code(), StatusCode::kDataError) << st.ToString();
    EXPECT_NE(st.message().find("page.m3u8"), std::string::npos) << st.ToString();
  }
  {
    // A playlist naming a file on this machine: nothing of it is read (FFmpeg's HLS demuxer
    // refuses it already; the protocol whitelist would too).
    LiveIngest ingest(server.url() + "/local.m3u8", options, ring->get(), {}, Logger());
    Status st = ingest.Run();
    EXPECT_EQ(ingest.stats().packets, 0) << st.ToString();
    EXPECT_TRUE((*ring)->Segments().empty());
  }
  {
    LiveIngest ingest(server.url() + "/stalls.ts", options, ring->get(), {}, Logger());
    Status st = ingest.Run();
    EXPECT_EQ(st.code(), StatusCode::kUnavailable) << st.ToString();
    EXPECT_NE(st.message().find("stalls.ts"), std::string::npos) << st.ToString();
  }
}

TEST(LiveIngestSources, TwitchAndFileSourcesAreRecognised) {
  EXPECT_TRUE(IsTwitchUrl("https://www.twitch.tv/somechannel"));
  EXPECT_TRUE(IsTwitchUrl("https://twitch.tv/somechannel"));
  EXPECT_FALSE(IsTwitchUrl("https://www.twitch.tv.evil.example/x"));
  EXPECT_FALSE(IsTwitchUrl("https://example.com/live.m3u8"));
  EXPECT_TRUE(IsFileSource("/tmp/vod.mp4"));
  EXPECT_TRUE(IsFileSource("file:/tmp/vod.mp4"));
  EXPECT_FALSE(IsFileSource("rtmp://127.0.0.1/live/key"));
}

}  // namespace
}  // namespace clipthat::live
