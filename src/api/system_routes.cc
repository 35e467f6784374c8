// Health, the formats' limits, the OpenAPI document and its HTML rendering.
#include "api/api_context.h"
#include "api/format_checks.h"
#include "api/openapi.h"
#include "formats/format_limits.h"

namespace clipthat::api {

void RegisterSystemRoutes(Router& router, ApiContext& ctx, const nlohmann::json& openapi) {
  router.Add({"GET",
              "/healthz",
              Access::kPublic,
              BodyKind::kNone,
              0,
              {.summary = "200 when the database answers, 503 otherwise",
               .tag = "system",
               .response_schema = "Health"},
              [&ctx](Call& call) {
                Status st = ctx.db.Ping();
                if (!st.ok()) {
                  CT_LOG(call.log(), kWarn) << "health check: " << st.ToString();
                  call.Json(503, {{"status", "unavailable"}, {"database", "unavailable"}});
                  return;
                }
                call.Json(200, {{"status", "ok"}, {"database", "ok"}});
              }});
  router.Add({"GET",
              "/v1/formats/limits",
              Access::kPublic,
              BodyKind::kNone,
              0,
              {.summary = "Every limit of edit lists and brand templates",
               .tag = "system",
               .description = "The numbers the API and the renderer check (src/formats), for "
                              "editors to bound their inputs with; plus the largest logo upload."},
              [](Call& call) {
                nlohmann::json limits = formats::FormatLimitsToJson();
                limits["logo_upload_max_bytes"] = kMaxLogoUploadBytes;
                call.Json(200, limits);
              }});
  router.Add({"GET",
              "/v1/openapi.json",
              Access::kPublic,
              BodyKind::kNone,
              0,
              {.summary = "This API's OpenAPI 3 document",
               .tag = "system",
               .response_schema = "OpenApiDocument"},
              [&openapi](Call& call) { call.Json(200, openapi); }});
  router.Add({"GET",
              "/docs",
              Access::kPublic,
              BodyKind::kNone,
              0,
              {.summary = "The API reference as a web page",
               .tag = "system",
               .response_content_type = "text/html"},
              [&openapi](Call& call) {
                call.res.status = 200;
                call.res.set_content(RenderDocsHtml(openapi), "text/html; charset=utf-8");
              }});
}

}  // namespace clipthat::api
