// Jobs: list, get, cancel, and live progress as Server-Sent Events.
#include <chrono>
#include <thread>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/clip_repository.h"
#include "api/guarded_http_server.h"
#include "api/job_repository.h"

namespace clipthat::api {
namespace {

JobRecord OwnedJob(ApiContext& ctx, Call& call) {
  return FoundOrThrow(JobRepository(ctx.db).Get(call.PathParam("id"), call.user_id()), "job");
}

constexpr std::int64_t kKeepAliveMs = 15000;

// One event stream: each call of the provider polls the job once, sends an event when it
// changed, and waits one poll interval.
struct EventStream {
  std::shared_ptr<void> slot;  // its place in ctx.event_streams
  std::string job_id;
  std::string user_id;
  std::string last_sent;
  std::int64_t last_write_ms = 0;
};

}  // namespace

void RegisterJobRoutes(Router& router, ApiContext& ctx) {
  router.Add({"GET",
              "/v1/jobs",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "List your jobs, newest first",
               .tag = "jobs",
               .response_schema = "JobList",
               .params = {{"limit", "query", "integer", "1..100, default 20", false},
                          {"cursor", "query", "string", "next_cursor of the previous page", false}},
               .errors = {422}},
              [&ctx](Call& call) {
                PageRequest page = ParsePageRequest(call);
                std::optional<std::string> next;
                auto jobs = ValueOrThrow(JobRepository(ctx.db).List(call.user_id(), page, &next));
                call.Json(200, PageJson(jobs, next));
              }});

  router.Add({"GET",
              "/v1/jobs/{id}",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "One job: state, progress, stage, error, attempts, timings",
               .tag = "jobs",
               .response_schema = "Job",
               .errors = {404}},
              [&ctx](Call& call) { call.Json(200, OwnedJob(ctx, call).ToJson()); }});

  router.Add({"POST",
              "/v1/jobs/{id}/cancel",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Cancel a queued or running job",
               .tag = "jobs",
               .description = "A running worker learns it from its next heartbeat (409) and "
                              "stops. 409 when the job already finished.",
               .response_schema = "Job",
               .errors = {404, 409}},
              [&ctx](Call& call) {
                JobRecord job = OwnedJob(ctx, call);
                ThrowIfError(ctx.queue.Cancel(job.id));
                if (job.kind == "render" && job.clip_id) {
                  (void)ClipRepository::SetStatus(ctx.db, *job.clip_id, "failed",
                                                  std::string("render cancelled"));
                }
                SettleCredits(ctx, job.id);  // the held price comes back
                call.Json(200, OwnedJob(ctx, call).ToJson());
              }});

  router.Add(
      {"GET",
       "/v1/jobs/{id}/events",
       Access::kUser,
       BodyKind::kNone,
       0,
       {.summary = "Live progress of a job (Server-Sent Events)",
        .tag = "jobs",
        .description = "A text/event-stream: `event: progress` with the job (as GET "
                       "/v1/jobs/{id}) whenever it changes, then `event: state` with the final "
                       "job when it ends; comments keep idle connections open. Each open stream "
                       "holds a request thread: at most api.max_event_streams_per_user per user "
                       "and api.max_event_streams in all (429 too_many_streams past either).",
        .response_content_type = "text/event-stream",
        .errors = {404, 429}},
       [&ctx](Call& call) {
         JobRecord job = OwnedJob(ctx, call);
         auto stream = std::make_shared<EventStream>();
         stream->slot = ctx.event_streams.Take(call.user_id());
         if (!stream->slot) {
           ApiError e(429, "too_many_streams",
                      "too many event streams open (at most " +
                          std::to_string(ctx.options.max_event_streams_per_user) + " per user, " +
                          std::to_string(ctx.options.max_event_streams) +
                          " in all); close one, or poll GET /v1/jobs/{id}");
           e.retry_after_s = 5;
           throw e;
         }
         stream->job_id = job.id;
         stream->user_id = call.user_id();
         call.res.status = 200;
         call.res.set_header("Cache-Control", "no-cache");
         call.res.set_header("X-Accel-Buffering", "no");
         call.res.set_chunked_content_provider(
             "text/event-stream", [&ctx, stream](std::size_t, httplib::DataSink& sink) {
               auto write = [&](const std::string& text) {
                 stream->last_write_ms = store::NowMs();
                 return sink.write(text.data(), text.size());
               };
               auto job = JobRepository(ctx.db).Get(stream->job_id, stream->user_id);
               if (!job.ok() || !*job) {
                 write(
                     "event: error\ndata: {\"error\":{\"code\":\"not_found\",\"message\":\"job "
                     "not found\"}}\n\n");
                 sink.done();
                 return true;
               }
               std::string data =
                   (*job)->ToJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
               if (data != stream->last_sent) {
                 stream->last_sent = data;
                 bool terminal = (*job)->terminal();
                 if (!write(std::string("event: ") + (terminal ? "state" : "progress") +
                            "\ndata: " + data + "\n\n")) {
                   return false;
                 }
                 if (terminal) {
                   sink.done();
                   return true;
                 }
               } else if (store::NowMs() - stream->last_write_ms > kKeepAliveMs) {
                 if (!write(": keep-alive\n\n")) return false;
               }
               // Wait one poll interval, in short steps so a stopping server is not held up.
               for (std::int64_t waited = 0; waited < ctx.options.sse_poll_ms; waited += 50) {
                 if (ctx.stopping) {
                   write("event: end\ndata: {\"reason\":\"server stopping\"}\n\n");
                   sink.done();
                   return true;
                 }
                 if (GuardedHttpServer::ClientGone()) return false;  // frees the thread now
                 std::this_thread::sleep_for(std::chrono::milliseconds(
                     std::min<std::int64_t>(50, ctx.options.sse_poll_ms - waited)));
               }
               return true;
             });
       }});
}

}  // namespace clipthat::api
