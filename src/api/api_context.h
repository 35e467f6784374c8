// ApiContext: what every route handler shares (internal to the api module): the stores, the
// options, the repositories, the authenticator and limiters. Route files register their routes
// with Register*Routes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/account_repository.h"
#include "api/api_server.h"
#include "api/authenticator.h"
#include "api/byte_ranges.h"
#include "api/clip_repository.h"
#include "api/job_repository.h"
#include "api/json_fields.h"
#include "api/jwt.h"
#include "api/login_throttle.h"
#include "api/media_link.h"
#include "api/quotas.h"
#include "api/rate_limiter.h"
#include "api/router.h"
#include "api/stream_slots.h"
#include "api/template_repository.h"
#include "api/url_importer.h"
#include "api/vod_repository.h"
#include "billing/ledger.h"
#include "core/status.h"
#include "store/database.h"
#include "store/job_queue.h"
#include "store/object_store.h"

namespace clipthat::api {

struct ApiContext {
  ApiContext(const ApiServerOptions& options, store::Database& db, store::ObjectStore& objects,
             Logger logger)
      : options(options),
        db(db),
        objects(objects),
        logger(std::move(logger)),
        accounts(db),
        jwt(options.jwt_secret),
        media_links(options.jwt_secret),
        auth(accounts, jwt, options.revocation_cache_ms),
        login_throttle(options.login_throttle),
        login_by_ip(options.login_attempts_per_ip, options.login_window_ms),
        queue(db),
        vods(db),
        templates(db),
        url_policy{.reach = options.allow_private_urls ? AddressPolicy::Reach::kAny
                                                       : AddressPolicy::Reach::kPublicOnly,
                   .allowed_networks = options.allowed_url_networks},
        url_resolver(options.url_resolver ? options.url_resolver : HostResolver(ResolveHost)),
        event_streams(options.max_event_streams_per_user, options.max_event_streams) {}

