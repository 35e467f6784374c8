#include "api/format_checks.h"

#include "api/api_error.h"
#include "api/json_fields.h"
#include "api/text_checks.h"
#include "core/files.h"
#include "formats/brand_template.h"
#include "store/object_store.h"

namespace clipthat::api {
namespace {

bool IsOneOf(const std::string& v, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (v == n) return true;
  }
  return false;
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

nlohmann::json CheckEditList(const nlohmann::json& doc, const std::string& path,
                             const EditListContext& context) {
  Result<formats::EditList> edit = formats::ParseEditList(doc, path);
  ThrowIfError(edit.status());
  if (!edit->template_ref.empty() && edit->template_ref != "default" &&
      !formats::FindTemplateFile(edit->template_ref, context.template_dirs).ok()) {
    throw InvalidField(path + ".template", "no built-in template '" + edit->template_ref + "'");
  }
  Status fits = formats::CheckEditListAgainstSource(*edit, context.source, "");
  if (!fits.ok()) {  // ": end_ms: ..." -> "edit_list.end_ms: ..."
    throw InvalidField(path + "." + fits.message().substr(2, fits.message().find(": ", 2) - 2),
                       fits.message().substr(fits.message().find(": ", 2) + 2));
  }
  edit->source.clear();
  return nlohmann::json::parse(formats::EditListToJson(*edit).dump());
}

bool IsLogoName(const std::string& name) {
  const auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  };
  return CharsWithin(name, 1, 64, ok) && name.front() != '.';
}

std::string LogoObjectKey(const std::string& user_id, const std::string& name) {
  if (!IsLogoName(name)) {
    throw InvalidField("name", "expected 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
  }
  return "users/" + user_id + "/logos/" + name;
}

void CheckTemplateDocument(const nlohmann::json& doc, const std::string& path,
                           store::ObjectStore& objects, const std::string& user_id) {
  TempDir scratch("clipthat-logo-check");
  const formats::LogoResolver uploaded =
      [&](const std::string& name) -> Result<std::filesystem::path> {
    if (!IsLogoName(name)) {
      return InvalidArgumentError("'" + name.substr(0, 64) +
                                  "' is not a logo name (1-64 of A-Z, a-z, 0-9, '.', '_', '-')");
    }
    const std::string key = "users/" + user_id + "/logos/" + name;
    Result<std::int64_t> size = objects.Size(key);
    if (!size.ok()) {
      return NotFoundError("no logo named '" + name + "' (upload it: PUT /v1/logos/" + name + ")");
    }
    ASSIGN_OR_RETURN(std::string bytes, objects.ReadAll(key));
    const std::filesystem::path file = scratch.path() / "logo";
    RETURN_IF_ERROR(WriteFileAtomically(file, bytes));
    return file;
  };
  Result<formats::BrandTemplate> brand = formats::ParseBrandTemplate(doc, path, uploaded);
  if (!brand.ok()) {
    // The logo was read from a scratch copy: name the document's value, never a server path.
    std::string message = brand.status().message();
    if (auto at = message.find(scratch.path().string()); at != std::string::npos) {
      message.replace(at, scratch.path().string().size() + 5, "the uploaded logo");
    }
    throw ApiError(422, "invalid_field", message);
  }
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
