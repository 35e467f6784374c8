// Live monitoring as a service (docs/api.md, "Live monitoring"): a user starts, lists and stops
// live jobs; the worker that holds one cuts clips into the user's clips (no VOD: the clip names
// its live job) and uploads their files. Minutes are charged by live-minute (worker_routes.cc);
// the job's result counts minutes and clips (LiveProgress), so its event stream shows each.
#include "api/api_context.h"
#include "api/api_error.h"
#include "api/format_checks.h"
#include "api/job_repository.h"
#include "api/json_fields.h"
#include "api/public_text.h"
#include "api/text_checks.h"
#include "api/twitch_url.h"
#include "chat/irc_url.h"
#include "core/host_resolver.h"
#include "formats/edit_list.h"

namespace clipthat::api {
namespace {

constexpr std::size_t kLiveBodyBytes = 16 << 10;
constexpr std::int64_t kMaxLiveOffsetMs = 7LL * 24 * 3600 * 1000;

// "url: host ..." -> "host ...": the messages of the URL checks name their own field.
std::string WithoutUrlPrefix(std::string message) {
  if (message.rfind("url: ", 0) == 0) message.erase(0, 5);
  return message;
}

// The source to watch, canonical: a Twitch channel URL (https://www.twitch.tv/NAME), or an
// http(s) URL (HLS) whose host resolves only to addresses the URL policy allows.
std::string CheckLiveSource(const ApiContext& ctx, const std::string& source) {
  if (IsTwitchUrl(source)) {
    Result<TwitchUrl> twitch = ParseTwitchUrl(source);
    if (!twitch.ok()) throw InvalidField("source", WithoutUrlPrefix(twitch.status().message()));
    constexpr std::string_view kChannelPrefix = "https://www.twitch.tv/";
    const std::string_view rest =
        std::string_view(twitch->url).substr(std::min(twitch->url.size(), kChannelPrefix.size()));
    if (twitch->url.rfind(kChannelPrefix, 0) != 0 || rest.find('/') != std::string_view::npos) {
      throw InvalidField("source",
                         "a Twitch URL to watch live is a channel: https://www.twitch.tv/NAME");
    }
    return twitch->url;
  }
  HttpUrlParts u;
  if (!LooksLikeHttpUrl(source) || !ParseHttpUrl(source, &u)) {
    throw InvalidField("source",
                       "expected an http(s) URL (HLS) or a Twitch channel URL "
                       "(https://www.twitch.tv/NAME)");
  }
  Result<IpAddress> allowed = ResolveAllowedAddress(u.host, ctx.url_policy, ctx.url_resolver);
  if (!allowed.ok()) throw InvalidField("source", WithoutUrlPrefix(allowed.status().message()));
  return source;
}

// irc://HOST[:PORT]/#channel, with its host checked like the source's.
std::string CheckLiveChat(const ApiContext& ctx, const std::string& chat) {
  Result<chat::IrcTarget> target = chat::ParseIrcUrl(chat);
  if (!target.ok()) throw InvalidField("chat", target.status().message());
  if (target->tls) throw InvalidField("chat", "ircs:// (TLS) is not supported yet; use irc://");
  Result<IpAddress> allowed = ResolveAllowedAddress(target->host, ctx.url_policy, ctx.url_resolver);
  if (!allowed.ok()) throw InvalidField("chat", allowed.status().message());
  return target->ToString();
}

JobRecord OwnedLiveJob(ApiContext& ctx, Call& call) {
  JobRecord job =
      FoundOrThrow(JobRepository(ctx.db).Get(call.PathParam("id"), call.user_id()), "live job");
  if (job.kind != "live") throw NotFound("live job");
  return job;
}

// The live job held by the caller (lease checked); 409 for a job of another kind.
JobRecord HeldLiveJob(ApiContext& ctx, const std::string& job_id, const std::string& worker_id,
                      std::int64_t attempt) {
  JobRecord job = HeldJob(ctx, job_id, worker_id, attempt);
  if (job.kind != "live") throw Conflict("job " + job.id + " is not a live job");
  return job;
}

// A live clip's window, from the edit list its live job stored: {"live": {start_ms, end_ms}}.
std::int64_t LiveClipDurationMs(const ClipRecord& clip) {
  const nlohmann::json edit = nlohmann::json::parse(clip.edit_list, nullptr, false);
  const nlohmann::json::json_pointer start("/live/start_ms"), end("/live/end_ms");
  if (!edit.is_object() || !edit.contains(start) || !edit.contains(end) ||
      !edit[start].is_number_integer() || !edit[end].is_number_integer()) {
    return 0;
  }
  return std::max<std::int64_t>(0, edit[end].get<std::int64_t>() - edit[start].get<std::int64_t>());
}

}  // namespace

nlohmann::json LiveProgress::ToJson() const {
  return {{"minutes", minutes},
          {"clips", clips},
          {"last_clip_id",
           last_clip_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(last_clip_id)}};
}

Result<LiveProgress> ReadLiveProgress(store::Database& db, const std::string& job_id) {
  LiveProgress out;
  ASSIGN_OR_RETURN(auto minutes,
                   db.Query("SELECT COUNT(*) AS n, MAX(live_minute) AS last FROM ledger_entries "
                            "WHERE job_id = $1 AND live_minute IS NOT NULL",
                            {job_id}));
  if (!minutes.empty()) {
    out.minutes = minutes[0].Int("n");
    std::optional<std::int64_t> last = minutes[0].OptInt("last");
    out.next_minute = last ? *last + 1 : 0;
  }
  ASSIGN_OR_RETURN(auto clips, ClipRepository::CountLiveClips(db, job_id));
  out.clips = clips.first;
  out.last_clip_id = clips.second;
  return out;
}

Status PublishLiveProgress(store::Database& db, const std::string& job_id) {
  return db.Transaction([&](store::Database& tx) -> Status {
    // Locks the job's row first (PostgreSQL), so that concurrent publishers write in turn and
    // the last one counts what both wrote.
    ASSIGN_OR_RETURN(std::int64_t running,
                     tx.Execute("UPDATE jobs SET updated_at_ms = $2 WHERE id = $1 AND "
                                "status = 'running'",
                                {job_id, store::NowMs()}));
    if (running == 0) return Status::Ok();  // ended: its result is final
    ASSIGN_OR_RETURN(LiveProgress progress, ReadLiveProgress(tx, job_id));
    return tx
        .Execute("UPDATE jobs SET result = $2 WHERE id = $1", {job_id, progress.ToJson().dump()})
        .status();
  });
}

void RegisterLiveRoutes(Router& router, ApiContext& ctx) {
  router.Add(
      {"POST",
       "/v1/live",
       Access::kUser,
       BodyKind::kJson,
       kLiveBodyBytes,
       {.summary = "Start monitoring a live stream: clips are cut as moments happen",
        .tag = "live",
        .description =
            "source: an http(s) HLS URL or a Twitch channel URL (https://www.twitch.tv/NAME); "
            "http(s) hosts must resolve to public addresses. chat: irc://HOST[:PORT]/#channel. "
            "template: one of your brand templates; layout: auto, fill, split or fit. Answers "
            "202 with the live job, which a worker of the live role runs until it is stopped "
            "(DELETE /v1/live/{id}), the stream ends or the credits run out: each started minute "
            "costs billing.price.live_minute credits. 402 when the balance cannot pay one "
            "minute; 429 past the active jobs quota.",
        .request_schema = "StartLiveRequest",
        .success_status = 202,
        .response_schema = "Job",
        .errors = {400, 402, 413, 422, 429},
        .request_example = {{"source", "https://www.twitch.tv/somestreamer"},
                            {"chat", "irc://irc.chat.twitch.tv/#somestreamer"},
                            {"layout", "split"}}},
       [&ctx](Call& call) {
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         std::string source = f.RequiredString("source", {.max_bytes = 2048});
         std::optional<std::string> chat = f.OptionalString("chat", {.max_bytes = 2048});
         std::optional<std::string> template_id = f.OptionalString("template", {.max_bytes = 64});
         std::optional<std::string> layout = f.OptionalString("layout", {.max_bytes = 16});
         f.RejectUnknown();
         nlohmann::json params = {{"source", CheckLiveSource(ctx, source)}};
         if (chat) params["chat"] = CheckLiveChat(ctx, *chat);
         if (layout) {
           Result<formats::LayoutMode> mode = formats::ParseLayoutMode(*layout);
           if (!mode.ok()) throw InvalidField("layout", "expected auto, fill, split or fit");
           params["layout"] = std::string(formats::LayoutModeName(*mode));
         }
         if (template_id) {
           auto tpl = ValueOrThrow(ctx.templates.Get(*template_id, call.user_id()));
           if (!tpl) throw InvalidField("template", "no such template");
           params["template_id"] = *template_id;
           params["template"] = nlohmann::json::parse(tpl->document, nullptr, false);
         }
         // Nothing is held: monitoring pays minute by minute. It starts only when the balance
         // pays the first minute.
         const std::int64_t price = ctx.options.billing.prices.live_minute_credits;
         std::optional<std::int64_t> short_balance;
         QueuedRender queued;
         Status enqueued = ctx.db.Transaction([&](store::Database& tx) -> Status {
           ASSIGN_OR_RETURN(
               queued,
               EnqueuePaid(
                   tx, ctx,
                   {.user_id = call.user_id(), .kind = "live", .params = params, .max_attempts = 5},
                   0, "live monitoring", [&]() -> Status {
                     ASSIGN_OR_RETURN(std::int64_t balance,
                                      ctx.ledger.LockBalance(tx, call.user_id()));
                     if (balance >= price) return Status::Ok();
                     short_balance = balance;
                     return ResourceExhaustedError("balance short");
                   }));
           return Status::Ok();
         });
         if (short_balance) {
           throw PaymentRequired(*short_balance, price, "the first minute of live monitoring");
         }
         ThrowIfError(enqueued);
         if (queued.over_quota) throw queued.over_quota->ToError();
         JobRecord job =
             FoundOrThrow(JobRepository(ctx.db).Get(queued.job_id, call.user_id()), "job");
         CT_LOG(call.log(), kInfo) << "live job " << job.id << " queued";
         call.Json(202, job.ToJson());
       }});

  router.Add({"GET",
              "/v1/live",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "List your live jobs, newest first",
               .tag = "live",
               .description = "Each job's result counts the minutes charged and the clips cut "
                              "so far (minutes, clips, last_clip_id).",
               .response_schema = "JobList",
               .params = {{"limit", "query", "integer", "1..100, default 20", false},
                          {"cursor", "query", "string", "next_cursor of the previous page", false}},
               .errors = {422}},
              [&ctx](Call& call) {
                PageRequest page = ParsePageRequest(call);
                std::optional<std::string> next;
                auto jobs =
                    ValueOrThrow(JobRepository(ctx.db).List(call.user_id(), page, &next, "live"));
                call.Json(200, PageJson(jobs, next));
              }});