  const ApiServerOptions& options;
  store::Database& db;
  store::ObjectStore& objects;
  Logger logger;
  AccountRepository accounts;
  JwtCodec jwt;
  MediaLinkSigner media_links;
  Authenticator auth;
  LoginThrottle login_throttle;
  RateLimiter login_by_ip;
  store::JobQueue queue;
  VodRepository vods;
  TemplateRepository templates;
  billing::Ledger ledger;
  // Which addresses URLs given by users may reach, and how their hosts are resolved.
  AddressPolicy url_policy;
  HostResolver url_resolver;
  std::unique_ptr<UrlImporter> importer;
  StreamSlots event_streams;  // job event streams open
  std::atomic<bool> stopping{false};
};

void RegisterSystemRoutes(Router& router, ApiContext& ctx, const nlohmann::json& openapi);
void RegisterAuthRoutes(Router& router, ApiContext& ctx);
void RegisterVodRoutes(Router& router, ApiContext& ctx);
void RegisterJobRoutes(Router& router, ApiContext& ctx);
void RegisterClipRoutes(Router& router, ApiContext& ctx);
void RegisterTemplateRoutes(Router& router, ApiContext& ctx);
void RegisterWorkerRoutes(Router& router, ApiContext& ctx);
void RegisterBillingRoutes(Router& router, ApiContext& ctx);
void RegisterLiveRoutes(Router& router, ApiContext& ctx);

// The worker protocol's shared pieces (worker_routes.cc).
inline constexpr std::size_t kWorkerBodyBytes = 64 << 10;  // a worker's JSON report, at most
// The body's "worker_id" (1-200 of A-Z a-z 0-9 . _ : -); throws 422 otherwise.
std::string ReadWorkerId(JsonFields& f);
// The job, when `worker_id` holds the lease of `attempt` on it; throws 404 / 409 otherwise.
JobRecord HeldJob(ApiContext& ctx, const std::string& job_id, const std::string& worker_id,
                  std::int64_t attempt);
// ?worker_id=&attempt= of a file transfer; throws 422 when either is missing or malformed.
std::pair<std::string, std::int64_t> LeaseQuery(Call& call);
// Streams the request body into object `key` (replacing it) while `worker_id` holds the lease
// of `attempt` on `job`, checked before each piece; returns its size in bytes. Throws 409 once
// the lease is lost, 422 for an empty body.
std::int64_t StoreWorkerUpload(Call& call, ApiContext& ctx, const JobRecord& job,
                               const std::string& worker_id, std::int64_t attempt,
                               const std::string& key);

// A live job's progress (live_routes.cc), counted from the ledger (minutes charged) and the
// clips table (clips cut): the one place both are read from.
struct LiveProgress {
  std::int64_t minutes = 0;      // minutes of monitoring charged
  std::int64_t next_minute = 0;  // the first 0-based minute not charged yet
  std::int64_t clips = 0;        // clips cut
  std::string last_clip_id;      // the newest clip's id; "" when none
  // {"minutes", "clips", "last_clip_id" (null when none)}: a live job's result.
  nlohmann::json ToJson() const;
};
Result<LiveProgress> ReadLiveProgress(store::Database& db, const std::string& job_id);
// Writes ReadLiveProgress into the live job's result, so GET /v1/jobs/{id} and its event stream
// show each minute charged and each clip as it appears.
Status PublishLiveProgress(store::Database& db, const std::string& job_id);

// The edit list a clip made from `moment` starts with: its window, caption words inside it,
// title and moment id, layout "auto".
nlohmann::json EditListFromMoment(const MomentRecord& moment);
// What EnqueuePaid and QueueRender did.
struct QueuedRender {
  std::string job_id;          // "" when over a quota or the balance was short (nothing written)
  billing::Reserved reserved;  // the job's price held for it
  std::optional<QuotaExceeded> over_quota;  // set when the jobs quota refused it
};

// Inside `tx`: takes the user's credit lock; when the user is under the active jobs quota
// (quotas.h) and the balance covers `price`, queues `job` and holds the price for it
// (billing::Ledger::Reserve with `reason`). Otherwise nothing is written, job_id is "" and
// over_quota says whether the quota refused it (checked first: no credits are held for it).
Result<QueuedRender> EnqueuePaid(store::Database& tx, ApiContext& ctx, const store::NewJob& job,
                                 std::int64_t price, const std::string& reason,
                                 const std::function<Status()>& before_enqueue = {});

// The length an analysis of `vod` is priced on, ms: the stored duration, else the stored media
// probed (and the duration stored), else an upper estimate from its size (the analysis then
// charges what its measured length costs, never more than was held).
std::int64_t AnalysisPricingDurationMs(ApiContext& ctx, const VodRecord& vod);

// Marks the clip "rendering", queues its render job and holds its price, all inside `tx`.
// When the balance is short nothing is written and job_id is "" (the caller answers 402 or
// marks the clip failed).
Result<QueuedRender> QueueRender(store::Database& tx, ApiContext& ctx, const ClipRecord& clip);

// Settles the job's credit reservation by its state (billing::Ledger::SettleJob); a failure is
// logged, never thrown: the sweeper settles it later.
void SettleCredits(ApiContext& ctx, const std::string& job_id);

// Streams an object as the response, honouring a Range header (206; 416 with
// "Content-Range: bytes */SIZE" when no range starts inside it: RangeUnsatisfiable); 404 when it is
// missing.
void ServeObject(Call& call, store::ObjectStore& objects, const std::string& key,
                 const std::string& content_type);

// What AppendBodyToObject wrote.
struct AppendedBody {
  std::int64_t end_offset = 0;  // the object's size in bytes after the last successful write
  Status status;                // the first failed write; OK when every write succeeded
  bool too_long = false;        // the body ran past limit_offset (see below)
};

// Streams the request body into object `key` from byte `start_offset`, in appends of up to
// 1 MiB. Stops at the first failed write. With `limit_offset`, stops reading as soon as the body
// would take the object past that many bytes: too_long is set and the bytes still buffered are
// not written. `before_write`, when given, runs before each append; an error from it stops the
// upload like a failed write (a worker whose lease ran out mid-upload writes nothing more).
// Never throws for store errors; the caller decides the answer.
AppendedBody AppendBodyToObject(Call& call, store::ObjectStore& objects, const std::string& key,
                                std::int64_t start_offset,
                                std::optional<std::int64_t> limit_offset = std::nullopt,
                                const std::function<Status()>& before_write = nullptr);

// {"items": [each record's ToJson()], "next_cursor": next_cursor or null}: a list route's page.
template <typename Record>
nlohmann::json PageJson(const std::vector<Record>& records,
                        const std::optional<std::string>& next_cursor) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& record : records) items.push_back(record.ToJson());
  return {{"items", std::move(items)},
          {"next_cursor", next_cursor ? nlohmann::json(*next_cursor) : nullptr}};
}

// "vods/<id>/media.mp4" etc.: object keys the server derives from ids (never from user input).
std::string VodMediaKey(const std::string& vod_id, const std::string& extension);
std::string VodChatKey(const std::string& vod_id);
std::string ClipObjectKey(const std::string& clip_id, const std::string& name);

}  // namespace clipthat::api
