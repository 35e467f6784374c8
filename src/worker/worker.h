// The stateless worker: leases jobs from the API, downloads their inputs through it, runs the
// job's handler, reports progress while it runs, uploads the outputs and completes the job.
//
//   worker::WorkerOptions options;
//   options.api_url = "http://10.0.0.5:8080";
//   options.api_key = key;
//   options.roles = {"render"};
//   RETURN_IF_ERROR(worker::RunWorker(options, handlers, stop_source.get_token()));
//
// Inputs: an analysis job's media is downloaded whole (analysis reads all of it). A render job's
// media is read by ranges through the API while it renders (ranged_media.h): ctx.media_path is
// then a remote input's path (media/remote_input.h), opened by the media functions like a file,
// and only the index and the clip's window are transferred. WorkerOptions::render_media picks
// the full download instead.
//
// One loop, one job at a time, nothing kept between jobs (each job gets a fresh scratch folder,
// removed afterwards). While a job runs, a heartbeat renews its lease every lease_ms / 3 with the
// latest progress, and goes out early (at most every progress_report_ms) when the progress or
// stage changed. A heartbeat answered 409 means the lease was lost (it expired and another
// worker has the job): the handler is asked to stop and nothing more is reported. A handler
// error fails the job with the handler's message (retryable unless the input itself is bad:
// kInvalidArgument, kDataError, kUnsupported). When `stop` is requested the running job is
// cancelled and its lease released (it goes back to the queue), then RunWorker returns. With
// nothing queued the worker polls with exponential backoff.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "core/result.h"
#include "worker/api_client.h"

namespace clipthat::worker {

// What a handler gets for one job. The callbacks are safe to call from any thread.
struct JobContext {
  LeasedJob job;
  // The job's VOD media for the media functions: a downloaded file, or for render jobs (by
  // default) a remote input's path read by ranges; valid while the handler runs.
  std::string media_path;
  std::string chat_path;    // an analysis job's chat replay; "" when none (and for renders)
  std::string logo_path;    // a render job's template logo, downloaded; "" when it has none
  std::string scratch_dir;  // an empty folder for this job; removed after it
  Logger log;               // carries the job id
  // Records progress (0..1) and the current stage for the next heartbeat.
  std::function<void(double progress, std::string_view stage)> report_progress;
  // True once the job should stop: the lease was lost or the worker is stopping. Handlers check
  // it between steps and return CancelledError.
  std::function<bool()> cancelled;
  // The API the job came from and this worker's id, for handlers that report as they go (live
  // jobs charge minutes and upload clips while they run): each opens its own WorkerApiClient.
  ApiClientOptions api;
  std::string worker_id;
};

// A handler's result: the JSON sent with "complete" and the files uploaded before it.
struct JobOutput {
  struct File {
    std::string name;  // as the API names it: "clip.mp4", "thumb.jpg"
    std::string path;  // a local file, usually under scratch_dir
    std::string content_type;
  };
  nlohmann::json result = nlohmann::json::object();
  std::vector<File> files;
};

using JobHandler = std::function<Result<JobOutput>(const JobContext&)>;

// One handler per job kind; a kind without a handler is not leased.
struct JobHandlers {
  JobHandler analyze;
  JobHandler render;
  JobHandler live;  // no input is downloaded: the handler watches params.source itself
};

// How render jobs read their VOD.
enum class RenderMediaAccess {
  kRanged,    // Range requests for the bytes the render reads (the index and the window)
  kDownload,  // the whole file into the scratch folder first, as analysis jobs do
};

struct WorkerOptions {
  std::string api_url;                                     // "http://host:port"
  std::string api_key;                                     // a worker-scoped API key
  std::vector<std::string> roles = {"analyze", "render"};  // job kinds to lease
  std::int64_t lease_ms = 30000;  // lease length asked for; renewed every lease_ms / 3
  // A changed progress or stage goes out with an early heartbeat at most this often, so
  // progress bars move; 0 = only with the renewals.
  std::int64_t progress_report_ms = 1000;
  std::string scratch_dir;     // parent of the per-job folders; "" = the system temp folder
  std::string worker_id;       // "" = DefaultWorkerId()
  int idle_poll_min_ms = 200;  // first wait when nothing is queued; doubled up to the max
  int idle_poll_max_ms = 5000;
  int request_timeout_ms = 60000;
  RenderMediaAccess render_media = RenderMediaAccess::kRanged;
  Logger log;
};

// "<hostname>-<pid>-<random>": unique per process and call.
std::string DefaultWorkerId();

// Runs the lease loop until `stop` is requested. Returns OK after a clean stop; an error only
// for unusable options (bad URL, no handler for any role) or a rejected key (401/403).
// Transient API errors are logged and retried with backoff.
Status RunWorker(const WorkerOptions& options, const JobHandlers& handlers, std::stop_token stop);

}  // namespace clipthat::worker
