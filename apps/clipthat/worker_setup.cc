#include "worker_setup.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "analysis_setup.h"
#include "core/files.h"
#include "formats/brand_template.h"
#include "formats/edit_list.h"
#include "formats/moments_document.h"
#include "live/live_session.h"
#include "live_setup.h"
#include "render/clip_renderer.h"
#include "render/thumbnail.h"
#include "render_setup.h"

namespace clipthat::app {
namespace {

// Handler errors that are exceptions from nlohmann::json become DataError naming the job.
Result<worker::JobOutput> Analyze(const AppEnv& base_env, const worker::JobContext& ctx) {
  AppEnv env = base_env;  // a copy per job: nothing shared between concurrent jobs
  env.quiet = true;       // progress goes to the API, not to stderr
  env.logger = ctx.log;
  AnalysisRequest request;
  request.vod = ctx.media_path;
  request.chat = ctx.chat_path;
  const nlohmann::json& params = ctx.job.params;
  if (params.contains("top")) {
    if (!params["top"].is_number_integer() || params["top"].get<int>() < 1) {
      return InvalidArgumentError("job " + ctx.job.id + ": params.top must be a positive integer");
    }
    request.top = params["top"].get<int>();
  }
  request.default_top = 10;
  ctx.report_progress(0.05, "analyze");
  // The pipeline's overall fraction after the download's 5 %, with the stage's name.
  request.progress = [&ctx](const pipeline::ProgressEvent& e) {
    ctx.report_progress(0.05 + 0.95 * e.overall_fraction, e.stage);
  };
  ASSIGN_OR_RETURN(formats::MomentsDocument doc, RunAnalysis(env, "analyze", request));
  if (ctx.cancelled()) return CancelledError("job " + ctx.job.id + ": cancelled");
  const nlohmann::ordered_json document = formats::MomentsToJson(doc);
  worker::JobOutput output;
  output.result = {{"moments", nlohmann::json::parse(document["moments"].dump())},
                   {"duration_ms", doc.source.duration_ms}};
  if (doc.source.width > 0 && doc.source.height > 0) {
    output.result["width"] = doc.source.width;
    output.result["height"] = doc.source.height;
  }
  return output;
}

// The user's template of the job (params.template), read by the rules the API checked it with;
// its logo is the file the worker downloaded. Written to the scratch folder, where the renderer
// loads it from; returns its path, "" when the job has none.
Result<std::string> WriteJobTemplate(const worker::JobContext& ctx) {
  const nlohmann::json& params = ctx.job.params;
  if (!params.contains("template") || !params["template"].is_object()) return std::string();
  const formats::LogoResolver downloaded =
      [&ctx](const std::string& name) -> Result<std::filesystem::path> {
    if (ctx.logo_path.empty()) return NotFoundError("logo '" + name + "' was not downloaded");
    return std::filesystem::path(ctx.logo_path);
  };
  Result<formats::BrandTemplate> brand =
      formats::ParseBrandTemplate(params["template"], "template", downloaded);
  if (!brand.ok()) return brand.status().WithPrefix("job " + ctx.job.id);
  const std::string template_file = ctx.scratch_dir + "/template.json";
  RETURN_IF_ERROR(WriteFileAtomically(template_file, formats::BrandTemplateToJson(*brand).dump(2)));
  return template_file;
}

Result<worker::JobOutput> Render(const render::RenderSettings& settings,
                                 const worker::JobContext& ctx) {
  const nlohmann::json& params = ctx.job.params;
  const std::string origin = "job " + ctx.job.id + " edit_list";
  if (!params.contains("edit_list") || !params["edit_list"].is_object()) {
    return InvalidArgumentError(origin + ": missing (params.edit_list must be an object)");
  }
  std::string clip_id = ctx.job.clip_id;
  if (clip_id.empty() && params.contains("clip_id") && params["clip_id"].is_string()) {
    clip_id = params["clip_id"].get<std::string>();
  }
  if (clip_id.empty()) return InvalidArgumentError("job " + ctx.job.id + ": no clip_id");
  nlohmann::json edit_json = params["edit_list"];
  edit_json["source"] = ctx.media_path;  // the server leaves it empty: the path is ours
  ASSIGN_OR_RETURN(formats::EditList edit, formats::EditListFromJson(edit_json, origin));
  ASSIGN_OR_RETURN(std::string template_file, WriteJobTemplate(ctx));
  if (!template_file.empty()) edit.template_ref = template_file;

  render::RenderSettings job_settings = settings;
  job_settings.logger = ctx.log.WithModule("render");
  job_settings.write_thumbnail = true;
  render::RenderHooks hooks;
  hooks.progress = [&ctx](double p) { ctx.report_progress(p, "render"); };
  hooks.cancelled = ctx.cancelled;
  const std::string out = ctx.scratch_dir + "/clip.mp4";
  ctx.report_progress(0, "render");
  ASSIGN_OR_RETURN(render::RenderResult rendered,
                   render::RenderClip(edit, origin, out, job_settings, hooks));
  std::error_code ec;
  const auto size_bytes = std::filesystem::file_size(rendered.path, ec);
  if (ec) return IoError(rendered.path + ": " + ec.message());

  worker::JobOutput output;
  output.files.push_back({"clip.mp4", rendered.path, "video/mp4"});
  output.result = {{"output_key", "clips/" + clip_id + "/clip.mp4"},
                   {"duration_ms", rendered.duration_ms},
                   {"size_bytes", static_cast<std::int64_t>(size_bytes)}};
  if (!rendered.thumbnail_path.empty() && std::filesystem::exists(rendered.thumbnail_path)) {
    output.files.push_back({"thumb.jpg", rendered.thumbnail_path, "image/jpeg"});
    output.result["thumbnail_key"] = "clips/" + clip_id + "/thumb.jpg";
  }
  return output;
}

// Records one clip of a live job through the API: the clip, its thumbnail (written beside the
// MP4), then the MP4, which makes it ready. The local files are removed however it goes.
Status UploadLiveClip(worker::WorkerApiClient& client, const worker::JobContext& ctx,
                      const live::LiveClip& clip) {
  const std::string thumbnail = render::ThumbnailPathFor(clip.path);
  struct RemoveFiles {
    std::vector<std::string> paths;
    ~RemoveFiles() {
      std::error_code ec;
      for (const std::string& path : paths) std::filesystem::remove(path, ec);
    }
  } remove{{clip.path, thumbnail}};
  ASSIGN_OR_RETURN(std::string clip_id, client.CreateLiveClip(ctx.job, ctx.worker_id, clip.start_ms,
                                                              clip.end_ms, clip.reason));
  std::error_code ec;
  if (std::filesystem::exists(thumbnail, ec)) {
    RETURN_IF_ERROR(client.UploadLiveClipFile(ctx.job, ctx.worker_id, clip_id, "thumb.jpg",
                                              thumbnail, "image/jpeg"));
  }
  RETURN_IF_ERROR(client.UploadLiveClipFile(ctx.job, ctx.worker_id, clip_id, "clip.mp4", clip.path,
                                            "video/mp4"));
  CT_LOG(ctx.log, kInfo) << "live clip " << clip_id << " uploaded (" << clip.reason << ")";
  return Status::Ok();
}

// A live job: RunLiveSession on params.source (an HLS URL or a Twitch channel) with
// params.chat (irc://), in real time, cutting clips into the scratch folder. Each minute is
// charged through the API as it begins (counting on from the minutes earlier attempts charged);
// each clip is recorded and uploaded, then deleted here. Ends when the source ends (the job
// completes with the session's summary), when the user stops it or the lease is lost (the
// heartbeat's 409 sets the session's stop flag; nothing is reported), or when a minute is
// refused (ResourceExhausted "no credits left": the job fails for good).
Result<worker::JobOutput> Live(const AppEnv& base_env, const worker::JobContext& ctx) {
  AppEnv env = base_env;  // a copy per job: nothing shared between concurrent jobs
  env.quiet = true;
  env.logger = ctx.log;
  const nlohmann::json& params = ctx.job.params;
  const std::string origin = "job " + ctx.job.id;
  LiveArgs args;
  if (!params.contains("source") || !params["source"].is_string()) {
    return InvalidArgumentError(origin + ": params.source must be a URL");
  }
  args.source = params["source"].get<std::string>();
  args.out_dir = ctx.scratch_dir + "/live";
  args.speed = "realtime";
  if (params.contains("chat")) {
    // Only a live IRC feed: a replay file would be a path on this machine.
    if (!params["chat"].is_string() || params["chat"].get<std::string>().rfind("irc://", 0) != 0) {
      return InvalidArgumentError(origin + ": params.chat must be an irc:// URL");
    }
    args.chat = params["chat"].get<std::string>();
  }
  if (params.contains("layout") && params["layout"].is_string()) {
    args.render.layout = params["layout"].get<std::string>();
  }
  ASSIGN_OR_RETURN(args.render.template_ref, WriteJobTemplate(ctx));
  ASSIGN_OR_RETURN(live::LiveSessionOptions options, LoadLiveOptions(env, args));
  options.realtime = true;
  options.render.write_thumbnail = true;
  options.render.logger = ctx.log.WithModule("render");

  // One client per hook: the session calls them from its own threads.
  ASSIGN_OR_RETURN(auto minute_client, worker::WorkerApiClient::Create(ctx.api));
  ASSIGN_OR_RETURN(auto clip_client, worker::WorkerApiClient::Create(ctx.api));
  std::atomic<bool> stop{false};
  std::mutex minute_mutex;
  Status refused;  // the minute the API refused (no credits left); under minute_mutex
  std::mutex clip_mutex;
  live::LiveSessionHooks hooks;
  hooks.on_minute = [&](int minute) -> Status {
    std::lock_guard lock(minute_mutex);
    const std::int64_t charged = ctx.job.live_next_minute + minute - 1;
    Result<std::int64_t> balance = UnavailableError("not sent");
    for (int attempt = 0; attempt < 4; ++attempt) {
      balance = minute_client->ChargeLiveMinute(ctx.job, ctx.worker_id, charged);
      if (balance.ok() || balance.status().code() != StatusCode::kUnavailable) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500 << attempt));
    }
    if (balance.ok()) return Status::Ok();
    if (balance.status().code() == StatusCode::kResourceExhausted) {
      refused = ResourceExhaustedError("no credits left: minute " + std::to_string(charged + 1) +
                                       " of live monitoring could not be paid");
      return refused;
    }
    return balance.status();  // the lease is lost or the API is gone: stop
  };
  hooks.on_clip = [&](const live::LiveClip& clip) {
    std::lock_guard lock(clip_mutex);
    Status uploaded = UploadLiveClip(*clip_client, ctx, clip);
    if (!uploaded.ok()) {
      CT_LOG(ctx.log, kWarn) << "live clip " << clip.path
                             << " not uploaded: " << uploaded.ToString();
      if (uploaded.code() == StatusCode::kConflict) stop = true;  // the lease is lost
    }
  };
  ctx.report_progress(0, "live");
  // The user's stop (DELETE /v1/live/{id}) and a lost lease reach the job through the
  // heartbeat: turn them into the session's stop flag.
  std::jthread watch([&](std::stop_token done) {
    while (!done.stop_requested() && !stop.load()) {
      if (ctx.cancelled()) {
        stop = true;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  Result<live::LiveSummary> summary = live::RunLiveSession(options, hooks, ctx.log, &stop);
  watch.request_stop();
  watch.join();
  {
    std::lock_guard lock(minute_mutex);
    if (!refused.ok()) return refused;
  }
  if (ctx.cancelled()) return CancelledError(origin + ": stopped");
  if (!summary.ok()) return summary.status().WithPrefix(origin);
  worker::JobOutput output;
  output.result = {
      {"watched_ms", summary->watched_ms},     {"triggers", summary->triggers},
      {"failed_clips", summary->failed_clips}, {"ticks", summary->ticks},
      {"reconnects", summary->reconnects},     {"stopped_because", summary->stopped_because}};
  return output;
}

// Runs `fn`, turning a JSON exception into a DataError (the job's params were malformed).
template <typename Fn>
Result<worker::JobOutput> Guarded(const worker::JobContext& ctx, Fn&& fn) {
  try {
    return fn();
  } catch (const nlohmann::json::exception& e) {
    return DataError("job " + ctx.job.id + ": params: " + e.what());
  }
}

}  // namespace

Result<worker::JobHandlers> MakeJobHandlers(const AppEnv& env) {
  AppEnv setup_env = env;
  ASSIGN_OR_RETURN(RenderSetup render_setup, LoadRenderSetup(setup_env, RenderFlags{}));
  auto shared_env = std::make_shared<const AppEnv>(env);
  auto settings = std::make_shared<const render::RenderSettings>(render_setup.settings);
  worker::JobHandlers handlers;
  handlers.analyze = [shared_env](const worker::JobContext& ctx) {
    return Guarded(ctx, [&] { return Analyze(*shared_env, ctx); });
  };
  handlers.render = [settings](const worker::JobContext& ctx) {
    return Guarded(ctx, [&] { return Render(*settings, ctx); });
  };
  handlers.live = [shared_env](const worker::JobContext& ctx) {
    return Guarded(ctx, [&] { return Live(*shared_env, ctx); });
  };
  return handlers;
}

void InProcessWorkers::Stop() {
  stop_.request_stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

Status InProcessWorkers::status() const {
  std::lock_guard lock(mutex_);
  return first_error_;
}

Result<std::unique_ptr<InProcessWorkers>> RunInProcessWorkers(AppEnv& env, std::string api_url,
                                                              std::string key, int n) {
  if (n < 1) return InvalidArgumentError("--workers: " + std::to_string(n) + " is not >= 1");
  ASSIGN_OR_RETURN(worker::JobHandlers made, MakeJobHandlers(env));
  auto handlers = std::make_shared<const worker::JobHandlers>(std::move(made));
  auto workers = std::unique_ptr<InProcessWorkers>(new InProcessWorkers());
  InProcessWorkers* self = workers.get();
  const Logger log = env.logger;
  for (int i = 0; i < n; ++i) {
    worker::WorkerOptions options;
    options.api_url = api_url;
    options.api_key = key;
    options.worker_id = worker::DefaultWorkerId() + "-inproc" + std::to_string(i);
    options.log = log;
    self->threads_.emplace_back([self, handlers, options, token = self->stop_.get_token()] {
      Status status = worker::RunWorker(options, *handlers, token);
      if (!status.ok()) {
        std::lock_guard lock(self->mutex_);
        if (self->first_error_.ok()) self->first_error_ = status;
      }
    });
  }
  return workers;
}

Status RunInProcessWorkers(AppEnv& env, std::string api_url, std::string key, int n,
                           std::stop_token stop) {
  ASSIGN_OR_RETURN(auto workers, RunInProcessWorkers(env, std::move(api_url), std::move(key), n));
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  cv.wait(lock, stop, [] { return false; });
  workers->Stop();
  return workers->status();
}

}  // namespace clipthat::app
