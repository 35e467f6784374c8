#include "worker/worker.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include "core/files.h"
#include "media/remote_input.h"
#include "worker/ranged_media.h"

namespace clipthat::worker {
namespace {

namespace fs = std::filesystem;

// Sleeps up to `ms`, waking early when `stop` is requested. Returns false when stopped.
bool SleepFor(std::stop_token stop, std::int64_t ms) {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  cv.wait_for(lock, stop, std::chrono::milliseconds(ms), [] { return false; });
  return !stop.stop_requested();
}

bool IsInputError(StatusCode code) {
  return code == StatusCode::kInvalidArgument || code == StatusCode::kDataError ||
         code == StatusCode::kUnsupported;
}

std::string MediaExtension(std::string_view content_type) {
  if (content_type.find("mp4") != std::string_view::npos) return ".mp4";
  if (content_type.find("matroska") != std::string_view::npos) return ".mkv";
  if (content_type.find("webm") != std::string_view::npos) return ".webm";
  if (content_type.find("quicktime") != std::string_view::npos) return ".mov";
  if (content_type.find("mp2t") != std::string_view::npos) return ".ts";
  if (content_type.find("flv") != std::string_view::npos) return ".flv";
  return "";
}

// Progress shared between the handler (writer) and the heartbeat (reader).
struct JobState {
  std::mutex mutex;
  double progress = 0;
  std::string stage;
  std::atomic<bool> lease_lost{false};
};

class Worker {
 public:
  Worker(const WorkerOptions& options, const JobHandlers& handlers, std::stop_token stop)
      : options_(options), handlers_(handlers), stop_(std::move(stop)) {}

  Status Run() {
    if (options_.worker_id.empty()) options_.worker_id = DefaultWorkerId();
    if (options_.lease_ms < 300) {
      return InvalidArgumentError("lease of " + std::to_string(options_.lease_ms) +
                                  " ms is too short (at least 300 ms)");
    }
    for (const std::string& role : options_.roles) {
      if (Handler(role) == nullptr) {
        return InvalidArgumentError("role " + role + ": this worker has no handler for it");
      }
    }
    if (options_.roles.empty()) return InvalidArgumentError("no roles given");
    ASSIGN_OR_RETURN(client_, MakeClient());
    log_ = options_.log.WithModule("worker");
    CT_LOG(log_, kInfo) << "worker " << options_.worker_id << " polling " << options_.api_url;

    std::int64_t backoff_ms = options_.idle_poll_min_ms;
    while (!stop_.stop_requested()) {
      auto lease = client_->Lease(options_.worker_id, options_.roles, options_.lease_ms);
      if (!lease.ok()) {
        const StatusCode code = lease.status().code();
        if (code == StatusCode::kUnauthenticated || code == StatusCode::kPermissionDenied) {
          return lease.status().WithPrefix("worker " + options_.worker_id);
        }
        CT_LOG(log_, kWarn) << "lease failed (retrying in " << backoff_ms
                            << " ms): " << lease.status().ToString();
      }
      if (lease.ok() && lease->has_value()) {
        backoff_ms = options_.idle_poll_min_ms;
        RunJob(std::move(**lease));
        continue;
      }
      if (!SleepFor(stop_, backoff_ms)) break;
      backoff_ms = std::min<std::int64_t>(backoff_ms * 2, options_.idle_poll_max_ms);
    }
    CT_LOG(log_, kInfo) << "worker " << options_.worker_id << " stopped";
    return Status::Ok();
  }

 private:
  const JobHandler* Handler(const std::string& kind) const {
    if (kind == "analyze" && handlers_.analyze) return &handlers_.analyze;
    if (kind == "render" && handlers_.render) return &handlers_.render;
    if (kind == "live" && handlers_.live) return &handlers_.live;
    return nullptr;
  }

  ApiClientOptions ClientOptions() const {
    ApiClientOptions client_options;
    client_options.api_url = options_.api_url;
    client_options.api_key = options_.api_key;
    client_options.timeout_ms = options_.request_timeout_ms;
    return client_options;
  }
  Result<std::unique_ptr<WorkerApiClient>> MakeClient() const {
    return WorkerApiClient::Create(ClientOptions());
  }

