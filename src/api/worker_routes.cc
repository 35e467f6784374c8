// The worker protocol (docs/api.md, "Workers"): lease, heartbeat, complete, fail, release, and
// the job's input and output files. Worker-scoped API keys only.

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/clip_repository.h"
#include "api/format_checks.h"
#include "api/job_repository.h"
#include "api/json_fields.h"
#include "api/public_text.h"
#include "api/text_checks.h"
#include "billing/prices.h"
#include "formats/moments_document.h"

namespace clipthat::api {

std::string ReadWorkerId(JsonFields& f) {
  std::string id = f.RequiredString("worker_id", {.max_bytes = 200});
  const auto id_char = [](char c) {
    return IsAsciiAlnum(c) || c == '.' || c == '_' || c == ':' || c == '-';
  };
  if (!CharsWithin(id, 1, 200, id_char)) {
    throw InvalidField("worker_id", "expected 1-200 characters of A-Z a-z 0-9 . _ : -");
  }
  return id;
}

// The job, when `worker_id` holds the lease of `attempt` on it; 404 / 409 otherwise.
JobRecord HeldJob(ApiContext& ctx, const std::string& job_id, const std::string& worker_id,
                  std::int64_t attempt) {
  JobRecord job = FoundOrThrow(JobRepository(ctx.db).GetAnyUser(job_id), "job");
  if (job.status != "running" || job.lease_owner.value_or("") != worker_id ||
      job.attempts != attempt || job.lease_expires_at_ms.value_or(0) < store::NowMs()) {
    throw Conflict("this worker does not hold the lease of attempt " + std::to_string(attempt));
  }
  return job;
}

std::pair<std::string, std::int64_t> LeaseQuery(Call& call) {
  std::string worker_id = call.Query("worker_id").value_or("");
  std::string attempt_text = call.Query("attempt").value_or("");
  if (worker_id.empty() || worker_id.size() > 200) throw InvalidField("worker_id", "required");
  std::int64_t attempt = 0;
  try {
    std::size_t used = 0;
    attempt = std::stoll(attempt_text, &used);
    if (used != attempt_text.size() || attempt < 1) throw std::invalid_argument("attempt");
  } catch (const std::exception&) {
    throw InvalidField("attempt", "expected a positive integer");
  }
  return {worker_id, attempt};
}

std::int64_t StoreWorkerUpload(Call& call, ApiContext& ctx, const JobRecord& job,
                               const std::string& worker_id, std::int64_t attempt,
                               const std::string& key) {
  ThrowIfError(ctx.objects.Remove(key));
  // Every attempt writes the same key: a worker whose lease ran out (and whose job another
  // worker may now be uploading) stops at its next piece.
  auto still_held = [&ctx, job_id = job.id, holder = worker_id,
                     held_attempt = attempt]() -> Status {
    try {
      HeldJob(ctx, job_id, holder, held_attempt);
      return Status::Ok();
    } catch (const ApiError& e) {
      return ConflictError(e.what());
    }
  };
  AppendedBody appended = AppendBodyToObject(call, ctx.objects, key, 0, std::nullopt, still_held);
  ThrowIfError(appended.status);
  if (appended.end_offset == 0) throw InvalidField("body", "empty file");
  return appended.end_offset;
}

namespace {

constexpr std::size_t kResultBodyBytes = 32 << 20;

struct ParsedMoment {
  nlohmann::json data;
  std::int64_t start_ms = 0, end_ms = 0;
  double score = 0;
  std::string title;
};

// The moments of an analysis result, bounded by the moments document's limits (src/formats).
std::vector<ParsedMoment> ReadMoments(const nlohmann::json& result) {
  const formats::MomentsDocumentLimits limits;
  JsonFields f(result, "result");
  const nlohmann::json* moments = f.OptionalArray("moments");
  f.OptionalInt("duration_ms", 0, 7LL * 24 * 3600 * 1000);
  f.OptionalInt("width", 1, 16384);
  f.OptionalInt("height", 1, 16384);
  f.OptionalAny("source");
  f.OptionalAny("version");
  f.OptionalAny("timings");
  f.RejectUnknown();
  if (!moments) throw InvalidField("result.moments", "required");
  if (moments->size() > limits.max_moments) throw InvalidField("result.moments", "too many");
  std::vector<ParsedMoment> out;
  for (std::size_t i = 0; i < moments->size(); ++i) {
    std::string path = "result.moments[" + std::to_string(i) + "]";
    const nlohmann::json& m = (*moments)[i];
    JsonFields mf(m, path);
    ParsedMoment p;
    p.start_ms = mf.RequiredInt("start_ms", 0, 7LL * 24 * 3600 * 1000);
    p.end_ms = mf.RequiredInt("end_ms", 0, 7LL * 24 * 3600 * 1000);
    if (p.end_ms <= p.start_ms) throw InvalidField(path + ".end_ms", "not after start_ms");
    p.score = mf.OptionalNumber("score", -1e12, 1e12).value_or(0);
    p.title = mf.OptionalString("title", {.max_bytes = limits.max_title_bytes, .allow_empty = true})
                  .value_or("");
    mf.OptionalArray("words");
    p.data = m;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

void RegisterWorkerRoutes(Router& router, ApiContext& ctx) {
  router.Add(
      {"POST",
       "/v1/worker/lease",
       Access::kWorker,
       BodyKind::kJson,
       kWorkerBodyBytes,
       {.summary = "Lease the next queued job of the worker's roles",
        .tag = "worker",
        .description = "Answers 200 with the job, or 204 when nothing is queued. The lease lasts "
                       "lease_ms (1000..600000, default 30000); renew it with heartbeats. A live "
                       "job carries live.next_minute: the first minute of monitoring not yet "
                       "charged (0 unless an earlier attempt charged some).",
        .request_schema = "LeaseRequest",
        .response_schema = "LeaseResponse",
        .errors = {400, 413, 422},
        .request_example = {{"worker_id", "host-123-ab12"},
                            {"roles", {"analyze", "render"}},
                            {"lease_ms", 30000}}},
       [&ctx](Call& call) {
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         std::string worker_id = ReadWorkerId(f);
         const nlohmann::json* roles = f.OptionalArray("roles");
         std::int64_t lease_ms =
             f.OptionalInt("lease_ms", 1000, ctx.options.max_lease_ms).value_or(30000);
         f.RejectUnknown();
         std::vector<std::string> kinds;
         if (!roles || roles->empty()) {
           throw InvalidField("roles", "required (analyze, render, live)");
         }
         for (const auto& r : *roles) {
           if (!r.is_string() || (r != "analyze" && r != "render" && r != "live")) {
             throw InvalidField("roles", "each role is \"analyze\", \"render\" or \"live\"");
           }
           kinds.push_back(r.get<std::string>());
         }
         auto lease = ValueOrThrow(ctx.queue.LeaseNext(worker_id, kinds, lease_ms));
         if (!lease) {
           call.NoContent();
           return;
         }
         CT_LOG(call.log(), kInfo) << "job " << lease->job_id << " (" << lease->kind
                                   << ") leased by " << worker_id << ", attempt " << lease->attempt;
         nlohmann::json job = {
             {"id", lease->job_id},       {"kind", lease->kind},
             {"attempt", lease->attempt}, {"user_id", lease->user_id},
             {"vod_id", lease->vod_id},   {"clip_id", lease->clip_id},
             {"params", lease->params},   {"lease_expires_at_ms", lease->lease_expires_at_ms}};
         if (lease->kind == "live") {
           // A resumed live job goes on from the minutes already charged.
           LiveProgress progress = ValueOrThrow(ReadLiveProgress(ctx.db, lease->job_id));
           job["live"] = {{"next_minute", progress.next_minute}, {"clips", progress.clips}};
         }
         call.Json(200, {{"job", std::move(job)}});
       }});

  router.Add({"POST",
              "/v1/worker/jobs/{id}/heartbeat",
              Access::kWorker,
              BodyKind::kJson,
              kWorkerBodyBytes,
              {.summary = "Renew a lease and report progress",
               .tag = "worker",
               .description = "409 when the lease was lost (expired and re-leased, or the job "
                              "was cancelled): the worker abandons the job.",
               .request_schema = "HeartbeatRequest",
               .response_schema = "HeartbeatResponse",
               .errors = {400, 404, 409, 413, 422},
               .request_example = {{"worker_id", "host-123-ab12"},
                                   {"attempt", 1},
                                   {"progress", 0.4},
                                   {"stage", "transcribe"}}},
              [&ctx](Call& call) {
                nlohmann::json body = call.JsonBody();
                JsonFields f(body);
                std::string worker_id = ReadWorkerId(f);
                std::int64_t attempt = f.RequiredInt("attempt", 1, 1000);
                std::optional<double> progress = f.OptionalNumber("progress", 0, 1);
                std::optional<std::string> stage = f.OptionalString("stage", {.max_bytes = 64});
                std::int64_t lease_ms =
                    f.OptionalInt("lease_ms", 1000, ctx.options.max_lease_ms).value_or(30000);
                f.RejectUnknown();
                std::int64_t expires =
                    ValueOrThrow(ctx.queue.Renew(call.PathParam("id"), static_cast<int>(attempt),
                                                 worker_id, lease_ms, progress, stage));
                call.Json(200, {{"lease_expires_at_ms", expires}});
              }});

  router.Add(
      {"POST",
       "/v1/worker/jobs/{id}/complete",
       Access::kWorker,
       BodyKind::kJson,
       kResultBodyBytes,
       {.summary = "Report a job's result (once per attempt)",
        .tag = "worker",
        .description = "analyze: {\"moments\": [...], \"duration_ms\", \"width\", \"height\"}; "
                       "the moments are stored "
                       "and, when the job's params ask for render_top N, the best N become clips "
                       "with render jobs, in the same transaction. render: {\"output_key\", "
                       "\"thumbnail_key\", \"duration_ms\", \"size_bytes\"} naming the files "
                       "uploaded before. 409 when this worker no longer holds the attempt or it "
                       "was already reported.",
        .request_schema = "CompleteRequest",
        .response_schema = "Ok",
        .errors = {400, 404, 409, 413, 422},
        .request_example = {{"worker_id", "host-123-ab12"},
                            {"attempt", 1},
                            {"result",
                             {{"moments", nlohmann::json::array()}, {"duration_ms", 600000}}}}},
       [&ctx](Call& call) {
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         std::string worker_id = ReadWorkerId(f);
         std::int64_t attempt = f.RequiredInt("attempt", 1, 1000);
         const nlohmann::json* result = f.OptionalObject("result");
         f.RejectUnknown();
         if (!result) throw InvalidField("result", "required");
         JobRecord job = HeldJob(ctx, call.PathParam("id"), worker_id, attempt);
         nlohmann::json params = nlohmann::json::parse(job.params, nullptr, false);
         std::function<Status(store::Database&)> on_complete;
         nlohmann::json stored_result;
         if (job.kind == "analyze") {
           std::vector<ParsedMoment> moments = ReadMoments(*result);
           std::optional<std::int64_t> duration;
           if (result->contains("duration_ms") && (*result)["duration_ms"].is_number_integer()) {
             duration = (*result)["duration_ms"].get<std::int64_t>();
           }
           std::optional<std::int64_t> width, height;
           if (result->contains("width") && (*result)["width"].is_number_integer() &&
               result->contains("height") && (*result)["height"].is_number_integer()) {
             width = (*result)["width"].get<std::int64_t>();  // ReadMoments checked them
             height = (*result)["height"].get<std::int64_t>();
           }
           std::int64_t render_top = params.is_object() && params.contains("render_top") &&
                                             params["render_top"].is_number_integer()
                                         ? params["render_top"].get<std::int64_t>()
                                         : 0;
           std::optional<std::string> template_id;
           if (params.is_object() && params.contains("template_id") &&
               params["template_id"].is_string()) {
             template_id = params["template_id"].get<std::string>();
           }
           // Charge the analysis by the length it measured (never more than was held); the
           // renders' share of the hold comes back and each render holds its own price.
           std::optional<std::int64_t> analysis_charge;
           const nlohmann::json::json_pointer held_at("/billing/analysis_credits");
           const nlohmann::json::json_pointer rate_at("/billing/analysis_per_hour");
           if (params.is_object() && params.contains(held_at) &&
               params[held_at].is_number_integer()) {
             analysis_charge = params[held_at].get<std::int64_t>();
             if (duration && params.contains(rate_at) && params[rate_at].is_number_integer()) {
               billing::Prices rate;
               rate.analysis_per_hour_credits = params[rate_at].get<std::int64_t>();
               analysis_charge =
                   std::min(*analysis_charge, billing::AnalysisPriceCredits(rate, *duration));
             }
           }
           on_complete = [&ctx, &job, moments, duration, width, height, render_top, template_id,
                          analysis_charge](store::Database& tx) -> Status {
             RETURN_IF_ERROR(ctx.ledger.CaptureJob(tx, job.id, analysis_charge).status());
             const std::string vod_id = job.vod_id.value_or("");
             RETURN_IF_ERROR(ClipRepository::DeleteMomentsOfVod(tx, vod_id));
             std::int64_t now = store::NowMs();
             for (std::size_t i = 0; i < moments.size(); ++i) {
               MomentRecord m{store::NewId(),
                              job.user_id,
                              vod_id,
                              job.id,
                              static_cast<std::int64_t>(i),
                              moments[i].start_ms,
                              moments[i].end_ms,
                              moments[i].score,
                              moments[i].title,
                              moments[i].data.dump(),
                              now};
               RETURN_IF_ERROR(ClipRepository::InsertMoment(tx, m));
               if (static_cast<std::int64_t>(i) < render_top) {
                 ClipRecord clip;
                 clip.id = store::NewId();
                 clip.user_id = job.user_id;
                 clip.vod_id = vod_id;
                 clip.moment_id = m.id;
                 clip.status = "pending";
                 clip.edit_list = EditListFromMoment(m).dump();
                 clip.template_id = template_id;
                 clip.title = m.title;
                 clip.created_at_ms = clip.updated_at_ms = now + static_cast<std::int64_t>(i);
                 RETURN_IF_ERROR(ClipRepository::Insert(tx, clip));
                 ASSIGN_OR_RETURN(QueuedRender queued, QueueRender(tx, ctx, clip));
                 if (queued.job_id.empty()) {
                   RETURN_IF_ERROR(ClipRepository::SetStatus(
                       tx, clip.id, "failed",
                       queued.over_quota
                           ? queued.over_quota->message
                           : "not enough credits to render: it costs " +
                                 std::to_string(queued.reserved.price) + ", the balance is " +
                                 std::to_string(queued.reserved.balance)));
                 }
               }
             }
             if (width && height) {
               RETURN_IF_ERROR(tx.Execute("UPDATE vods SET width = $1, height = $2 WHERE id = $3",
                                          {*width, *height, vod_id})
                                   .status());
             }
             if (duration) {
               RETURN_IF_ERROR(tx.Execute("UPDATE vods SET duration_ms = $1, updated_at_ms = $2 "
                                          "WHERE id = $3",
                                          {*duration, now, vod_id})
                                   .status());
             }
             return Status::Ok();
           };
         } else if (job.kind == "live") {
           // Live monitoring pays by the minute as it goes (live-minute); its result is kept,
           // with the minutes charged and the clips cut as the server counts them.
           LiveProgress progress = ValueOrThrow(ReadLiveProgress(ctx.db, job.id));
           stored_result = *result;
           stored_result.update(progress.ToJson());
         } else {
           const std::string clip_id = job.clip_id.value_or("");
           JsonFields r(*result, "result");
           std::string output_key = r.RequiredString("output_key", {.max_bytes = 512});
           std::string thumb_key = r.RequiredString("thumbnail_key", {.max_bytes = 512});
           std::int64_t duration = r.RequiredInt("duration_ms", 0, 3600LL * 1000);
           std::int64_t size = r.RequiredInt("size_bytes", 0, 1LL << 40);
           r.OptionalAny("timings");
           r.RejectUnknown();
           if (output_key != ClipObjectKey(clip_id, "clip.mp4")) {
             throw InvalidField("result.output_key",
                                "expected " + ClipObjectKey(clip_id, "clip.mp4"));
           }
           if (thumb_key != ClipObjectKey(clip_id, "thumb.jpg")) {
             throw InvalidField("result.thumbnail_key",
                                "expected " + ClipObjectKey(clip_id, "thumb.jpg"));
           }
           for (const std::string* key : {&output_key, &thumb_key}) {
             if (!ctx.objects.Size(*key).ok()) {
               throw InvalidField("result", *key + " was not uploaded");
             }
           }
           on_complete = [&ctx, &job, clip_id, output_key, thumb_key, duration,
                          size](store::Database& tx) -> Status {
             RETURN_IF_ERROR(ctx.ledger.CaptureJob(tx, job.id).status());
             return ClipRepository::SetRendered(tx, clip_id, output_key, thumb_key, duration, size);
           };
         }
         ThrowIfError(ctx.queue.Complete(job.id, static_cast<int>(attempt), worker_id,
                                         stored_result.is_null() ? *result : stored_result,
                                         on_complete));
         CT_LOG(call.log(), kInfo)
             << "job " << job.id << " (" << job.kind << ") completed by " << worker_id;
         call.Json(200, {{"ok", true}});
       }});

  router.Add(
      {"POST",
       "/v1/worker/jobs/{id}/fail",
       Access::kWorker,
       BodyKind::kJson,
       kWorkerBodyBytes,
       {.summary = "Report that an attempt failed",
        .tag = "worker",
        .description = "retryable (default true) with attempts left queues the job again; "
                       "otherwise it ends failed with this error.",
        .request_schema = "FailRequest",
        .response_schema = "Ok",
        .errors = {400, 404, 409, 413, 422},
        .request_example = {{"worker_id", "host-123-ab12"},
                            {"attempt", 1},
                            {"error", "decode failed at 01:02:03"},
                            {"retryable", true}}},
       [&ctx](Call& call) {
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         std::string worker_id = ReadWorkerId(f);
         std::int64_t attempt = f.RequiredInt("attempt", 1, 1000);
         const std::string reported = f.RequiredString("error", {.max_bytes = 4000});
         bool retryable = f.OptionalBool("retryable").value_or(true);
         f.RejectUnknown();
         const std::string& id = call.PathParam("id");
         // Users read this error: no worker paths or database text in it.
         const std::string error = PublicText(reported).value_or("internal error in the worker");
         if (error != reported) {
           CT_LOG(call.log(), kInfo) << "job " << id << " failed: " << reported;
         }
         ThrowIfError(ctx.queue.Fail(id, static_cast<int>(attempt), worker_id, error, retryable));
         auto job = ValueOrThrow(JobRepository(ctx.db).GetAnyUser(id));
         if (job && job->status == "failed" && job->kind == "render" && job->clip_id) {
           (void)ClipRepository::SetStatus(ctx.db, *job->clip_id, "failed", error);
         }
         if (job && job->status == "failed") SettleCredits(ctx, job->id);
         call.Json(200, {{"ok", true}});
       }});

  router.Add(
      {"POST",
       "/v1/worker/jobs/{id}/live-minute",
       Access::kWorker,
       BodyKind::kJson,
       kWorkerBodyBytes,
       {.summary = "Charge one minute of a live job's monitoring to its user",
        .tag = "worker",
        .description = "minute: the 0-based minute of monitoring that is starting. Charged once "
                       "per minute (a repeated minute, after a retry or a new lease, is not "
                       "charged again); the job's result.minutes counts them. 402 when the "
                       "balance cannot pay it: stop monitoring, and fail the job with that "
                       "reason.",
        .request_schema = "LiveMinuteRequest",
        .response_schema = "LiveMinute",
        .errors = {400, 402, 404, 409, 413, 422},
        .request_example = {{"worker_id", "host-123-ab12"}, {"attempt", 1}, {"minute", 0}}},
       [&ctx](Call& call) {
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         std::string worker_id = ReadWorkerId(f);
         std::int64_t attempt = f.RequiredInt("attempt", 1, 1000);
         std::int64_t minute = f.RequiredInt("minute", 0, 60LL * 24 * 366);
         f.RejectUnknown();
         JobRecord job = HeldJob(ctx, call.PathParam("id"), worker_id, attempt);
         if (job.kind != "live") throw Conflict("job " + job.id + " is not a live job");
         const std::int64_t price = ctx.options.billing.prices.live_minute_credits;
         auto charge =
             ValueOrThrow(ctx.ledger.ChargeLiveMinute(ctx.db, job.user_id, job.id, minute, price));
         if (!charge.charged) {
           throw PaymentRequired(charge.balance, price,
                                 "minute " + std::to_string(minute + 1) + " of live monitoring");
         }
         if (!charge.again) {
           Status published = PublishLiveProgress(ctx.db, job.id);
           if (!published.ok()) {
             CT_LOG(call.log(), kWarn)
                 << "job " << job.id << ": live progress not published: " << published.ToString();
           }
         }
         call.Json(200, {{"charged", true}, {"balance", charge.balance}});
       }});

  router.Add({"POST",
              "/v1/worker/jobs/{id}/release",
              Access::kWorker,
              BodyKind::kJson,
              kWorkerBodyBytes,
              {.summary = "Give a job back (the worker is stopping); the attempt is not counted",
               .tag = "worker",
               .request_schema = "ReleaseRequest",
               .response_schema = "Ok",
               .errors = {400, 404, 409, 413, 422},
               .request_example = {{"worker_id", "host-123-ab12"}, {"attempt", 1}}},
              [&ctx](Call& call) {
                nlohmann::json body = call.JsonBody();
                JsonFields f(body);
                std::string worker_id = ReadWorkerId(f);
                std::int64_t attempt = f.RequiredInt("attempt", 1, 1000);
                f.RejectUnknown();
                ThrowIfError(
                    ctx.queue.Release(call.PathParam("id"), static_cast<int>(attempt), worker_id));
                call.Json(200, {{"ok", true}});
              }});

  router.Add({"GET",
              "/v1/worker/jobs/{id}/files/{name}",
              Access::kWorker,
              BodyKind::kNone,
              0,
              {.summary = "Download a job's input: name = media | chat | logo (Range supported)",
               .tag = "worker",
               .description = "Only while the caller holds the job's lease (409 otherwise). "
                              "404 for chat when the VOD has none; logo: the logo of a render "
                              "job's template (404 when it has none).",
               .response_content_type = "application/octet-stream",
               .params = {{"worker_id", "query", "string", "the lease holder", true},
                          {"attempt", "query", "integer", "the leased attempt", true},
                          {"Range", "header", "string", "bytes=START-END", false}},
               .errors = {404, 409, 422}},
              [&ctx](Call& call) {
                const std::string& name = call.PathParam("name");
                if (name != "media" && name != "chat" && name != "logo") throw NotFound("file");
                auto [worker_id, attempt] = LeaseQuery(call);
                JobRecord job = HeldJob(ctx, call.PathParam("id"), worker_id, attempt);
                if (name == "logo") {
                  const nlohmann::json params = nlohmann::json::parse(job.params, nullptr, false);
                  const nlohmann::json::json_pointer at("/template/logo/path");
                  if (!params.is_object() || !params.contains(at) || !params[at].is_string() ||
                      !IsLogoName(params[at].get<std::string>())) {
                    throw NotFound("logo");
                  }
                  ServeObject(call, ctx.objects,
                              LogoObjectKey(job.user_id, params[at].get<std::string>()),
                              "application/octet-stream");
                  return;
                }
                if (!job.vod_id) throw NotFound("file");
                VodRecord vod = FoundOrThrow(ctx.vods.GetAnyUser(*job.vod_id), "vod");
                if (name == "chat") {
                  if (!vod.chat_key) throw NotFound("chat");
                  ServeObject(call, ctx.objects, *vod.chat_key, "application/octet-stream");
                } else {
                  ServeObject(call, ctx.objects, vod.media_key, "application/octet-stream");
                }
              }});

  router.Add({"PUT",
              "/v1/worker/jobs/{id}/files/{name}",
              Access::kWorker,
              BodyKind::kStream,
              ctx.options.max_worker_upload_bytes,
              {.summary = "Upload a render job's output: name = clip.mp4 | thumb.jpg",
               .tag = "worker",
               .description = "Streamed to clips/<clip_id>/<name>; only while the caller holds "
                              "the job's lease, checked before each 1 MiB piece is stored (409 "
                              "once it is lost).",
               .request_content_type = "application/octet-stream",
               .response_schema = "UploadedFile",
               .params = {{"worker_id", "query", "string", "the lease holder", true},
                          {"attempt", "query", "integer", "the leased attempt", true}},
               .errors = {400, 404, 409, 413, 422}},
              [&ctx](Call& call) {
                const std::string& name = call.PathParam("name");
                if (name != "clip.mp4" && name != "thumb.jpg") throw NotFound("file");
                auto [worker_id, attempt] = LeaseQuery(call);
                JobRecord job = HeldJob(ctx, call.PathParam("id"), worker_id, attempt);
                if (job.kind != "render" || !job.clip_id) throw NotFound("file");
                std::string key = ClipObjectKey(*job.clip_id, name);
                std::int64_t size = StoreWorkerUpload(call, ctx, job, worker_id, attempt, key);
                call.Json(200, {{"key", key}, {"size_bytes", size}});
              }});
}

}  // namespace clipthat::api
