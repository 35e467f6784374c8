// Brand templates (CRUD), their logos and the per-user settings record.
#include "api/api_context.h"
#include "api/api_error.h"
#include "api/format_checks.h"
#include "api/json_fields.h"
#include "api/text_checks.h"
#include "core/files.h"
#include "formats/brand_template.h"

namespace clipthat::api {
namespace {

constexpr std::size_t kTemplateBodyBytes = 256 << 10;

struct TemplateInput {
  std::string name;
  std::string document;
};

TemplateInput ReadTemplate(ApiContext& ctx, Call& call) {
  nlohmann::json body = call.JsonBody();
  JsonFields f(body);
  TemplateInput in;
  in.name = f.RequiredString("name", {.max_bytes = 100});
  const nlohmann::json* doc = f.OptionalObject("document");
  f.RejectUnknown();
  if (!doc) throw InvalidField("document", "required");
  CheckTemplateDocument(*doc, "document", ctx.objects, call.user_id());
  in.document = doc->dump();
  return in;
}

// A model server URL a user gives is a URL the server may later request on the user's behalf:
// its host must pass the same address policy as URL imports (core/address_policy.h). Whatever
// connects to it resolves, checks and pins again (core/host_resolver.h).
void CheckUserBaseUrl(const ApiContext& ctx, const std::string& url) {
  HttpUrlParts parts;
  if (!ParseHttpUrl(url, &parts)) {
    throw InvalidField("ai.base_url", "expected an http:// or https:// URL");
  }
  Result<IpAddress> allowed = ResolveAllowedAddress(parts.host, ctx.url_policy, ctx.url_resolver);
  if (!allowed.ok()) throw InvalidField("ai.base_url", allowed.status().message());
}

}  // namespace

void RegisterTemplateRoutes(Router& router, ApiContext& ctx) {
  nlohmann::json example = {{"name", "Neon"},
                            {"document",
                             {{"version", 1},
                              {"captions", {{"preset", "neon"}}},
                              {"default_layout", "split"},
                              {"accent_color", "#FFD400"}}}};
  router.Add({"GET",
              "/v1/templates",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "List your brand templates",
               .tag = "templates",
               .response_schema = "TemplateList"},
              [&ctx](Call& call) {
                nlohmann::json items = nlohmann::json::array();
                for (const auto& t : ValueOrThrow(ctx.templates.List(call.user_id()))) {
                  items.push_back(t.ToJson());
                }
                call.Json(200, {{"items", std::move(items)}});
              }});

  router.Add({"POST",
              "/v1/templates",
              Access::kUser,
              BodyKind::kJson,
              kTemplateBodyBytes,
              {.summary = "Create a brand template",
               .tag = "templates",
               .description = "The document is checked structurally (known fields, types, "
                              "version 1); fonts and the logo are checked when a clip renders.",
               .request_schema = "TemplateRequest",
               .success_status = 201,
               .response_schema = "Template",
               .errors = {400, 413, 422},
               .request_example = example},
              [&ctx](Call& call) {
                TemplateInput in = ReadTemplate(ctx, call);
                TemplateRecord t{store::NewId(), call.user_id(), in.name,
                                 in.document,    store::NowMs(), 0};
                t.updated_at_ms = t.created_at_ms;
                ThrowIfError(ctx.templates.Insert(t));
                call.Json(201, t.ToJson());
              }});