  // Renews the lease every lease_ms / 3 until `done`, and sends a changed progress or stage
  // early (at most every progress_report_ms); marks the lease lost on a 409 or 404.
  void Heartbeat(const LeasedJob& job, JobState& state, std::stop_token done, const Logger& log) {
    auto client = MakeClient();
    if (!client.ok()) return;
    const std::int64_t renew_ms = std::max<std::int64_t>(options_.lease_ms / 3, 100);
    const std::int64_t step_ms =
        options_.progress_report_ms > 0
            ? std::clamp<std::int64_t>(options_.progress_report_ms, 100, renew_ms)
            : renew_ms;
    double sent_progress = 0;
    std::string sent_stage;
    std::int64_t since_sent_ms = 0;
    while (SleepFor(done, step_ms)) {
      since_sent_ms += step_ms;
      double progress = 0;
      std::string stage;
      {
        std::lock_guard lock(state.mutex);
        progress = state.progress;
        stage = state.stage;
      }
      const bool changed =
          progress - sent_progress >= 0.01 || progress < sent_progress || stage != sent_stage;
      if (since_sent_ms < renew_ms && !(changed && options_.progress_report_ms > 0)) continue;
      since_sent_ms = 0;
      auto renewed =
          (*client)->Heartbeat(job, options_.worker_id, progress, stage, options_.lease_ms);
      if (renewed.ok()) {
        sent_progress = progress;
        sent_stage = stage;
        continue;
      }
      const StatusCode code = renewed.status().code();
      if (code == StatusCode::kConflict || code == StatusCode::kNotFound) {
        CT_LOG(log, kWarn) << "lease lost, abandoning the job: " << renewed.status().message();
        state.lease_lost = true;
        return;
      }
      CT_LOG(log, kWarn) << "heartbeat failed (will retry): " << renewed.status().ToString();
    }
  }

