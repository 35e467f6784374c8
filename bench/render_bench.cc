// render_bench: the vertical render against the ffmpeg command line doing the same job, in the
// same run, and the render pool against a single clip.
//
//   render_bench VOD --clipthat BIN [--clip-seconds 60] [--pool-seconds 30] [--start-ms 60000]
//                [--preset veryfast] [--crf 20] [--out DIR]
//
// 1. One clip (default 60 s, 1080x1920, 30 fps, fill layout with face tracking, karaoke
//    captions, x264 `preset`/`crf`) by `clipthat render`, and the ffmpeg equivalent: the same
//    -ss/-t cut, crop, scale=1080:1920, subtitles= the same ASS document (written here with the
//    captions module from the same words and style), -r 30, libx264 same preset and CRF, AAC.
//    Prints both wall times and the ratio (target: <= 1.15), and the render's peak RSS (target:
//    < 600 MB).
// 2. The pool: one clip of pool-seconds alone, then four such clips through the pool (default
//    --jobs); prints the ratio (target: <= 2.2 on 2 cores).
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "captions/caption_style.h"
#include "captions/karaoke_ass.h"
#include "captions/word_grouping.h"
#include "core/files.h"
#include "core/time_units.h"
#include "formats/brand_template.h"
#include "formats/edit_list.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace clipthat;

struct RunStats {
  double seconds = -1;  // wall; -1 when the command failed
  double peak_rss_mb = 0;
};

// Runs argv with its output discarded; wall time and the child's peak RSS.
RunStats Run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  Stopwatch sw;
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  RunStats stats;
  if (rc != 0) return stats;
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  const double secs = sw.ElapsedSeconds();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) stats.seconds = secs;
  stats.peak_rss_mb = usage.ru_maxrss / 1024.0;
  return stats;
}

// Words every 320 ms, as a fast talker: the worst case for caption redraws.
std::vector<formats::EditWord> Words(TimeMs start_ms, TimeMs end_ms) {
  static const char* kWords[] = {"no", "way", "did", "you", "see", "that", "clip", "it", "chat"};
  std::vector<formats::EditWord> words;
  int i = 0;
  for (TimeMs t = start_ms + 200; t + 300 < end_ms; t += 320, ++i) {
    words.push_back({kWords[i % 9], t, t + 280});
  }
  return words;
}

formats::EditList Edit(const std::string& vod, TimeMs start_ms, TimeMs length_ms) {
  formats::EditList e;
  e.source = vod;
  e.start_ms = start_ms;
  e.end_ms = start_ms + length_ms;
  e.layout = formats::LayoutMode::kFill;
  e.title = "Benchmark clip";
  e.captions.words = Words(e.start_ms, e.end_ms);
  return e;
}

