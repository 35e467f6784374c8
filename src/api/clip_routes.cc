// Clips: list, get, create (from a moment or an edit list), edit, render, download, thumbnail,
// delete.
#include "api/api_context.h"
#include "api/api_error.h"
#include "api/clip_repository.h"
#include "api/format_checks.h"
#include "api/job_repository.h"
#include "api/json_fields.h"

namespace clipthat::api {
namespace {

constexpr std::size_t kClipBodyBytes = 4 << 20;  // edit lists carry every caption word

// What an edit list for `vod` is checked against: the built-in templates, the VOD's length
// and frame size once analysis has measured them.
EditListContext EditListContextFor(const ApiContext& ctx, const VodRecord& vod) {
  return {ctx.options.template_dirs,
          {"the VOD", vod.duration_ms.value_or(0), static_cast<int>(vod.width.value_or(0)),
           static_cast<int>(vod.height.value_or(0))}};
}

ClipRecord OwnedClip(ApiContext& ctx, Call& call) {
  return FoundOrThrow(ClipRepository::Get(ctx.db, call.PathParam("id"), call.user_id()), "clip");
}

}  // namespace

nlohmann::json EditListFromMoment(const MomentRecord& moment) {
  nlohmann::json data = nlohmann::json::parse(moment.data, nullptr, false);
  nlohmann::json words = nlohmann::json::array();
  if (data.is_object() && data.contains("words") && data["words"].is_array()) {
    for (const auto& w : data["words"]) {
      if (!w.is_object() || !w.contains("text") || !w["text"].is_string() ||
          !w.contains("start_ms") || !w["start_ms"].is_number_integer() || !w.contains("end_ms") ||
          !w["end_ms"].is_number_integer()) {
        continue;
      }
      std::int64_t s = w["start_ms"], e = w["end_ms"];
      if (e <= moment.start_ms || s >= moment.end_ms || e < s) continue;  // outside the clip
      words.push_back({{"text", w["text"]}, {"start_ms", s}, {"end_ms", e}});
    }
  }
  nlohmann::json edit = {{"version", 1},
                         {"source", ""},
                         {"start_ms", moment.start_ms},
                         {"end_ms", moment.end_ms},
                         {"layout", {{"mode", "auto"}}},
                         {"captions", {{"enabled", true}, {"words", std::move(words)}}},
                         {"title", moment.title}};
  if (data.is_object() && data.contains("id") && data["id"].is_number_integer()) {
    edit["moment_id"] = data["id"];
  }
  return edit;
}

Result<QueuedRender> QueueRender(store::Database& tx, ApiContext& ctx, const ClipRecord& clip) {
  nlohmann::json params = {{"clip_id", clip.id},
                           {"edit_list", nlohmann::json::parse(clip.edit_list, nullptr, false)}};
  if (clip.template_id) {
    TemplateRepository templates(tx);
    ASSIGN_OR_RETURN(auto tpl, templates.Get(*clip.template_id, clip.user_id));
    if (tpl) params["template"] = nlohmann::json::parse(tpl->document, nullptr, false);
  }
  const std::string title = clip.title.empty() ? clip.id : "'" + clip.title + "'";
  return EnqueuePaid(
      tx, ctx,
      {.user_id = clip.user_id,
       .kind = "render",
       .vod_id = clip.vod_id,
       .clip_id = clip.id,
       .params = std::move(params)},
      ctx.options.billing.prices.render_clip_credits, "render of clip " + title,
      [&] { return ClipRepository::SetStatus(tx, clip.id, "rendering", std::nullopt); });
}

void RegisterClipRoutes(Router& router, ApiContext& ctx) {
  router.Add({"GET",
              "/v1/clips",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "List your clips, newest first (without edit lists)",
               .tag = "clips",
               .response_schema = "ClipList",
               .params = {{"limit", "query", "integer", "1..100, default 20", false},
                          {"cursor", "query", "string", "next_cursor of the previous page", false},
                          {"vod_id", "query", "string", "only this VOD's clips", false}},
               .errors = {422}},
              [&ctx](Call& call) {
                PageRequest page = ParsePageRequest(call);
                std::string vod_id = call.Query("vod_id").value_or("");
                if (vod_id.size() > 64) throw InvalidField("vod_id", "too long");
                std::optional<std::string> next;
                auto clips =
                    ValueOrThrow(ClipRepository::List(ctx.db, call.user_id(), vod_id, page, &next));
                // Written as text: the list is the hottest read, and a JSON tree per clip
                // would cost an allocation per field.
                std::string body = "{\"items\":[";
                body.reserve(clips.size() * 400 + 64);
                for (std::size_t i = 0; i < clips.size(); ++i) {
                  if (i > 0) body += ',';
                  clips[i].AppendSummaryJson(body);
                }
                body += "],\"next_cursor\":";
                body += next ? nlohmann::json(*next).dump() : std::string("null");
                body += '}';
                call.res.status = 200;
                call.res.set_content(std::move(body), "application/json");
              }});