  void RunJob(LeasedJob job) {
    const Logger log = log_.WithJob(job.id);
    CT_LOG(log, kInfo) << "leased " << job.kind << " job (attempt " << job.attempt << ")";
    const fs::path scratch_root =
        options_.scratch_dir.empty() ? fs::temp_directory_path() : fs::path(options_.scratch_dir);
    const fs::path scratch =
        scratch_root / ("clipthat-job-" + job.id.substr(0, 16) + "-" + std::to_string(job.attempt) +
                        "-" + std::to_string(::getpid()));
    // Removes the scratch folder however the job ends.
    struct Cleanup {
      fs::path dir;
      ~Cleanup() {
        std::error_code ec;
        fs::remove_all(dir, ec);
      }
    } cleanup{scratch};

    JobState state;
    // A render job's media read by ranges: registered while the handler runs.
    std::shared_ptr<RangedMedia> ranged_media;
    media::RemoteInputRegistration ranged_input;
    std::stop_source heartbeat_stop;
    std::jthread heartbeat([&] { Heartbeat(job, state, heartbeat_stop.get_token(), log); });
    auto stop_heartbeat = [&] {
      heartbeat_stop.request_stop();
      if (heartbeat.joinable()) heartbeat.join();
    };
    auto cancelled = [&] { return state.lease_lost.load() || stop_.stop_requested(); };

    Result<JobOutput> output = [&]() -> Result<JobOutput> {
      std::error_code ec;
      fs::create_directories(scratch, ec);
      if (ec) return IoError("scratch folder " + scratch.string() + ": " + ec.message());
      JobContext ctx;
      ctx.job = job;
      ctx.scratch_dir = scratch.string();
      ctx.log = log;
      ctx.cancelled = cancelled;
      ctx.api = ClientOptions();
      ctx.worker_id = options_.worker_id;
      ctx.report_progress = [&state](double progress, std::string_view stage) {
        std::lock_guard lock(state.mutex);
        state.progress = std::clamp(progress, 0.0, 1.0);
        state.stage = std::string(stage);
      };
      ctx.report_progress(0, "download");
      if (job.kind == "live") {
        // A live job watches its source itself: nothing to download but a template's logo.
      } else if (job.kind == "render" && options_.render_media == RenderMediaAccess::kRanged) {
        ASSIGN_OR_RETURN(ranged_media, RangedMedia::Open(ClientOptions(), job, options_.worker_id));
        ranged_input = media::RegisterRemoteInput(ranged_media, ranged_media->label());
        ctx.media_path = ranged_input.path();
        CT_LOG(log, kInfo) << "reading the media by ranges (" << ranged_media->size_bytes()
                           << " bytes)";
      } else {
        const std::string media = (scratch / "media").string();
        ASSIGN_OR_RETURN(std::string content_type,
                         client_->Download(job, options_.worker_id, "media", media));
        ctx.media_path = media + MediaExtension(content_type);
        if (ctx.media_path != media) fs::rename(media, ctx.media_path, ec);
        if (ec) return IoError("renaming " + media + ": " + ec.message());
      }
      if (cancelled()) return CancelledError("cancelled after the download");
      if (job.kind == "analyze") {  // a render reads no chat: a long VOD's chat is megabytes
        const std::string chat = (scratch / "chat.json").string();
        auto chat_download = client_->Download(job, options_.worker_id, "chat", chat);
        if (chat_download.ok()) {
          ctx.chat_path = chat;
        } else if (chat_download.status().code() != StatusCode::kNotFound) {
          return chat_download.status();
        }
      }
      if ((job.kind == "render" || job.kind == "live") && job.params.is_object() &&
          job.params.contains(nlohmann::json::json_pointer("/template/logo/path"))) {
        const std::string logo = (scratch / "logo").string();
        RETURN_IF_ERROR(client_->Download(job, options_.worker_id, "logo", logo).status());
        ctx.logo_path = logo;
      }
      if (cancelled()) return CancelledError("cancelled after the download");
      const JobHandler* handler = Handler(job.kind);
      if (handler == nullptr) return UnsupportedError("no handler for job kind " + job.kind);
      try {
        return (*handler)(ctx);
      } catch (const std::exception& e) {
        return InternalError(job.kind + " handler threw: " + e.what());
      } catch (...) {
        return InternalError(job.kind + " handler threw an unknown exception");
      }
    }();

    ranged_input = media::RemoteInputRegistration();  // the handler is done with the media
    if (ranged_media != nullptr) {
      CT_LOG(log, kInfo) << "media read by ranges: " << ranged_media->fetched_bytes() << " of "
                         << ranged_media->size_bytes() << " bytes in "
                         << ranged_media->fetch_count() << " requests";
    }
    if (state.lease_lost) {
      stop_heartbeat();
      return;  // someone else has the job now; report nothing
    }
    if (!output.ok() && stop_.stop_requested()) {
      stop_heartbeat();
      Status released = client_->Release(job, options_.worker_id);
      CT_LOG(log, kInfo) << "stopping: released the job"
                         << (released.ok() ? "" : " (failed: " + released.ToString() + ")");
      return;
    }
    if (output.ok()) {
      for (const JobOutput::File& file : output->files) {
        Status uploaded =
            client_->Upload(job, options_.worker_id, file.name, file.path, file.content_type);
        if (!uploaded.ok()) {
          output = uploaded.WithPrefix("uploading " + file.name);
          break;
        }
      }
    }
    stop_heartbeat();
    if (state.lease_lost) return;
    if (!output.ok()) {
      if (output.status().code() == StatusCode::kConflict) return;  // lease lost mid-upload
      // Out of credits (a live job's minute refused) ends the job: a retry would be refused too.
      const bool retryable = !IsInputError(output.status().code()) &&
                             output.status().code() != StatusCode::kResourceExhausted;
      CT_LOG(log, kWarn) << job.kind << " job failed" << (retryable ? " (will be retried)" : "")
                         << ": " << output.status().ToString();
      Report(log, "fail", [&] {
        return client_->Fail(job, options_.worker_id, output.status().ToString(), retryable);
      });
      return;
    }
    if (Report(log, "complete",
               [&] { return client_->Complete(job, options_.worker_id, output->result); })) {
      CT_LOG(log, kInfo) << job.kind << " job done";
    }
  }

  // Sends a final report, retrying transient errors a few times. True when it was accepted.
  bool Report(const Logger& log, std::string_view what, const std::function<Status()>& send) {
    Status status;
    for (int attempt = 0; attempt < 5; ++attempt) {
      status = send();
      if (status.ok()) return true;
      if (status.code() != StatusCode::kUnavailable) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(250 << attempt));
    }
    CT_LOG(log, kWarn) << what << " was not accepted: " << status.ToString();
    return false;
  }

  WorkerOptions options_;
  const JobHandlers& handlers_;
  std::stop_token stop_;
  std::unique_ptr<WorkerApiClient> client_;
  Logger log_;
};

}  // namespace

std::string DefaultWorkerId() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') {
    std::snprintf(host, sizeof(host), "worker");
  }
  std::random_device random;
  char suffix[16];
  std::snprintf(suffix, sizeof(suffix), "%06x", random() & 0xffffff);
  return std::string(host) + "-" + std::to_string(::getpid()) + "-" + suffix;
}

Status RunWorker(const WorkerOptions& options, const JobHandlers& handlers, std::stop_token stop) {
  Worker worker(options, handlers, std::move(stop));
  return worker.Run();
}

}  // namespace clipthat::worker
