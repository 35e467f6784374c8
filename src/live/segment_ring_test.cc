// LiveIngest and SegmentRing together on generated media: a file played as fast as it reads.
#include "live/segment_ring.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <sstream>

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

// A live HLS stream that drops (its playlist answers 503 for a while) and comes back with a
// playlist that still lists segments read before the drop: the session goes on where it was,
// with nothing read twice and the clock following the stream's own timestamps.
TEST_F(SegmentRingTest, AnHlsStreamThatDropsResumesWithoutRepeatingWhatItHad) {
  TempDir out("segment-ring-out");
  const std::filesystem::path hls = out.path() / "hls";
  std::filesystem::create_directories(hls);
  const std::string cut = "ffmpeg -nostdin -loglevel error -i '" + media_ +
                          "' -c copy -f hls -hls_time 2 -hls_list_size 0 -hls_segment_filename '" +
                          (hls / "seg%03d.ts").string() + "' '" + (hls / "all.m3u8").string() + "'";
  ASSERT_EQ(std::system(cut.c_str()), 0) << cut;
  // The segments and their lengths, in order.
  std::vector<std::pair<std::string, std::string>> segments;  // name, "#EXTINF:..." line
  {
    auto text = ReadFileToString(hls / "all.m3u8");
    ASSERT_TRUE(text.ok());
    std::istringstream lines(*text);
    std::string line, extinf;
    while (std::getline(lines, line)) {
      if (line.rfind("#EXTINF", 0) == 0) extinf = line;
      if (line.rfind("seg", 0) == 0) segments.emplace_back(line, extinf);
    }
  }
  ASSERT_GE(segments.size(), 9u);
  const auto playlist = [&](std::size_t first, std::size_t end, bool ended) {
    std::string p = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:" +
                    std::to_string(first) + "\n";
    for (std::size_t i = first; i < end; ++i)
      p += segments[i].second + "\n" + segments[i].first + "\n";
    return ended ? p + "#EXT-X-ENDLIST\n" : p;
  };
  std::atomic<int> fetches{0};
  ai::testing::LoopbackServer server;
  server.server().Get("/live.m3u8", [&](const httplib::Request&, httplib::Response& res) {
    const int n = ++fetches;
    if (n == 1) {
      res.set_content(playlist(0, 5, false), "application/vnd.apple.mpegurl");
    } else if (n <= 3) {
      res.status = 503;  // the outage: the reload and the first reconnect
    } else {
      // Back, the window slid on but still lists three segments read before the drop.
      res.set_content(playlist(2, segments.size(), true), "application/vnd.apple.mpegurl");
    }
  });
  server.server().Get(R"(/(seg\d+\.ts))", [&](const httplib::Request& req, httplib::Response& res) {
    auto bytes = ReadFileToString(hls / req.matches[1].str());
    if (!bytes.ok()) {
      res.status = 404;
      return;
    }
    res.set_content(*bytes, "video/mp2t");
  });
  ASSERT_TRUE(server.Start());
  auto ring = SegmentRing::Create({.dir = (out.path() / "buffer").string()});
  ASSERT_TRUE(ring.ok());
  LiveIngestOptions options;
  options.realtime = false;
  options.stall_timeout_ms = 5000;
  options.backoff_min_ms = 100;
  std::int64_t audio_samples = 0;
  std::vector<std::string> notices;
  LiveIngestCallbacks callbacks;
  callbacks.on_audio = [&](const media::AudioBuffer& a) {
    audio_samples += static_cast<std::int64_t>(a.samples.size());
  };
  callbacks.on_notice = [&](const Status& why, TimeMs) { notices.push_back(why.ToString()); };
  LiveIngest ingest(server.url() + "/live.m3u8", options, ring->get(), callbacks, Logger());
  Status st = ingest.Run();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_GE(fetches.load(), 4) << "the stream ended at the drop instead of reconnecting";
  EXPECT_GE(ingest.stats().reconnects, 1);
  EXPECT_FALSE(notices.empty());
  // 20 s of stream, each second of it once: no replay of the segments read before the drop.
  EXPECT_NEAR(ingest.stats().session_ms, 20000, 1000);
  EXPECT_NEAR(audio_samples / 16.0, 20000, 1500);
  const auto kept = (*ring)->Segments();
  ASSERT_FALSE(kept.empty());
  for (std::size_t i = 1; i < kept.size(); ++i) {
    EXPECT_GE(kept[i].start_ms, kept[i - 1].end_ms - 100) << "segment " << i << " overlaps";
  }
  EXPECT_NEAR(kept.back().end_ms, 20000, 1000);
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
