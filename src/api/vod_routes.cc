// VODs: create (upload session or URL import), chunked resumable upload, chat replay, list,
// get, delete, ranged download, analyze.
#include <algorithm>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/clip_repository.h"
#include "api/job_repository.h"
#include "api/json_fields.h"
#include "billing/prices.h"

namespace clipthat::api {
namespace {

constexpr std::size_t kVodBodyBytes = 64 << 10;

VodRecord OwnedVod(ApiContext& ctx, Call& call) {
  return FoundOrThrow(ctx.vods.Get(call.PathParam("id"), call.user_id()), "vod");
}

// ".mp4" for "My Stream.MP4"; "" for names without a known media extension. The name itself is
// never used in a path.
std::string MediaExtension(const std::string& filename) {
  std::size_t dot = filename.rfind('.');
  if (dot == std::string::npos) return "";
  std::string ext = filename.substr(dot);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* known : {".mp4", ".mkv", ".mov", ".webm", ".ts", ".flv", ".m4v"}) {
    if (ext == known) return ext;
  }
  return "";
}

void CheckFilename(const std::string& name) {
  if (name == "." || name == ".." || name.find('/') != std::string::npos ||
      name.find('\\') != std::string::npos) {
    throw InvalidField("filename", "must be a plain file name (no '/', '\\\\' or '..')");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) throw InvalidField("filename", "contains a control character");
  }
}

nlohmann::json UploadJson(const VodRecord& vod, std::size_t chunk_max) {
  nlohmann::json j = vod.ToJson();
  j["upload"] = {{"method", "PUT"},
                 {"url", "/v1/vods/" + vod.id + "/media"},
                 {"chunk_max_bytes", chunk_max},
                 {"next_offset", vod.received_bytes}};
  return j;
}

// Inserts `vod` (a new upload or import) when the user's upload quotas allow it (quotas.h),
// under the user's credit lock so concurrent creations are counted; throws quota_exceeded.
void InsertWithinQuotas(ApiContext& ctx, const VodRecord& vod) {
  std::optional<QuotaExceeded> over;
  ThrowIfError(ctx.db.Transaction([&](store::Database& tx) -> Status {
    RETURN_IF_ERROR(ctx.ledger.LockBalance(tx, vod.user_id).status());
    ASSIGN_OR_RETURN(over, CheckUploadQuotas(tx, ctx.options, vod.user_id, vod.size_bytes));
    if (over) return Status::Ok();
    return VodRepository(tx).Insert(vod);
  }));
  if (over) throw over->ToError();
}

// The Content-Type a browser's media element expects for the stored media's extension.
std::string MediaContentType(const std::string& media_key) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".mp4", "video/mp4"},   {".m4v", "video/mp4"},        {".mov", "video/quicktime"},
      {".webm", "video/webm"}, {".mkv", "video/x-matroska"}, {".ts", "video/mp2t"},
      {".flv", "video/x-flv"}};
  for (const auto& [ext, type] : kTypes) {
    if (media_key.ends_with(ext)) return type;
  }
  return "application/octet-stream";
}

}  // namespace

