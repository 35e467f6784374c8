// The API's checks of the documents users store: edit lists and brand templates are read by
// the formats module (formats/edit_list.h, formats/brand_template.h), the same code the
// renderer and the worker read them with, so what the API accepts renders and what the
// renderer would refuse is refused here, with the same field named. Errors are ApiError 422
// ("edit_list.end_ms: 95000 is past the end of the VOD (90000 ms)"). Plus the AI settings, which
// are the API's own.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "formats/edit_list.h"
#include "store/object_store.h"

namespace clipthat::api {

// What an edit list is checked against besides itself.
struct EditListContext {
  std::vector<std::string> template_dirs;  // the built-in templates "template" may name
  formats::SourceFacts source;             // the VOD as far as it is known (0: unknown)
};

// An edit list (docs/edit-list.md, version 1) at `path` of the body ("edit_list"). Returns the
// document to store: the checked list written back in its documented form, "source" cleared
// (the worker fills in its downloaded path).
nlohmann::json CheckEditList(const nlohmann::json& doc, const std::string& path,
                             const EditListContext& context);

// The largest logo a user may upload (PUT /v1/logos/{name}).
inline constexpr std::size_t kMaxLogoUploadBytes = 2 << 20;

// Object key of a user's uploaded logo; `name` is [A-Za-z0-9._-]{1,64} (BadRequest otherwise).
std::string LogoObjectKey(const std::string& user_id, const std::string& name);
bool IsLogoName(const std::string& name);

// A brand template document (docs/templates.md, version 1) at `path` ("document"). Its
// logo.path names one of the user's uploaded logos (PUT /v1/logos/{name}), which is read and
// checked to be an image as the renderer will read it.
void CheckTemplateDocument(const nlohmann::json& doc, const std::string& path,
                           store::ObjectStore& objects, const std::string& user_id);

// Settings "ai": {"speech_backend": "sphinx"|"remote"|"none", "base_url": "http(s)://...",
// "model": "..."}; every field optional. The form only: the route also checks base_url's host
// against the address policy (core/address_policy.h), which needs the server's resolver.
void CheckAiSettings(const nlohmann::json& doc, const std::string& path);

// True for an http:// or https:// URL with a host and no spaces or control characters.
bool LooksLikeHttpUrl(const std::string& url);

}  // namespace clipthat::api