  router.Add({"GET",
              "/v1/templates/{id}",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "One brand template",
               .tag = "templates",
               .response_schema = "Template",
               .errors = {404}},
              [&ctx](Call& call) {
                auto t = FoundOrThrow(ctx.templates.Get(call.PathParam("id"), call.user_id()),
                                      "template");
                call.Json(200, t.ToJson());
              }});

  router.Add({"PUT",
              "/v1/templates/{id}",
              Access::kUser,
              BodyKind::kJson,
              kTemplateBodyBytes,
              {.summary = "Replace a brand template",
               .tag = "templates",
               .request_schema = "TemplateRequest",
               .response_schema = "Template",
               .errors = {400, 404, 413, 422},
               .request_example = example},
              [&ctx](Call& call) {
                const std::string& id = call.PathParam("id");
                if (!ValueOrThrow(ctx.templates.Get(id, call.user_id())))
                  throw NotFound("template");
                TemplateInput in = ReadTemplate(ctx, call);
                if (!ValueOrThrow(ctx.templates.Update(id, call.user_id(), in.name, in.document))) {
                  throw NotFound("template");
                }
                auto t = FoundOrThrow(ctx.templates.Get(id, call.user_id()), "template");
                call.Json(200, t.ToJson());
              }});

  router.Add({"DELETE",
              "/v1/templates/{id}",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Delete a brand template",
               .tag = "templates",
               .success_status = 204,
               .errors = {404}},
              [&ctx](Call& call) {
                if (!ValueOrThrow(ctx.templates.Delete(call.PathParam("id"), call.user_id()))) {
                  throw NotFound("template");
                }
                call.NoContent();
              }});

  router.Add({"GET",
              "/v1/settings",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Your settings (default template, AI backend)",
               .tag = "settings",
               .response_schema = "Settings"},
              [&ctx](Call& call) {
                call.Json(200, ValueOrThrow(ctx.templates.GetSettings(call.user_id())).ToJson());
              }});

  router.Add({"PUT",
              "/v1/settings",
              Access::kUser,
              BodyKind::kJson,
              64 << 10,
              {.summary = "Change your settings",
               .tag = "settings",
               .description = "Fields left out keep their value; default_template_id null "
                              "clears it and must otherwise name one of your templates; "
                              "ai.base_url must resolve to public addresses only.",
               .request_schema = "SettingsRequest",
               .response_schema = "Settings",
               .errors = {400, 413, 422},
               .request_example = {{"ai",
                                    {{"speech_backend", "remote"},
                                     {"base_url", "https://models.example.com/v1"},
                                     {"model", "whisper-1"}}}}},
              [&ctx](Call& call) {
                nlohmann::json body = call.JsonBody();
                JsonFields f(body);
                SettingsRecord s = ValueOrThrow(ctx.templates.GetSettings(call.user_id()));
                bool has_default = body.is_object() && body.contains("default_template_id");
                std::optional<std::string> tpl =
                    f.OptionalString("default_template_id", {.max_bytes = 64});
                const nlohmann::json* ai = f.OptionalObject("ai");
                f.RejectUnknown();
                if (has_default) {
                  if (tpl && !ValueOrThrow(ctx.templates.Get(*tpl, call.user_id()))) {
                    throw InvalidField("default_template_id", "no such template");
                  }
                  s.default_template_id = tpl;
                }
                if (ai) {
                  CheckAiSettings(*ai, "ai");
                  if (const auto url = ai->find("base_url"); url != ai->end()) {
                    CheckUserBaseUrl(ctx, url->get<std::string>());
                  }
                  s.ai = ai->dump();
                }
                s.updated_at_ms = store::NowMs();
                ThrowIfError(ctx.templates.PutSettings(call.user_id(), s));
                call.Json(200, s.ToJson());
              }});

  router.Add({"PUT",
              "/v1/logos/{name}",
              Access::kUser,
              BodyKind::kStream,
              kMaxLogoUploadBytes,
              {.summary = "Upload a logo for your templates (PNG or JPEG, at most 2 MiB)",
               .tag = "templates",
               .description = "A template's logo.path names it. The image is checked as the "
                              "renderer reads it; one that is not refused with 422 and not kept. "
                              "Uploading a name again replaces it.",
               .request_content_type = "image/png",
               .errors = {400, 413, 422}},
              [&ctx](Call& call) {
                const std::string& name = call.PathParam("name");
                const std::string key = LogoObjectKey(call.user_id(), name);
                ThrowIfError(ctx.objects.Remove(key));
                AppendedBody appended = AppendBodyToObject(call, ctx.objects, key, 0);
                ThrowIfError(appended.status);
                if (appended.end_offset == 0) throw InvalidField("body", "empty file");
                TempDir scratch("clipthat-logo");
                const std::filesystem::path file = scratch.path() / "logo";
                ThrowIfError(WriteFileAtomically(file, ValueOrThrow(ctx.objects.ReadAll(key))));
                Result<formats::ImageSize> image = formats::CheckLogoImage(file);
                if (!image.ok()) {
                  ThrowIfError(ctx.objects.Remove(key));
                  throw InvalidField("body",
                                     "not an image the renderer can read (PNG or JPEG, "
                                     "at most 8192x8192 pixels)");
                }
                call.Json(200, {{"name", name},
                                {"size_bytes", appended.end_offset},
                                {"width", image->width},
                                {"height", image->height}});
              }});

  router.Add({"GET",
              "/v1/logos/{name}",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Download one of your logos",
               .tag = "templates",
               .response_content_type = "application/octet-stream",
               .errors = {404}},
              [&ctx](Call& call) {
                const std::string key = LogoObjectKey(call.user_id(), call.PathParam("name"));
                if (!ctx.objects.Size(key).ok()) throw NotFound("logo");
                ServeObject(call, ctx.objects, key, "application/octet-stream");
              }});
}

}  // namespace clipthat::api
