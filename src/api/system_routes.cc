// Health, the formats' limits, the OpenAPI document and its HTML rendering.
#include <filesystem>
#include <set>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/format_checks.h"
#include "api/json_fields.h"
#include "api/openapi.h"
#include "captions/caption_style.h"
#include "captions/karaoke_ass.h"
#include "captions/word_grouping.h"
#include "formats/format_limits.h"

namespace clipthat::api {
namespace {

constexpr std::size_t kCaptionPreviewBodyBytes = 2 << 20;
constexpr std::size_t kCaptionPreviewMaxWords = 20000;

// A caption style's JSON read and checked as the renderer does; 422 naming the field otherwise.
captions::CaptionStyle CheckedCaptionStyle(const nlohmann::json& doc) {
  Result<captions::CaptionStyle> style = captions::CaptionStyleFromJson(doc, "style");
  if (!style.ok()) throw ApiError(422, "invalid_field", style.status().message());
  Status valid = captions::ValidateCaptionStyle(*style, "style");
  if (!valid.ok()) throw ApiError(422, "invalid_field", valid.message());
  return *std::move(style);
}

std::vector<captions::CaptionWord> PreviewWords(const nlohmann::json& words) {
  if (words.size() > kCaptionPreviewMaxWords) {
    throw InvalidField("words", "more than " + std::to_string(kCaptionPreviewMaxWords) + " words");
  }
  std::vector<captions::CaptionWord> out;
  out.reserve(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string at = "words[" + std::to_string(i) + "]";
    if (!words[i].is_object()) throw InvalidField(at, "expected an object");
    JsonFields f(words[i], at);
    captions::CaptionWord w;
    w.text = f.RequiredString("text", {.max_bytes = 200, .allow_empty = true});
    w.start_ms = f.RequiredInt("start_ms", 0, 604'800'000);
    w.end_ms = f.RequiredInt("end_ms", 0, 604'800'000);
    f.OptionalNumber("confidence", 0, 1);
    f.RejectUnknown();
    if (w.end_ms < w.start_ms) throw InvalidField(at + ".end_ms", "before start_ms");
    out.push_back(std::move(w));
  }
  return out;
}

nlohmann::json LinesJson(const std::vector<captions::CaptionLine>& lines) {
  nlohmann::json out = nlohmann::json::array();
  for (const captions::CaptionLine& line : lines) {
    nlohmann::json words = nlohmann::json::array();
    for (const captions::CaptionWord& w : line.words) {
      words.push_back({{"text", w.text}, {"start_ms", w.start_ms}, {"end_ms", w.end_ms}});
    }
    out.push_back({{"block", line.block},
                   {"start_ms", line.start_ms},
                   {"end_ms", line.end_ms},
                   {"words", std::move(words)}});
  }
  return out;
}

// The ids of the built-in templates an edit list's "template" may name: every "<id>.json" in
// the template folders, sorted, each once.
std::vector<std::string> BuiltinTemplateIds(const std::vector<std::string>& dirs) {
  std::set<std::string> ids;
  for (const std::string& dir : dirs) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".json" && entry.is_regular_file(ec)) {
        ids.insert(entry.path().stem().string());
      }
    }
  }
  return {ids.begin(), ids.end()};
}

}  // namespace

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
              {.summary = "Every limit of edit lists, brand templates and moments documents",
               .tag = "system",
               .description = "The numbers the API and the renderer check (src/formats), for "
                              "editors to bound their inputs with; plus the largest logo upload "
                              "and the built-in template ids (builtin_templates)."},
              [&ctx](Call& call) {
                nlohmann::json limits = formats::FormatLimitsToJson();
                limits["logo_upload_max_bytes"] = kMaxLogoUploadBytes;
                limits["builtin_templates"] = BuiltinTemplateIds(ctx.options.template_dirs);
                call.Json(200, limits);
              }});
  router.Add({"GET",
              "/v1/formats/caption-presets",
              Access::kPublic,
              BodyKind::kNone,
              0,
              {.summary = "The built-in caption presets, every field",
               .tag = "system",
               .description = "{\"presets\": {name: style}, \"karaoke\": the highlight's "
                              "timing}: what the renderer starts from, for an editor's preview "
                              "(docs/captions.md)."},
              [](Call& call) {
                nlohmann::json presets = nlohmann::json::object();
                for (const std::string& name : captions::CaptionPresetNames()) {
                  presets[name] =
                      captions::CaptionStyleToJson(ValueOrThrow(captions::CaptionPreset(name)));
                }
                call.Json(200, {{"presets", std::move(presets)},
                                {"karaoke",
                                 {{"highlight_hold_ms", captions::kHighlightHoldMs},
                                  {"pop_up_ms", captions::kPopUpMs},
                                  {"pop_down_ms", captions::kPopDownMs}}},
                                {"reference_width_px", captions::kReferenceWidthPx},
                                {"reference_height_px", captions::kReferenceHeightPx}});
              }});
  router.Add(
      {"POST",
       "/v1/captions/layout",
       Access::kUser,
       BodyKind::kJson,
       kCaptionPreviewBodyBytes,
       {.summary = "Caption lines as the renderer would show them",
        .tag = "system",
        .description = "{\"style\": caption style, \"words\": [{text, start_ms, end_ms}]} -> "
                       "the style with every field resolved, and the words grouped into lines "
                       "and blocks by the renderer's own grouping (captions/word_grouping.h), "
                       "so an editor's preview breaks lines where the clip will.",
        .request_schema = "CaptionLayoutRequest",
        .response_schema = "CaptionLayout",
        .errors = {400, 413, 422},
        .request_example = {{"style", {{"preset", "bold"}}},
                            {"words", {{{"text", "no"}, {"start_ms", 1000}, {"end_ms", 1200}}}}}},
       [](Call& call) {
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         const nlohmann::json* style_doc = f.OptionalObject("style");
         const nlohmann::json* words_doc = f.OptionalArray("words");
         f.RejectUnknown();
         captions::CaptionStyle style =
             CheckedCaptionStyle(style_doc ? *style_doc : nlohmann::json::object());
         std::vector<captions::CaptionWord> words =
             words_doc ? PreviewWords(*words_doc) : std::vector<captions::CaptionWord>{};
         call.Json(200, {{"style", captions::CaptionStyleToJson(style)},
                         {"max_chars_per_line", captions::MaxCharsPerLine(style)},
                         {"lines", LinesJson(captions::GroupWords(words, style))}});
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
