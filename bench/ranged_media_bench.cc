// ranged_media_bench: the bytes a render job transfers from the API for one clip of a long VOD,
// reading the VOD by ranges (what workers do) against downloading it whole (the baseline), in the
// same run through a real API server on loopback. Prints bytes sent / VOD size for each, the
// ranged / download ratio, and each render's wall time.
//
//   ranged_media_bench [VOD.mp4] [--start-ms N] [--window-ms N] [--minutes N]
//
// Without a VOD it makes a test-pattern MP4 of --minutes (default 30) at 640x360 into a
// temporary folder; bench/run passes the generated sample stream instead.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "media/probe.h"
#include "testing/media_fixtures.h"
#include "testing/render_through_api.h"

namespace {

using namespace clipthat;

int Run(int argc, char** argv) {
  std::string vod;
  TimeMs start_ms = -1, window_ms = 30000;
  int minutes = 30;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--start-ms" && has_value) {
      start_ms = std::atoll(argv[++i]);
    } else if (arg == "--window-ms" && has_value) {
      window_ms = std::atoll(argv[++i]);
    } else if (arg == "--minutes" && has_value) {
      minutes = std::atoi(argv[++i]);
    } else if (!arg.starts_with("--") && vod.empty()) {
      vod = arg;
    } else {
      std::fprintf(stderr,
                   "usage: ranged_media_bench [VOD.mp4] [--start-ms N] [--window-ms N] "
                   "[--minutes N]\n");
      return 2;
    }
  }
  testing::QuietLibavLogs();
  TempDir dir("clipthat-ranged-bench");
  if (vod.empty()) {
    vod = (dir.path() / "vod.mp4").string();
    std::fprintf(stderr, "making a %d-minute 640x360 test VOD\n", minutes);
    auto made = testing::MakeTestMedia(vod, {.duration_ms = minutes * 60000LL,
                                             .width = 640,
                                             .height = 360,
                                             .fps = 30,
                                             .gop_frames = 60,
                                             .crf = 12});
    if (!made.ok()) {
      std::fprintf(stderr, "%s\n", made.status().ToString().c_str());
      return 1;
    }
  }
  auto info = media::Probe(vod);
  if (!info.ok()) {
    std::fprintf(stderr, "%s\n", info.status().ToString().c_str());
    return 1;
  }
  if (start_ms < 0) start_ms = info->duration_ms / 2;
  const TimeMs end_ms = std::min(start_ms + window_ms, info->duration_ms);
  const nlohmann::json edit = {{"output", {{"width", 360}, {"height", 640}, {"fps", 30}}},
                               {"layout", {{"mode", "fit"}}}};
  std::printf("vod %s: %lld bytes, %.1f min; clip %lld..%lld ms\n", vod.c_str(),
              static_cast<long long>(info->size_bytes), info->duration_ms / 60000.0,
              static_cast<long long>(start_ms), static_cast<long long>(end_ms));
  std::int64_t sent[2] = {0, 0};
  const worker::RenderMediaAccess modes[2] = {worker::RenderMediaAccess::kDownload,
                                              worker::RenderMediaAccess::kRanged};
  const char* names[2] = {"download", "ranged"};
  for (int m = 0; m < 2; ++m) {
    auto run = testing::RenderThroughApi(vod, start_ms, end_ms, modes[m], dir.path(), edit);
    if (!run.ok()) {
      std::fprintf(stderr, "%s: %s\n", names[m], run.status().ToString().c_str());
      return 1;
    }
    sent[m] = run->media_bytes_sent;
    std::printf("%-8s  sent %12lld bytes  %.4f of the VOD  %.1f s\n", names[m],
                static_cast<long long>(run->media_bytes_sent),
                static_cast<double>(run->media_bytes_sent) / run->vod_bytes, run->render_seconds);
  }
  std::printf("ranged / download bytes: %.4f\n", static_cast<double>(sent[1]) / sent[0]);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
