// The job handlers a worker runs, wired to the product's pipelines, and the in-process workers
// of `clipthat serve --workers N`.
//
//   analyze  params {"top": N, "render_top": N, "has_chat": bool}: RunAnalysis on the downloaded
//            VOD (and chat); result {"moments": [moments.json's moment objects],
//            "duration_ms": N}.
//   render   params {"edit_list": {...}, "clip_id": "..."}: the edit list's "source" is replaced
//            by the downloaded VOD; renders clip.mp4 and thumb.jpg, uploads both; result
//            {"output_key", "thumbnail_key", "duration_ms", "size_bytes"}.
//   live     params {"source": URL, "chat": "irc://...", "layout", "template"}: RunLiveSession in
//            real time; minutes charged and clips uploaded through the API as they happen;
//            result: the session's summary (watched_ms, triggers, stopped_because, ...).
//
// Settings come from the configuration as for `clipthat analyze` and `clipthat render`
// (analysis_setup.h, render_setup.h), e.g. speech.backend, render.encoder.
#pragma once

// serve_command.cc builds its --workers support when this header is there.
#define CLIPTHAT_HAVE_WORKER_SETUP 1

#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "app_env.h"
#include "core/result.h"
#include "worker/worker.h"

namespace clipthat::app {

// Handlers for the three job kinds. Errors name the configuration key that is wrong.
Result<worker::JobHandlers> MakeJobHandlers(const AppEnv& env);

// `n` workers running in this process against the API at `api_url` (loopback) with the worker
// key `key`, each on its own thread, talking HTTP like remote ones. Stop() (or the destructor)
// asks them to stop: each releases its running job back to the queue, then the threads end.
class InProcessWorkers {
 public:
  ~InProcessWorkers() { Stop(); }
  InProcessWorkers(const InProcessWorkers&) = delete;
  InProcessWorkers& operator=(const InProcessWorkers&) = delete;

  // Blocks until every worker has stopped. Idempotent.
  void Stop();
  // The first error a worker ended with (a rejected key); OK while all run or after a clean stop.
  Status status() const;

 private:
  friend Result<std::unique_ptr<InProcessWorkers>> RunInProcessWorkers(AppEnv&, std::string,
                                                                       std::string, int);
  InProcessWorkers() = default;

  std::stop_source stop_;
  std::vector<std::jthread> threads_;
  mutable std::mutex mutex_;
  Status first_error_;
};

// Starts `n` (>= 1) in-process workers and returns at once. Errors: a bad configuration for
// the handlers, n < 1.
Result<std::unique_ptr<InProcessWorkers>> RunInProcessWorkers(AppEnv& env, std::string api_url,
                                                              std::string key, int n);

// The same, blocking until `stop` is requested; returns the first worker error, if any.
Status RunInProcessWorkers(AppEnv& env, std::string api_url, std::string key, int n,
                           std::stop_token stop);

}  // namespace clipthat::app
