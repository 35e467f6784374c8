// Structural checks of the JSON documents users store through the API: edit lists, brand
// templates and AI settings. They check known fields, types and ranges, and throw ApiError 422
// naming the field ("edit_list.layout.mode: 'grid' is not auto, fill, split or fit"). Checks that
// need the media or fonts (a clip past the end of the VOD, an unknown font) run in the renderer.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace clipthat::api {

// An edit list (docs/edit-list.md, version 1). `path` names it in errors ("edit_list").
// Returns the document to store: "source" cleared (the worker fills in its downloaded path).
nlohmann::json CheckEditList(const nlohmann::json& doc, const std::string& path);

// A brand template document (docs/templates.md, version 1). Logo paths must be relative
// object keys (no "..", no absolute paths): the renderer never reads a path a user chose.
void CheckTemplateDocument(const nlohmann::json& doc, const std::string& path);

// Settings "ai": {"speech_backend": "sphinx"|"remote"|"none", "base_url": "http(s)://...",
// "model": "..."}; every field optional.
void CheckAiSettings(const nlohmann::json& doc, const std::string& path);

// True for an http:// or https:// URL with a host and no spaces or control characters.
bool LooksLikeHttpUrl(const std::string& url);

}  // namespace clipthat::api
