#include "api/document_checks.h"

#include "api/api_error.h"
#include "api/json_fields.h"
#include "api/text_checks.h"
#include "store/object_store.h"

namespace clipthat::api {
namespace {
constexpr std::int64_t kMaxMs = 7LL * 24 * 3600 * 1000;  // a week of source time

bool IsOneOf(const std::string& v, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (v == n) return true;
  }
  return false;
}

void CheckRect(const nlohmann::json& j, const std::string& path) {
  JsonFields f(j, path);
  f.RequiredInt("x", 0, 16384);
  f.RequiredInt("y", 0, 16384);
  f.RequiredInt("width", 1, 16384);
  f.RequiredInt("height", 1, 16384);
  f.RejectUnknown();
}

void CheckColor(JsonFields& f, std::string_view name) {
  if (auto c = f.OptionalString(name, {.max_bytes = 9}); c && !IsHexColor(*c)) {
    throw InvalidField(f.FieldPath(name), "expected #RRGGBB or #RRGGBBAA");
  }
}

void CheckIdentifier(JsonFields& f, std::string_view name) {
  const auto id_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  };
  if (auto v = f.OptionalString(name, {.max_bytes = 64}); v && !CharsWithin(*v, 1, 64, id_char)) {
    throw InvalidField(f.FieldPath(name), "expected 1-64 characters of a-z, 0-9, '_' or '-'");
  }
}
}  // namespace

bool LooksLikeHttpUrl(const std::string& url) {
  if (url.size() > 2000) return false;
  for (unsigned char c : url) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  HttpUrlParts parts;
  return ParseHttpUrl(url, &parts);
}

nlohmann::json CheckEditList(const nlohmann::json& doc, const std::string& path) {
  JsonFields f(doc, path);
  if (auto v = f.OptionalInt("version", 1, 1); !v && f.Has("version")) {
    throw InvalidField(f.FieldPath("version"), "expected 1");
  }
  f.OptionalString("source", {.max_bytes = 4096, .allow_empty = true});
  std::int64_t start = f.RequiredInt("start_ms", 0, kMaxMs);
  std::int64_t end = f.RequiredInt("end_ms", 0, kMaxMs);
  if (end <= start) throw InvalidField(f.FieldPath("end_ms"), "not after start_ms");
  if (end - start < 1000 || end - start > 180000) {
    throw InvalidField(f.FieldPath("end_ms"), "clip length must be 1000..180000 ms");
  }
  if (const auto* out = f.OptionalObject("output")) {
    JsonFields o(*out, f.FieldPath("output"));
    for (const char* dim : {"width", "height"}) {
      if (auto v = o.OptionalInt(dim, 16, 4096); v && *v % 2 != 0) {
        throw InvalidField(o.FieldPath(dim), "must be even");
      }
    }
    o.OptionalInt("fps", 1, 120);
    o.RejectUnknown();
  }
  if (const auto* layout = f.OptionalObject("layout")) {
    JsonFields l(*layout, f.FieldPath("layout"));
    if (auto mode = l.OptionalString("mode", {.max_bytes = 16});
        mode && !IsOneOf(*mode, {"auto", "fill", "split", "fit"})) {
      throw InvalidField(l.FieldPath("mode"), "'" + *mode + "' is not auto, fill, split or fit");
    }
    if (const auto* r = l.OptionalObject("facecam")) CheckRect(*r, l.FieldPath("facecam"));
    if (const auto* r = l.OptionalObject("gameplay")) CheckRect(*r, l.FieldPath("gameplay"));
    l.RejectUnknown();
  }
  if (const auto* keys = f.OptionalArray("crop_keyframes")) {
    if (keys->size() > 10000) throw InvalidField(f.FieldPath("crop_keyframes"), "more than 10000");
    for (std::size_t i = 0; i < keys->size(); ++i) {
      JsonFields k((*keys)[i], f.FieldPath("crop_keyframes[" + std::to_string(i) + "]"));
      k.RequiredInt("t_ms", 0, kMaxMs);
      for (const char* n : {"x", "y", "width", "height"}) {
        if (!k.OptionalNumber(n, 0, 16384)) throw InvalidField(k.FieldPath(n), "required");
      }
      k.RejectUnknown();
    }
  }
  if (const auto* captions = f.OptionalObject("captions")) {
    JsonFields c(*captions, f.FieldPath("captions"));
    c.OptionalBool("enabled");
    c.OptionalObject("style");
    if (const auto* words = c.OptionalArray("words")) {
      if (words->size() > 20000) throw InvalidField(c.FieldPath("words"), "more than 20000");
      for (std::size_t i = 0; i < words->size(); ++i) {
        JsonFields w((*words)[i], c.FieldPath("words[" + std::to_string(i) + "]"));
        w.RequiredString("text", {.max_bytes = 200});
        std::int64_t ws = w.RequiredInt("start_ms", 0, kMaxMs);
        std::int64_t we = w.RequiredInt("end_ms", 0, kMaxMs);
        if (we < ws) throw InvalidField(w.FieldPath("end_ms"), "before start_ms");
        w.OptionalNumber("confidence", 0, 1);
        w.RejectUnknown();
      }
    }
    c.RejectUnknown();
  }
  f.OptionalString("title", {.max_bytes = 300, .allow_empty = true});
  CheckIdentifier(f, "template");
  f.OptionalInt("moment_id", 0, 1000000);
  f.RejectUnknown();
  nlohmann::json stored = doc;
  stored["version"] = 1;
  stored["source"] = "";
  return stored;
}

