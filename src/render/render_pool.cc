#include "render/render_pool.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

namespace clipthat::render {
namespace {

int Cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

}  // namespace

// Two at least: one clip's serial stretches (face detection, captions, the muxer) leave cores
// idle that a second clip fills.
int DefaultRenderJobs() { return std::clamp(Cores() / 2, 2, 4); }

void RunBounded(int count, int jobs, const std::function<void(int)>& task) {
  if (count <= 0) return;
  jobs = std::clamp(jobs, 1, count);
  std::atomic<int> next{0};
  auto worker = [&] {
    for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1)) task(i);
  };
  std::vector<std::thread> threads;
  threads.reserve(jobs - 1);
  for (int t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
}

std::vector<Result<RenderResult>> RenderAll(const std::vector<RenderJob>& jobs,
                                            const RenderSettings& settings,
                                            const RenderPoolOptions& options,
                                            const RenderPoolHooks& hooks) {
  const int count = static_cast<int>(jobs.size());
  const int parallel =
      std::clamp(options.jobs > 0 ? options.jobs : DefaultRenderJobs(), 1, std::max(1, count));
  RenderSettings per_clip = settings;
  // One clip alone: the encoder's own choice (x264 runs more threads than cores, which keeps
  // them busy while one waits); several: the cores shared out.
  per_clip.threads = options.threads_per_clip > 0 ? options.threads_per_clip
                     : parallel == 1              ? 0
                                                  : std::max(1, Cores() / parallel);

  std::vector<std::optional<Result<RenderResult>>> results(count);
  std::mutex hook_mutex;  // hooks see one call at a time
  RunBounded(count, parallel, [&](int i) {
    Result<RenderResult> r = CancelledError(jobs[i].out_path + ": render cancelled");
    if (!(hooks.cancelled && hooks.cancelled())) {
      RenderHooks clip_hooks;
      clip_hooks.progress = [&, i](double f) {
        if (!hooks.progress) return;
        std::lock_guard<std::mutex> lock(hook_mutex);
        hooks.progress(i, f);
      };
      clip_hooks.cancelled = hooks.cancelled;
      r = RenderClip(jobs[i].edit, jobs[i].origin, jobs[i].out_path, per_clip, clip_hooks);
    }
    if (hooks.on_done) {
      std::lock_guard<std::mutex> lock(hook_mutex);
      hooks.on_done(i, r);
    }
    results[i] = std::move(r);
  });
  std::vector<Result<RenderResult>> out;
  out.reserve(count);
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

}  // namespace clipthat::render
