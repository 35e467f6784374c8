// A render job reads only the part of the VOD it needs: a clip of a 30 s window of a longer VOD,
// rendered through a real API server by an in-process worker, transfers less than three times
// the window's share of the file plus the index (moov), and the clip is the same as ever
// (duration, streams). The full download is rendered too, as the check's baseline.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "media/probe.h"
#include "testing/media_fixtures.h"
#include "testing/render_through_api.h"

namespace clipthat {
namespace {

namespace fs = std::filesystem;

// Bytes of the packets whose presentation time falls in [start_ms, end_ms).
std::int64_t WindowBytes(const fs::path& vod, TimeMs start_ms, TimeMs end_ms) {
  auto packets = testing::ReadAllPackets(vod);
  EXPECT_TRUE(packets.ok()) << packets.status().ToString();
  if (!packets.ok()) return 0;
  std::int64_t bytes = 0;
  for (const testing::PacketRecord& p : *packets) {
    const TimeMs t_ms = p.pts * 1000 * p.time_base_num / p.time_base_den;
    if (t_ms >= start_ms && t_ms < end_ms) bytes += p.size;
  }
  return bytes;
}

// Size of the top-level moov box (the index).
std::int64_t MoovBytes(const fs::path& vod) {
  const std::int64_t at = testing::FindTopLevelBox(vod, "moov");
  EXPECT_GE(at, 0);
  std::ifstream in(vod, std::ios::binary);
  in.seekg(at);
  unsigned char size[4] = {};
  in.read(reinterpret_cast<char*>(size), 4);
  return (std::int64_t{size[0]} << 24) | (size[1] << 16) | (size[2] << 8) | size[3];
}

TEST(RangedRenderTest, RenderOfAWindowReadsTheWindowAndTheIndexOnly) {
  testing::QuietLibavLogs();
  TempDir dir("clipthat-ranged-render-test");
  const fs::path vod = dir.path() / "vod.mp4";
  // Four minutes, small and quick to make; the window is an eighth of it.
  ASSERT_TRUE(testing::MakeTestMedia(vod, {.duration_ms = 240000,
                                           .width = 640,
                                           .height = 360,
                                           .fps = 30,
                                           .gop_frames = 60,
                                           .crf = 12})
                  .ok());
  constexpr TimeMs kStartMs = 120000, kEndMs = 150000;
  const nlohmann::json edit = {{"output", {{"width", 180}, {"height", 320}, {"fps", 30}}},
                               {"layout", {{"mode", "fit"}}}};
  auto ranged = testing::RenderThroughApi(vod, kStartMs, kEndMs, worker::RenderMediaAccess::kRanged,
                                          dir.path(), edit);
  ASSERT_TRUE(ranged.ok()) << ranged.status().ToString();
  auto full = testing::RenderThroughApi(vod, kStartMs, kEndMs, worker::RenderMediaAccess::kDownload,
                                        dir.path(), edit);
  ASSERT_TRUE(full.ok()) << full.status().ToString();

  const std::int64_t window_bytes = WindowBytes(vod, kStartMs, kEndMs);
  const std::int64_t moov_bytes = MoovBytes(vod);
  std::fprintf(stderr,
               "vod %lld bytes, window %lld, moov %lld; sent by ranges %lld (%.3f of the file), "
               "by download %lld\n",
               static_cast<long long>(ranged->vod_bytes), static_cast<long long>(window_bytes),
               static_cast<long long>(moov_bytes), static_cast<long long>(ranged->media_bytes_sent),
               static_cast<double>(ranged->media_bytes_sent) / ranged->vod_bytes,
               static_cast<long long>(full->media_bytes_sent));
  EXPECT_GT(window_bytes, 0);
  EXPECT_LT(ranged->media_bytes_sent, 3 * window_bytes + moov_bytes);
  EXPECT_GE(full->media_bytes_sent, full->vod_bytes);  // the baseline reads it all

  // A window that ends at the VOD's end: the read-ahead must not ask past it.
  auto last = testing::RenderThroughApi(vod, 210000, 240000, worker::RenderMediaAccess::kRanged,
                                        dir.path(), edit);
  ASSERT_TRUE(last.ok()) << last.status().ToString();

  // The clip is what it always was: 30 s of video and audio, like the downloaded render's.
  for (const std::string& clip : {ranged->clip_path, full->clip_path, last->clip_path}) {
    auto info = media::Probe(clip);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_NEAR(static_cast<double>(info->duration_ms), 30000.0, 200.0) << clip;
    ASSERT_NE(info->video(), nullptr);
    EXPECT_EQ(info->video()->width, 180);
    EXPECT_EQ(info->video()->height, 320);
    EXPECT_NE(info->audio(), nullptr) << clip;
  }
}

}  // namespace
}  // namespace clipthat
