// RenderPool: renders several clips side by side.
//
// At most `jobs` clips render at once (default: from the core count), each with a bounded
// encoder thread count (cores / jobs, at least 1), so N clips share the machine instead of
// each assuming it owns it. Every clip reports its own progress; a clip that fails does not
// stop the others; results come back in input order. Cancellation stops clips not yet started
// and is passed to those running (they stop at their next frame, leaving no file).
#pragma once

#include <functional>
#include <vector>

#include "core/result.h"
#include "formats/edit_list.h"
#include "render/clip_renderer.h"

namespace clipthat::render {

// Clips rendered at once when not told: one per two cores (x264 and the decoder are
// themselves threaded), at least 2 (a second clip fills the first one's serial stretches), at
// most 4.
int DefaultRenderJobs();

struct RenderPoolOptions {
  int jobs = 0;              // clips at once; 0: DefaultRenderJobs()
  int threads_per_clip = 0;  // encoder threads per clip; 0: max(1, cores / jobs)
};

struct RenderPoolHooks {
  // (clip index, 0..1 within that clip); called from the worker threads, serialised.
  std::function<void(int, double)> progress{};
  // (clip index, its result) as each clip finishes, serialised, in completion order.
  std::function<void(int, const Result<RenderResult>&)> on_done{};
  std::function<bool()> cancelled{};  // polled by every running clip
};

// One clip to render: its edit list and where the MP4 goes.
struct RenderJob {
  formats::EditList edit;
  std::string origin;  // names the edit list in errors ("clip-02" or "edit.json")
  std::string out_path;
};

// Runs `task(index)` for index 0..count-1 with at most `jobs` running at once, on worker
// threads; returns when all are done. The generic part of the pool, testable on its own.
void RunBounded(int count, int jobs, const std::function<void(int)>& task);

// Renders every job with `settings` (threads overridden per clip as above); results in the
// jobs' order.
std::vector<Result<RenderResult>> RenderAll(const std::vector<RenderJob>& jobs,
                                            const RenderSettings& settings,
                                            const RenderPoolOptions& options = {},
                                            const RenderPoolHooks& hooks = {});

}  // namespace clipthat::render
