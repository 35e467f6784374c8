#include "sample/sample_generator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/files.h"
#include "media/concat.h"
#include "sample/chat_replay.h"
#include "sample/facecam.h"
#include "sample/piece_renderer.h"
#include "sample/stream_plan.h"
#include "sample/truth.h"

namespace clipthat::sample {
namespace {

namespace fs = std::filesystem;

constexpr double kRenderShare = 0.9;  // of the progress bar; joining takes the rest

int JobCount(const SampleOptions& options) {
  if (options.jobs > 0) return options.jobs;
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
}

// Renders every template the timeline uses, `jobs` at a time, longest first.
Result<std::vector<std::vector<SpokenLine>>> RenderPieces(const StreamPlan& plan,
                                                          const SampleOptions& options,
                                                          const FacePhoto& face,
                                                          const fs::path& dir,
                                                          const GenerateHooks& hooks) {
  std::set<int> used_set;
  for (const PiecePlacement& p : plan.timeline) used_set.insert(p.template_index);
  std::vector<int> used(used_set.begin(), used_set.end());
  std::stable_sort(used.begin(), used.end(), [&](int a, int b) {
    return plan.templates[a].duration_ms > plan.templates[b].duration_ms;
  });
  long long total_frames = 0;
  for (int t : used) total_frames += plan.templates[t].duration_ms * options.fps / 1000;

  std::vector<std::vector<SpokenLine>> layouts(plan.templates.size());
  std::atomic<long long> frames_done{0};
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  Status first_error;
  PieceRenderSettings settings;
  settings.width = options.width;
  settings.height = options.height;
  settings.fps = options.fps;
  settings.face = &face;
  settings.facecam = options.facecam;
  settings.work_dir = dir;
  settings.frames_done = &frames_done;
  auto worker = [&] {
    for (size_t i = next++; i < used.size() && !failed; i = next++) {
      int t = used[i];
      CT_LOG(hooks.logger, kDebug)
          << "rendering piece " << t << " (" << plan.templates[t].duration_ms << " ms)";
      auto layout =
          RenderPiece(plan.templates[t], settings, dir / ("piece_" + std::to_string(t) + ".mp4"));
      if (!layout.ok()) {
        std::lock_guard lock(error_mutex);
        if (!failed.exchange(true)) first_error = layout.status();
        return;
      }
      layouts[t] = std::move(*layout);
    }
  };
  int jobs = std::min<int>(JobCount(options), static_cast<int>(used.size()));
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
  std::atomic<bool> done{false};
  std::thread reporter([&] {
    while (!done) {
      if (hooks.on_progress) {
        hooks.on_progress("render", kRenderShare * static_cast<double>(frames_done) /
                                        std::max(1LL, total_frames));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  for (std::thread& t : threads) t.join();
  done = true;
  reporter.join();
  if (failed) return first_error;
  return layouts;
}

}  // namespace

Status GenerateSample(const SampleOptions& options, const fs::path& out_dir,
                      const GenerateHooks& hooks) {
  ASSIGN_OR_RETURN(StreamPlan plan, PlanStream(options));
  RETURN_IF_ERROR(EnsureDirectory(out_dir));
  ASSIGN_OR_RETURN(FacePhoto face, LoadFacePhoto());
  CT_LOG(hooks.logger, kInfo) << "facecam photo: " << face.source_path;
  TempDir work("clipthat-sample");
  if (work.path().empty()) return IoError("cannot create a temporary folder for the pieces");

  ASSIGN_OR_RETURN(auto layouts, RenderPieces(plan, options, face, work.path(), hooks));

  std::vector<std::string> inputs;
  for (const PiecePlacement& p : plan.timeline) {
    inputs.push_back(
        (work.path() / ("piece_" + std::to_string(p.template_index) + ".mp4")).string());
  }
  media::ConcatOptions concat;
  concat.on_progress = [&](size_t done, size_t total) {
    if (hooks.on_progress && (done % 16 == 0 || done == total)) {
      hooks.on_progress("join",
                        kRenderShare + (1 - kRenderShare) * done / std::max<size_t>(1, total));
    }
  };
  // Joined under a temporary name and renamed, so a failed run leaves no half vod.mp4.
  fs::path vod_tmp = out_dir / "vod.partial.mp4";
  Status joined = media::ConcatStreamCopy(inputs, vod_tmp.string(), concat);
  if (!joined.ok()) {
    std::error_code ec;
    fs::remove(vod_tmp, ec);
    return joined.WithPrefix((out_dir / "vod.mp4").string());
  }
  std::error_code ec;
  fs::rename(vod_tmp, out_dir / "vod.mp4", ec);
  if (ec) return IoError((out_dir / "vod.mp4").string() + ": cannot replace: " + ec.message());

  if (hooks.on_progress) hooks.on_progress("chat", 1.0);
  ChatReplay chat = GenerateChat(plan, options.seed);
  RETURN_IF_ERROR(WriteFileAtomically(
      out_dir / "chat.json",
      ChatReplayToJson(chat).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  RETURN_IF_ERROR(
      WriteFileAtomically(out_dir / "truth.json",
                          BuildTruthJson(plan, options, layouts)
                                  .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                              "\n"));
  CT_LOG(hooks.logger, kInfo) << "wrote " << out_dir.string() << ": " << plan.timeline.size()
                              << " pieces, " << plan.moments.size() << " moments, "
                              << chat.messages.size() << " chat messages";
  return Status::Ok();
}

}  // namespace clipthat::sample