void CheckTemplateDocument(const nlohmann::json& doc, const std::string& path) {
  JsonFields f(doc, path);
  if (!f.OptionalInt("version", 1, 1)) throw InvalidField(f.FieldPath("version"), "required (1)");
  CheckIdentifier(f, "id");
  f.OptionalString("name", {.max_bytes = 100});
  f.OptionalObject("captions");  // a caption style: checked with its fonts at render time
  if (const auto* logo = f.OptionalObject("logo")) {
    JsonFields l(*logo, f.FieldPath("logo"));
    std::string key = l.RequiredString("path", {.max_bytes = 512});
    if (!store::ValidateKey(key).ok()) {
      throw InvalidField(l.FieldPath("path"),
                         "must be a relative object key of [A-Za-z0-9._/-] without '..'");
    }
    if (auto pos = l.OptionalString("position", {.max_bytes = 32});
        pos && !IsOneOf(*pos, {"top-left", "top-center", "top-right", "middle-left", "middle-right",
                               "bottom-left", "bottom-center", "bottom-right"})) {
      throw InvalidField(l.FieldPath("position"), "unknown position '" + *pos + "'");
    }
    l.OptionalNumber("width_fraction", 0.02, 0.6);
    l.OptionalNumber("opacity", 0, 1);
    l.OptionalInt("margin_px", 0, 400);
    l.RejectUnknown();
  }
  if (const auto* card = f.OptionalObject("title_card")) {
    JsonFields t(*card, f.FieldPath("title_card"));
    t.OptionalBool("enabled");
    t.OptionalInt("duration_ms", 0, 10000);
    t.OptionalString("font_family", {.max_bytes = 100});
    CheckColor(t, "text_color");
    CheckColor(t, "box_color");
    t.OptionalNumber("position_y_fraction", 0, 1);
    t.RejectUnknown();
  }
  if (auto layout = f.OptionalString("default_layout", {.max_bytes = 16});
      layout && !IsOneOf(*layout, {"auto", "fill", "split", "fit"})) {
    throw InvalidField(f.FieldPath("default_layout"),
                       "unknown layout '" + *layout + "' (expected auto, fill, split or fit)");
  }
  CheckColor(f, "accent_color");
  f.RejectUnknown();
}

void CheckAiSettings(const nlohmann::json& doc, const std::string& path) {
  JsonFields f(doc, path);
  if (auto b = f.OptionalString("speech_backend", {.max_bytes = 16});
      b && !IsOneOf(*b, {"sphinx", "remote", "none"})) {
    throw InvalidField(f.FieldPath("speech_backend"), "'" + *b + "' is not sphinx, remote or none");
  }
  if (auto url = f.OptionalString("base_url", {.max_bytes = 500}); url && !LooksLikeHttpUrl(*url)) {
    throw InvalidField(f.FieldPath("base_url"), "expected an http:// or https:// URL");
  }
  f.OptionalString("model", {.max_bytes = 200});
  f.RejectUnknown();
}

}  // namespace clipthat::api