std::string Arg(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: render_bench VOD --clipthat BIN [--clip-seconds 60] ...\n");
    return 2;
  }
  const std::string vod = argv[1];
  const std::string bin = Arg(argc, argv, "--clipthat", "build/apps/clipthat/clipthat");
  const TimeMs clip_ms = std::atoll(Arg(argc, argv, "--clip-seconds", "60").c_str()) * 1000;
  const TimeMs pool_ms = std::atoll(Arg(argc, argv, "--pool-seconds", "30").c_str()) * 1000;
  const TimeMs start_ms = std::atoll(Arg(argc, argv, "--start-ms", "60000").c_str());
  const std::string preset = Arg(argc, argv, "--preset", "veryfast");
  const std::string crf = Arg(argc, argv, "--crf", "20");
  const fs::path out = Arg(argc, argv, "--out", "bench-data/render-bench");
  fs::remove_all(out);
  if (!EnsureDirectory(out).ok()) return 1;
  // Settings reach `clipthat render` through its environment, like any configuration.
  setenv("CLIPTHAT_RENDER_PRESET", preset.c_str(), 1);
  setenv("CLIPTHAT_RENDER_CRF", crf.c_str(), 1);
  std::printf("render_bench: %s, %u cores, x264 %s CRF %s\n", vod.c_str(),
              std::thread::hardware_concurrency(), preset.c_str(), crf.c_str());

  // 1. One clip, ours and ffmpeg's.
  const formats::EditList edit = Edit(vod, start_ms, clip_ms);
  const std::string edit_path = (out / "edit.json").string();
  if (!formats::WriteEditListFile(edit_path, edit).ok()) return 1;
  const captions::CaptionStyle style = formats::DefaultBrandTemplate().caption_style;
  std::vector<captions::CaptionWord> words;
  for (const formats::EditWord& w : edit.captions.words) {
    words.push_back({w.text, w.start_ms - edit.start_ms, w.end_ms - edit.start_ms});
  }
  const std::string ass_path = (out / "captions.ass").string();
  if (!WriteFileAtomically(ass_path, captions::WriteKaraokeAss(captions::GroupWords(words, style),
                                                               style, 1080, 1920))
           .ok()) {
    return 1;
  }
  char seconds[64];
  std::snprintf(seconds, sizeof seconds, "%.3f", clip_ms / 1000.0);
  char start[64];
  std::snprintf(start, sizeof start, "%.3f", start_ms / 1000.0);
  const RunStats ffmpeg = Run({"ffmpeg",
                               "-nostdin",
                               "-y",
                               "-loglevel",
                               "error",
                               "-ss",
                               start,
                               "-t",
                               seconds,
                               "-i",
                               vod,
                               "-vf",
                               "crop=608:1080:656:0,scale=1080:1920,subtitles=" + ass_path,
                               "-r",
                               "30",
                               "-c:v",
                               "libx264",
                               "-preset",
                               preset,
                               "-crf",
                               crf,
                               "-profile:v",
                               "high",
                               "-pix_fmt",
                               "yuv420p",
                               "-c:a",
                               "aac",
                               "-b:a",
                               "128k",
                               "-ar",
                               "48000",
                               "-movflags",
                               "+faststart",
                               (out / "ffmpeg.mp4").string()});
  const RunStats ours = Run({bin, "render", vod, "--edit", edit_path, "--out",
                             (out / "one").string(), "--encoder", "x264", "--jobs", "1"});
  std::printf("one %.0f s clip (fill, face tracking, captions):\n", clip_ms / 1000.0);
  std::printf("  ffmpeg command line   %7.2f s\n", ffmpeg.seconds);
  std::printf("  clipthat render       %7.2f s   peak RSS %.0f MB (target < 600)\n", ours.seconds,
              ours.peak_rss_mb);
  if (ffmpeg.seconds > 0 && ours.seconds > 0) {
    std::printf("  ratio clipthat/ffmpeg %7.2f     (target <= 1.15)\n",
                ours.seconds / ffmpeg.seconds);
  }

  // 2. The pool: one clip alone, then four at once.
  std::vector<std::string> pool_args = {
      bin, "render", vod, "--out", (out / "pool").string(), "--encoder", "x264"};
  for (int i = 0; i < 4; ++i) {
    const std::string path = (out / ("pool-" + std::to_string(i) + ".json")).string();
    if (!formats::WriteEditListFile(path, Edit(vod, start_ms + i * pool_ms, pool_ms)).ok())
      return 1;
    pool_args.push_back("--edit");
    pool_args.push_back(path);
  }
  const RunStats single = Run({bin, "render", vod, "--edit", (out / "pool-0.json").string(),
                               "--out", (out / "single").string(), "--encoder", "x264"});
  const RunStats pool = Run(pool_args);
  std::printf("pool, %.0f s clips (default --jobs):\n", pool_ms / 1000.0);
  std::printf("  1 clip                %7.2f s   peak RSS %.0f MB\n", single.seconds,
              single.peak_rss_mb);
  std::printf("  4 clips               %7.2f s   peak RSS %.0f MB (whole process)\n", pool.seconds,
              pool.peak_rss_mb);
  if (single.seconds > 0 && pool.seconds > 0) {
    std::printf("  ratio 4 clips/1 clip  %7.2f     (target <= 2.2)\n",
                pool.seconds / single.seconds);
  }
  const bool ok = ffmpeg.seconds > 0 && ours.seconds > 0 && single.seconds > 0 && pool.seconds > 0;
  if (!ok) std::printf("render_bench: a command failed (see the outputs in %s)\n", out.c_str());
  return ok ? 0 : 1;
}