void RegisterVodRoutes(Router& router, ApiContext& ctx) {
  router.Add(
      {"POST",
       "/v1/vods",
       Access::kUser,
       BodyKind::kJson,
       kVodBodyBytes,
       {.summary = "Create a VOD: an upload session, or an import from a URL",
        .tag = "vods",
        .description = "With title, size_bytes and filename: an upload session (send the bytes "
                       "with PUT /v1/vods/{id}/media). With url: the server fetches an http(s) "
                       "media URL, or a Twitch URL through yt-dlp/streamlink when installed "
                       "(422 when not), in the background. Per-user quotas: uploads and imports "
                       "in progress (429 quota_exceeded) and stored bytes (409 quota_exceeded).",
        .request_schema = "CreateVodRequest",
        .success_status = 201,
        .response_schema = "Vod",
        .errors = {400, 409, 413, 422, 429},
        .request_example = {{"title", "Friday stream"},
                            {"size_bytes", 734003200},
                            {"filename", "friday.mp4"}}},
       [&ctx](Call& call) {
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         std::optional<std::string> url = f.OptionalString("url", {.max_bytes = 2000});
         std::optional<std::string> title = f.OptionalString("title", {.max_bytes = 200});
         std::optional<std::int64_t> size =
             f.OptionalInt("size_bytes", 1, ctx.options.max_vod_bytes);
         std::optional<std::string> filename = f.OptionalString("filename", {.max_bytes = 255});
         f.RejectUnknown();
         VodRecord vod;
         vod.id = store::NewId();
         vod.user_id = call.user_id();
         vod.status = "uploading";
         vod.created_at_ms = vod.updated_at_ms = store::NowMs();
         if (url) {
           if (size || filename) {
             throw InvalidField("url", "give either url, or size_bytes and filename, not both");
           }
           ThrowIfError(ctx.importer->Check(*url));
           vod.title = title.value_or(*url).substr(0, 200);
           vod.source_url = *url;
           std::string path = url->substr(0, url->find('?'));
           vod.media_key = VodMediaKey(vod.id, MediaExtension(path.substr(path.rfind('/') + 1)));
           InsertWithinQuotas(ctx, vod);
           ctx.importer->Start(vod.id, vod.media_key, *url);
           call.Json(201, vod.ToJson());
           return;
         }
         if (!title) throw InvalidField("title", "required");
         if (!size) throw InvalidField("size_bytes", "required (or give url)");
         if (!filename) throw InvalidField("filename", "required (or give url)");
         CheckFilename(*filename);
         vod.title = *title;
         vod.size_bytes = *size;
         vod.media_key = VodMediaKey(vod.id, MediaExtension(*filename));
         InsertWithinQuotas(ctx, vod);
         call.Json(201, UploadJson(vod, ctx.options.max_upload_chunk_bytes));
       }});

  router.Add(
      {"PUT",
       "/v1/vods/{id}/media",
       Access::kUser,
       BodyKind::kStream,
       ctx.options.max_upload_chunk_bytes,
       {.summary = "Upload one chunk of the VOD's media (resumable)",
        .tag = "vods",
        .description = "Send chunks in order with `Content-Range: bytes START-END/TOTAL` (TOTAL "
                       "= size_bytes). A chunk must start where the received bytes end (409 "
                       "otherwise; GET /v1/vods/{id} tells received_bytes, to resume). The VOD "
                       "becomes ready when every byte has arrived.",
        .request_content_type = "application/octet-stream",
        .response_schema = "Vod",
        .params = {{"Content-Range", "header", "string", "bytes START-END/TOTAL", true}},
        .errors = {404, 409, 413, 422}},
       [&ctx](Call& call) {
         VodRecord vod = OwnedVod(ctx, call);
         Result<ContentRange> parsed =
             ParseContentRange(call.req.get_header_value("Content-Range"));
         if (!parsed.ok()) throw InvalidField("Content-Range", parsed.status().message());
         const ContentRange range = *parsed;
         if (vod.source_url) throw Conflict("this VOD is imported from a URL");
         if (range.total != vod.size_bytes) {
           throw InvalidField("Content-Range", "TOTAL " + std::to_string(range.total) +
                                                   " is not the VOD's size_bytes " +
                                                   std::to_string(vod.size_bytes));
         }
         const std::int64_t length = range.end - range.start + 1;
         if (call.req.has_header("Content-Length") &&
             call.req.get_header_value<std::uint64_t>("Content-Length") !=
                 static_cast<std::uint64_t>(length)) {
           throw InvalidField("Content-Range", "the body is not END-START+1 bytes");
         }
         auto current = ctx.objects.Size(vod.media_key);
         std::int64_t received = current.ok() ? *current : 0;
         if (!current.ok() && current.status().code() != StatusCode::kNotFound) {
           ThrowIfError(current.status());
         }
         if (received != vod.received_bytes) ThrowIfError(ctx.vods.SetReceived(vod.id, received));
         if (received >= vod.size_bytes) throw Conflict("the upload is already complete");
         if (range.start != received) {
           throw Conflict("chunk starts at " + std::to_string(range.start) + " but " +
                          std::to_string(received) + " bytes were received; resume from " +
                          std::to_string(received));
         }
         AppendedBody appended =
             AppendBodyToObject(call, ctx.objects, vod.media_key, received, range.end + 1);
         const std::int64_t offset = appended.end_offset;
         ThrowIfError(ctx.vods.SetReceived(vod.id, offset));
         ThrowIfError(appended.status);
         if (appended.too_long) {
           throw InvalidField("Content-Range", "the body is longer than END-START+1");
         }
         if (offset != range.end + 1) {
           throw BadRequest("the body ended after " + std::to_string(offset - range.start) +
                            " of " + std::to_string(length) + " bytes; resume from " +
                            std::to_string(offset));
         }
         call.Json(200, UploadJson(OwnedVod(ctx, call), ctx.options.max_upload_chunk_bytes));
       }});

  router.Add({"GET",
              "/v1/vods/{id}/media",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Download the VOD's media (Range supported)",
               .tag = "vods",
               .response_content_type = "application/octet-stream",
               .params = {{"Range", "header", "string", "bytes=START-END", false}},
               .errors = {404}},
              [&ctx](Call& call) {
                VodRecord vod = OwnedVod(ctx, call);
                ServeObject(call, ctx.objects, vod.media_key, "application/octet-stream");
              }});

  router.Add({"POST",
              "/v1/vods/{id}/media-link",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "A signed link to the VOD's media for a browser's <video> element",
               .tag = "vods",
               .description = "The link (`/v1/media/vods/{id}?exp=..&sig=..`) serves the media "
                              "with Range support and no credentials, for 2 hours: a <video> "
                              "element cannot send Authorization. Treat it as a secret.",
               .response_schema = "MediaLink",
               .errors = {404}},
              [&ctx](Call& call) {
                VodRecord vod = OwnedVod(ctx, call);
                const std::int64_t expires_s =
                    store::NowMs() / 1000 + MediaLinkSigner::kDefaultTtlS;
                call.Json(200, {{"url", ctx.media_links.Link(vod.id, expires_s)},
                                {"expires_at_ms", expires_s * 1000}});
              }});

  router.Add({"GET",
              "/v1/media/vods/{id}",
              Access::kPublic,
              BodyKind::kNone,
              0,
              {.summary = "The VOD's media through a signed link (Range supported)",
               .tag = "vods",
               .description = "Made by POST /v1/vods/{id}/media-link. A wrong, altered or "
                              "expired link answers 403.",
               .response_content_type = "application/octet-stream",
               .params = {{"exp", "query", "integer", "expiry, Unix seconds", true},
                          {"sig", "query", "string", "the link's signature", true},
                          {"Range", "header", "string", "bytes=START-END", false}},
               .errors = {403, 404}},
              [&ctx](Call& call) {
                const std::string& id = call.PathParam("id");
                std::optional<std::string> exp = call.Query("exp");
                std::optional<std::string> sig = call.Query("sig");
                std::int64_t expires_s = 0;
                const bool parsed = exp && !exp->empty() && exp->size() <= 12 &&
                                    std::all_of(exp->begin(), exp->end(),
                                                [](char c) { return c >= '0' && c <= '9'; });
                if (parsed) expires_s = std::stoll(*exp);
                if (!parsed || !sig ||
                    !ctx.media_links.Verify(id, expires_s, *sig, store::NowMs() / 1000)) {
                  throw ApiError(403, "forbidden", "this media link is wrong or has expired");
                }
                std::optional<VodRecord> vod = ValueOrThrow(ctx.vods.GetAnyUser(id));
                if (!vod || vod->status != "ready") throw NotFound("vod");
                // The browser may keep what it played while the link lasts (scrubbing back).
                call.res.headers.erase("Cache-Control");
                call.res.set_header("Cache-Control", "private, max-age=3600");
                ServeObject(call, ctx.objects, vod->media_key, MediaContentType(vod->media_key));
              }});

  router.Add({"PUT",
              "/v1/vods/{id}/chat",
              Access::kUser,
              BodyKind::kStream,
              ctx.options.max_chat_bytes,
              {.summary = "Attach a chat replay (Twitch JSON or text log)",
               .tag = "vods",
               .description = "A JSON body (Content-Type application/json) must parse; other "
                              "bodies are stored as text. Replaces an earlier replay.",
               .request_content_type = "application/json",
               .response_schema = "Vod",
               .errors = {400, 404, 413, 422}},
              [&ctx](Call& call) {
                VodRecord vod = OwnedVod(ctx, call);
                std::string data;
                call.StreamBody([&](const char* d, std::size_t n) {
                  data.append(d, n);
                  return true;
                });
                if (data.empty()) throw InvalidField("body", "empty chat replay");
                if (call.req.get_header_value("Content-Type").starts_with("application/json") &&
                    !nlohmann::json::accept(data)) {
                  throw BadRequest("body: chat replay is not JSON");
                }
                std::string key = VodChatKey(vod.id);
                ThrowIfError(ctx.objects.PutBytes(key, data).status());
                ThrowIfError(ctx.vods.SetChatKey(vod.id, key));
                call.Json(200, OwnedVod(ctx, call).ToJson());
              }});

  router.Add({"GET",
              "/v1/vods",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "List your VODs, newest first",
               .tag = "vods",
               .response_schema = "VodList",
               .params = {{"limit", "query", "integer", "1..100, default 20", false},
                          {"cursor", "query", "string", "next_cursor of the previous page", false}},
               .errors = {422}},
              [&ctx](Call& call) {
                PageRequest page = ParsePageRequest(call);
                std::optional<std::string> next;
                auto vods = ValueOrThrow(ctx.vods.List(call.user_id(), page, &next));
                call.Json(200, PageJson(vods, next));
              }});

  router.Add({"GET",
              "/v1/vods/{id}",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "One VOD (status, received_bytes to resume an upload)",
               .tag = "vods",
               .response_schema = "Vod",
               .errors = {404}},
              [&ctx](Call& call) { call.Json(200, OwnedVod(ctx, call).ToJson()); }});

  router.Add({"DELETE",
              "/v1/vods/{id}",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Delete a VOD with its jobs, moments, clips and files",
               .tag = "vods",
               .success_status = 204,
               .errors = {404}},
              [&ctx](Call& call) {
                VodRecord vod = OwnedVod(ctx, call);
                auto clips = ValueOrThrow(
                    ctx.db.Query("SELECT id FROM clips WHERE vod_id = $1 AND user_id = $2",
                                 {vod.id, vod.user_id}));
                if (!ValueOrThrow(ctx.vods.Delete(vod.id, call.user_id()))) throw NotFound("vod");
                for (const auto& row : clips)
                  (void)ctx.objects.RemovePrefix("clips/" + row.Text("id"));
                (void)ctx.objects.RemovePrefix("vods/" + vod.id);
                call.NoContent();
              }});

  router.Add(
      {"POST",
       "/v1/vods/{id}/analyze",
       Access::kUser,
       BodyKind::kJson,
       kVodBodyBytes,
       {.summary = "Queue an analysis job (moments; optionally renders the best ones)",
        .tag = "jobs",
        .description = "top: moments to find (1..50, default 5); render_top: how many of them to "
                       "render as clips when the analysis completes (0..top, default 3); "
                       "template_id: one of your templates (default: your settings' default). "
                       "Holds the price (the VOD's length per started 10 minutes, and "
                       "render_top renders; GET /v1/billing/quote tells it first); 402 when the "
                       "balance is short.",
        .request_schema = "AnalyzeRequest",
        .success_status = 202,
        .response_schema = "Job",
        .errors = {400, 402, 404, 409, 413, 422, 429},
        .request_example = {{"top", 5}, {"render_top", 3}}},
       [&ctx](Call& call) {
         VodRecord vod = OwnedVod(ctx, call);
         nlohmann::json body =
             call.Body().empty() ? nlohmann::json::object() : ParseJsonBody(call.Body());
         JsonFields f(body);
         std::int64_t top = f.OptionalInt("top", 1, 50).value_or(5);
         std::int64_t render_top =
             f.OptionalInt("render_top", 0, 50).value_or(std::min<std::int64_t>(3, top));
         std::optional<std::string> template_id =
             f.OptionalString("template_id", {.max_bytes = 64});
         f.RejectUnknown();
         if (render_top > top) throw InvalidField("render_top", "must not exceed top");
         if (vod.status != "ready")
           throw Conflict("the VOD is not ready (status " + vod.status + ")");
         if (!template_id)
           template_id =
               ValueOrThrow(ctx.templates.GetSettings(call.user_id())).default_template_id;
         if (template_id && !ValueOrThrow(ctx.templates.Get(*template_id, call.user_id()))) {
           throw InvalidField("template_id", "no such template");
         }
         nlohmann::json params = {
             {"top", top}, {"render_top", render_top}, {"has_chat", vod.chat_key.has_value()}};
         if (template_id) params["template_id"] = *template_id;
         // The price: the analysis by the VOD's length, and the renders it queues; held now,
         // charged as the analysis completes (billing/ledger.h).
         const billing::Prices& prices = ctx.options.billing.prices;
         const std::int64_t duration_ms = AnalysisPricingDurationMs(ctx, vod);
         const std::int64_t analysis_price = billing::AnalysisPriceCredits(prices, duration_ms);
         const std::int64_t price =
             billing::AnalysisWithRendersPriceCredits(prices, duration_ms, render_top);
         params["billing"] = {{"analysis_credits", analysis_price},
                              {"analysis_per_hour", prices.analysis_per_hour_credits},
                              {"priced_duration_ms", duration_ms}};
         QueuedRender queued;
         ThrowIfError(ctx.db.Transaction([&](store::Database& tx) -> Status {
           ASSIGN_OR_RETURN(queued, EnqueuePaid(tx, ctx,
                                                {.user_id = call.user_id(),
                                                 .kind = "analyze",
                                                 .vod_id = vod.id,
                                                 .params = params},
                                                price, "analysis of '" + vod.title + "'"));
           return Status::Ok();
         }));
         if (queued.over_quota) throw queued.over_quota->ToError();
         if (queued.job_id.empty()) {
           throw PaymentRequired(
               queued.reserved.balance, price,
               "analysing this VOD" +
                   (render_top > 0 ? " and rendering " + std::to_string(render_top) + " clips"
                                   : std::string()));
         }
         const std::string& job_id = queued.job_id;
         JobRecord job = FoundOrThrow(JobRepository(ctx.db).Get(job_id, call.user_id()), "job");
         call.Json(202, job.ToJson());
       }});

  router.Add({"GET",
              "/v1/vods/{id}/moments",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "The VOD's moments, best first",
               .tag = "vods",
               .response_schema = "MomentList",
               .errors = {404}},
              [&ctx](Call& call) {
                VodRecord vod = OwnedVod(ctx, call);
                nlohmann::json items = nlohmann::json::array();
                for (const auto& m :
                     ValueOrThrow(ClipRepository::ListMoments(ctx.db, vod.id, call.user_id()))) {
                  items.push_back(m.ToJson());
                }
                call.Json(200, {{"items", std::move(items)}});
              }});

  router.Add({"DELETE",
              "/v1/vods/{id}/moments/{moment_id}",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Discard one of the VOD's moments",
               .tag = "vods",
               .description = "The moment leaves the list; clips already made from it stay.",
               .success_status = 204,
               .errors = {404}},
              [&ctx](Call& call) {
                VodRecord vod = OwnedVod(ctx, call);
                if (!ValueOrThrow(ClipRepository::DeleteMoment(ctx.db, call.PathParam("moment_id"),
                                                               vod.id, call.user_id()))) {
                  throw NotFound("moment");
                }
                call.NoContent();
              }});
}

}  // namespace clipthat::api