  router.Add({"GET",
              "/v1/clips/{id}",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "One clip with its edit list",
               .tag = "clips",
               .response_schema = "Clip",
               .errors = {404}},
              [&ctx](Call& call) { call.Json(200, OwnedClip(ctx, call).ToJson()); }});

  router.Add(
      {"POST",
       "/v1/clips",
       Access::kUser,
       BodyKind::kJson,
       kClipBodyBytes,
       {.summary = "Create a clip from a moment or an edit list",
        .tag = "clips",
        .description = "vod_id is required; edit_list (checked structurally: times, layout "
                       "names, caption words) or moment_id (the edit list is made from the "
                       "moment) or both. The renderer checks the rest when the clip renders.",
        .request_schema = "CreateClipRequest",
        .success_status = 201,
        .response_schema = "Clip",
        .errors = {400, 413, 422},
        .request_example = {{"vod_id", "9f0c..."},
                            {"edit_list",
                             {{"version", 1},
                              {"start_ms", 61000},
                              {"end_ms", 91000},
                              {"layout", {{"mode", "fill"}}}}}}},
       [&ctx](Call& call) {
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         std::string vod_id = f.RequiredString("vod_id", {.max_bytes = 64});
         std::optional<std::string> moment_id = f.OptionalString("moment_id", {.max_bytes = 64});
         const nlohmann::json* edit = f.OptionalObject("edit_list");
         std::optional<std::string> title =
             f.OptionalString("title", {.max_bytes = 300, .allow_empty = true});
         std::optional<std::string> template_id =
             f.OptionalString("template_id", {.max_bytes = 64});
         f.RejectUnknown();
         std::optional<VodRecord> vod = ValueOrThrow(ctx.vods.Get(vod_id, call.user_id()));
         if (!vod) throw InvalidField("vod_id", "no such VOD");
         std::optional<MomentRecord> moment;
         if (moment_id) {
           moment = ValueOrThrow(ClipRepository::GetMoment(ctx.db, *moment_id, call.user_id()));
           if (!moment || moment->vod_id != vod_id) {
             throw InvalidField("moment_id", "no such moment of this VOD");
           }
         }
         if (template_id && !ValueOrThrow(ctx.templates.Get(*template_id, call.user_id()))) {
           throw InvalidField("template_id", "no such template");
         }
         nlohmann::json edit_list;
         if (edit) {
           edit_list = CheckEditList(*edit, "edit_list", EditListContextFor(ctx, *vod));
         } else if (moment) {
           edit_list = EditListFromMoment(*moment);
         } else {
           throw InvalidField("edit_list", "required (or give moment_id)");
         }
         ClipRecord clip;
         clip.id = store::NewId();
         clip.user_id = call.user_id();
         clip.vod_id = vod_id;
         clip.moment_id = moment_id;
         clip.status = "pending";
         clip.edit_list = edit_list.dump();
         clip.template_id = template_id;
         clip.title = title ? *title
                            : (edit_list.contains("title") && edit_list["title"].is_string()
                                   ? edit_list["title"].get<std::string>()
                                   : std::string());
         clip.created_at_ms = clip.updated_at_ms = store::NowMs();
         ThrowIfError(ClipRepository::Insert(ctx.db, clip));
         call.Json(201, clip.ToJson());
       }});

  router.Add({"PATCH",
              "/v1/clips/{id}",
              Access::kUser,
              BodyKind::kJson,
              kClipBodyBytes,
              {.summary = "Edit a clip's edit list, title and/or brand template",
               .tag = "clips",
               .description = "Changes take effect at the next render (POST "
                              "/v1/clips/{id}/render).",
               .request_schema = "UpdateClipRequest",
               .response_schema = "Clip",
               .errors = {400, 404, 409, 413, 422},
               .request_example = {{"title", "The 1v5 clutch"}}},
              [&ctx](Call& call) {
                ClipRecord clip = OwnedClip(ctx, call);
                nlohmann::json body = call.JsonBody();
                JsonFields f(body);
                const nlohmann::json* edit = f.OptionalObject("edit_list");
                std::optional<std::string> title =
                    f.OptionalString("title", {.max_bytes = 300, .allow_empty = true});
                // A brand template of the user's ("" returns the clip to its edit list's template).
                std::optional<std::string> template_id =
                    f.OptionalString("template_id", {.max_bytes = 64, .allow_empty = true});
                f.RejectUnknown();
                if (!edit && !title && !template_id) {
                  throw InvalidField("body", "give edit_list, title and/or template_id");
                }
                if (template_id && !template_id->empty() &&
                    !ValueOrThrow(ctx.templates.Get(*template_id, call.user_id()))) {
                  throw InvalidField("template_id", "no such template");
                }
                std::optional<std::string> edit_text;
                if (edit) {
                  if (clip.vod_id.empty()) {
                    throw Conflict("a live clip has no VOD to edit its window against");
                  }
                  std::optional<VodRecord> vod =
                      ValueOrThrow(ctx.vods.Get(clip.vod_id, call.user_id()));
                  if (!vod) throw NotFound("clip");
                  edit_text =
                      CheckEditList(*edit, "edit_list", EditListContextFor(ctx, *vod)).dump();
                }
                if (!ValueOrThrow(ClipRepository::Update(ctx.db, clip.id, call.user_id(), edit_text,
                                                         title, template_id))) {
                  throw NotFound("clip");
                }
                call.Json(200, OwnedClip(ctx, call).ToJson());
              }});

  router.Add({"POST",
              "/v1/clips/{id}/render",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Queue a render job for the clip",
               .tag = "clips",
               .description = "Holds the render's price (billing.price.render_clip credits) "
                              "until the render ends: charged when it succeeds, returned when "
                              "it fails for good or is cancelled. 402 when the balance is short.",
               .success_status = 202,
               .response_schema = "Job",
               .errors = {402, 404, 409, 429}},
              [&ctx](Call& call) {
                ClipRecord clip = OwnedClip(ctx, call);
                if (clip.status == "rendering") throw Conflict("the clip is already rendering");
                if (clip.vod_id.empty()) {
                  throw Conflict(
                      "a live clip was rendered by its live job and has no VOD to "
                      "render again from");
                }
                QueuedRender queued;
                ThrowIfError(ctx.db.Transaction([&](store::Database& tx) -> Status {
                  ASSIGN_OR_RETURN(queued, QueueRender(tx, ctx, clip));
                  return Status::Ok();
                }));
                if (queued.over_quota) throw queued.over_quota->ToError();
                if (queued.job_id.empty()) {
                  throw PaymentRequired(queued.reserved.balance, queued.reserved.price,
                                        "rendering this clip");
                }
                const std::string& job_id = queued.job_id;
                JobRecord job =
                    FoundOrThrow(JobRepository(ctx.db).Get(job_id, call.user_id()), "job");
                call.Json(202, job.ToJson());
              }});

  router.Add({"GET",
              "/v1/clips/{id}/download",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "The rendered MP4 (Range supported)",
               .tag = "clips",
               .response_content_type = "video/mp4",
               .params = {{"Range", "header", "string", "bytes=START-END", false}},
               .errors = {404}},
              [&ctx](Call& call) {
                ClipRecord clip = OwnedClip(ctx, call);
                if (!clip.output_key) throw NotFound("rendered clip");
                call.res.set_header("Content-Disposition",
                                    "attachment; filename=\"clip-" + clip.id + ".mp4\"");
                ServeObject(call, ctx.objects, *clip.output_key, "video/mp4");
              }});

  router.Add({"GET",
              "/v1/clips/{id}/thumbnail",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "The clip's thumbnail JPEG (Range supported)",
               .tag = "clips",
               .response_content_type = "image/jpeg",
               .errors = {404}},
              [&ctx](Call& call) {
                ClipRecord clip = OwnedClip(ctx, call);
                if (!clip.thumbnail_key) throw NotFound("thumbnail");
                ServeObject(call, ctx.objects, *clip.thumbnail_key, "image/jpeg");
              }});

  router.Add({"DELETE",
              "/v1/clips/{id}",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Delete a clip and its files",
               .tag = "clips",
               .success_status = 204,
               .errors = {404}},
              [&ctx](Call& call) {
                ClipRecord clip = OwnedClip(ctx, call);
                if (!ValueOrThrow(ClipRepository::Delete(ctx.db, clip.id, call.user_id()))) {
                  throw NotFound("clip");
                }
                (void)ctx.objects.RemovePrefix("clips/" + clip.id);
                call.NoContent();
              }});
}

}  // namespace clipthat::api
