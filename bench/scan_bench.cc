// scan_bench: the whole-VOD scan's decoding work — audio to 16 kHz mono and keyframe-only video
// at 160 px wide — done by ClipThat's media wrappers and by the ffmpeg command line on the same
// file in the same run. Prints each time and ClipThat / ffmpeg ratios (lower is better; 1.0 is
// parity).
//
//   scan_bench FILE [--repeat N]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/time_units.h"
#include "media/audio_decoder.h"
#include "media/keyframe_decoder.h"
#include "media/probe.h"

extern char** environ;

namespace {

using clipthat::Stopwatch;

// Runs argv, discarding its output; returns wall seconds, or -1 when it fails.
double RunCommand(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  Stopwatch sw;
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  double secs = sw.ElapsedSeconds();
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? secs : -1;
}

double OurAudioScan(const std::string& path, long long* samples) {
  Stopwatch sw;
  auto dec = clipthat::media::AudioDecoder::Open(path, {});
  if (!dec.ok()) {
    std::fprintf(stderr, "scan_bench: %s\n", dec.status().ToString().c_str());
    std::exit(1);
  }
  clipthat::media::AudioBuffer chunk;
  *samples = 0;
  while (true) {
    auto more = dec->Next(&chunk);
    if (!more.ok()) {
      std::fprintf(stderr, "scan_bench: %s\n", more.status().ToString().c_str());
      std::exit(1);
    }
    if (!*more) break;
    *samples += static_cast<long long>(chunk.samples.size());
  }
  return sw.ElapsedSeconds();
}

double OurKeyframeScan(const std::string& path, int* frames) {
  Stopwatch sw;
  auto dec = clipthat::media::KeyframeDecoder::Open(path, {});
  if (!dec.ok()) {
    std::fprintf(stderr, "scan_bench: %s\n", dec.status().ToString().c_str());
    std::exit(1);
  }
  clipthat::media::VideoFrame frame;
  *frames = 0;
  while (true) {
    auto more = dec->Next(&frame);
    if (!more.ok()) {
      std::fprintf(stderr, "scan_bench: %s\n", more.status().ToString().c_str());
      std::exit(1);
    }
    if (!*more) break;
    ++*frames;
  }
  return sw.ElapsedSeconds();
}

double Best(std::vector<double> v) { return *std::min_element(v.begin(), v.end()); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: scan_bench FILE [--repeat N]\n");
    return 2;
  }
  std::string path = argv[1];
  int repeat = 3;
  if (argc >= 4 && std::strcmp(argv[2], "--repeat") == 0) repeat = std::max(1, std::atoi(argv[3]));

  auto info = clipthat::media::Probe(path);
  if (!info.ok()) {
    std::fprintf(stderr, "scan_bench: %s\n", info.status().message().c_str());
    return 1;
  }
  const auto* v = info->video();
  std::printf("input: %s  %.1f s  %dx%d %.0f fps  keyframe every %lld ms\n", path.c_str(),
              info->duration_ms / 1000.0, v ? v->width : 0, v ? v->height : 0, v ? v->fps : 0,
              static_cast<long long>(info->keyframe_interval_ms));

  // The same work on the command line: audio to 16 kHz mono s16; keyframes only, scaled to
  // 160 px wide, as raw BGR.
  const std::vector<std::string> ffmpeg_audio = {
      "ffmpeg", "-nostdin", "-v",  "error", "-vn", "-sn",   "-dn", "-i",       path,
      "-ac",    "1",        "-ar", "16000", "-f",  "s16le", "-y",  "/dev/null"};
  const std::vector<std::string> ffmpeg_keyframes = {
      "ffmpeg",      "-nostdin", "-v",    "error", "-skip_frame", "nokey",        "-discard",
      "nokey",       "-an",      "-i",    path,    "-vf",         "scale=160:-2", "-fps_mode",
      "passthrough", "-pix_fmt", "bgr24", "-f",    "rawvideo",    "-y",           "/dev/null"};

  std::vector<double> ours_audio, ours_key, ff_audio, ff_key;
  long long samples = 0;
  int frames = 0;
  for (int i = 0; i < repeat; ++i) {
    ours_audio.push_back(OurAudioScan(path, &samples));
    ff_audio.push_back(RunCommand(ffmpeg_audio));
    ours_key.push_back(OurKeyframeScan(path, &frames));
    ff_key.push_back(RunCommand(ffmpeg_keyframes));
  }
  if (Best(ff_audio) < 0 || Best(ff_key) < 0) {
    std::fprintf(stderr, "scan_bench: the ffmpeg baseline failed to run\n");
    return 1;
  }
  const double oa = Best(ours_audio), fa = Best(ff_audio), ok = Best(ours_key), fk = Best(ff_key);
  std::printf(
      "audio decode to 16 kHz mono: clipthat %.3f s (%lld samples), ffmpeg %.3f s, "
      "ratio %.2f\n",
      oa, samples, fa, oa / fa);
  std::printf(
      "keyframe-only decode 160 px:  clipthat %.3f s (%d keyframes), ffmpeg %.3f s, "
      "ratio %.2f\n",
      ok, frames, fk, ok / fk);
  std::printf("scan total: clipthat %.3f s, ffmpeg %.3f s, ratio %.2f (best of %d)\n", oa + ok,
              fa + fk, (oa + ok) / (fa + fk), repeat);
  return 0;
}