  router.Add({"DELETE",
              "/v1/live/{id}",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Stop monitoring: the live job is cancelled",
               .tag = "live",
               .description = "As POST /v1/jobs/{id}/cancel: the worker learns it from its next "
                              "heartbeat (409) and stops; clips already cut stay. 404 for a job "
                              "that is not a live job of yours, 409 when it already ended.",
               .response_schema = "Job",
               .errors = {404, 409}},
              [&ctx](Call& call) {
                JobRecord job = OwnedLiveJob(ctx, call);
                ThrowIfError(ctx.queue.Cancel(job.id));
                SettleCredits(ctx, job.id);  // nothing is held for live jobs; kept for symmetry
                call.Json(200, OwnedLiveJob(ctx, call).ToJson());
              }});

  router.Add(
      {"POST",
       "/v1/worker/jobs/{id}/live-clips",
       Access::kWorker,
       BodyKind::kJson,
       kWorkerBodyBytes,
       {.summary = "Record a clip a live job cut (its files follow)",
        .tag = "worker",
        .description = "start_ms / end_ms: the clip's window in the session's time. Creates a "
                       "clip of the job's user (status rendering, no VOD, live_job_id set); "
                       "upload thumb.jpg and then clip.mp4 with PUT "
                       "/v1/worker/jobs/{id}/live-clips/{clip_id}/files/{name}: the clip is "
                       "ready once clip.mp4 is stored. 409 when this worker does not hold the "
                       "lease or the job is not live.",
        .request_schema = "LiveClipRequest",
        .success_status = 201,
        .response_schema = "LiveClipCreated",
        .errors = {400, 404, 409, 413, 422},
        .request_example = {{"worker_id", "host-123-ab12"},
                            {"attempt", 1},
                            {"start_ms", 61000},
                            {"end_ms", 91000},
                            {"reason", "chat: clip it"}}},
       [&ctx](Call& call) {
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         std::string worker_id = ReadWorkerId(f);
         std::int64_t attempt = f.RequiredInt("attempt", 1, 1000);
         std::int64_t start_ms = f.RequiredInt("start_ms", 0, kMaxLiveOffsetMs);
         std::int64_t end_ms = f.RequiredInt("end_ms", 0, kMaxLiveOffsetMs);
         std::string reason =
             f.OptionalString("reason", {.max_bytes = 300, .allow_empty = true}).value_or("");
         f.RejectUnknown();
         if (end_ms <= start_ms) throw InvalidField("end_ms", "not after start_ms");
         JobRecord job = HeldLiveJob(ctx, call.PathParam("id"), worker_id, attempt);
         const nlohmann::json params = nlohmann::json::parse(job.params, nullptr, false);
         ClipRecord clip;
         clip.id = store::NewId();
         clip.user_id = job.user_id;
         clip.live_job_id = job.id;
         clip.status = "rendering";
         clip.edit_list =
             nlohmann::json{
                 {"live",
                  {{"start_ms", start_ms},
                   {"end_ms", end_ms},
                   {"reason", reason},
                   {"source", params.is_object() ? params.value("source", "") : std::string()}}}}
                 .dump();
         if (params.is_object() && params.contains("template_id") &&
             params["template_id"].is_string()) {
           clip.template_id = params["template_id"].get<std::string>();
         }
         // Users read it: no worker paths in it.
         clip.title = PublicText(reason).value_or("live clip");
         clip.created_at_ms = clip.updated_at_ms = store::NowMs();
         ThrowIfError(ClipRepository::Insert(ctx.db, clip));
         CT_LOG(call.log(), kInfo) << "live job " << job.id << ": clip " << clip.id << " ("
                                   << start_ms << "-" << end_ms << " ms)";
         call.Json(201, {{"clip_id", clip.id}});
       }});

  router.Add({"PUT",
              "/v1/worker/jobs/{id}/live-clips/{clip_id}/files/{name}",
              Access::kWorker,
              BodyKind::kStream,
              ctx.options.max_worker_upload_bytes,
              {.summary = "Upload a live clip's file: name = clip.mp4 | thumb.jpg",
               .tag = "worker",
               .description = "Streamed to clips/<clip_id>/<name> while the caller holds the live "
                              "job's lease (checked before each 1 MiB piece; 409 once it is lost). "
                              "clip.mp4 makes the clip ready (downloadable with GET "
                              "/v1/clips/{id}/download) and counts it in the job's result, so the "
                              "job's event stream shows it: upload thumb.jpg first.",
               .request_content_type = "application/octet-stream",
               .response_schema = "UploadedFile",
               .params = {{"worker_id", "query", "string", "the lease holder", true},
                          {"attempt", "query", "integer", "the leased attempt", true}},
               .errors = {400, 404, 409, 413, 422}},
              [&ctx](Call& call) {
                const std::string& name = call.PathParam("name");
                if (name != "clip.mp4" && name != "thumb.jpg") throw NotFound("file");
                auto [worker_id, attempt] = LeaseQuery(call);
                JobRecord job = HeldLiveJob(ctx, call.PathParam("id"), worker_id, attempt);
                ClipRecord clip = FoundOrThrow(
                    ClipRepository::GetAnyUser(ctx.db, call.PathParam("clip_id")), "live clip");
                if (clip.live_job_id.value_or("") != job.id) throw NotFound("live clip");
                const std::string key = ClipObjectKey(clip.id, name);
                const std::int64_t size =
                    StoreWorkerUpload(call, ctx, job, worker_id, attempt, key);
                if (name == "thumb.jpg") {
                  ThrowIfError(ClipRepository::SetThumbnail(ctx.db, clip.id, key));
                } else {
                  ThrowIfError(ClipRepository::SetRendered(ctx.db, clip.id, key, clip.thumbnail_key,
                                                           LiveClipDurationMs(clip), size));
                  Status published = PublishLiveProgress(ctx.db, job.id);
                  if (!published.ok()) {
                    CT_LOG(call.log(), kWarn)
                        << "job " << job.id
                        << ": live progress not published: " << published.ToString();
                  }
                }
                call.Json(200, {{"key", key}, {"size_bytes", size}});
              }});
}

}  // namespace clipthat::api
