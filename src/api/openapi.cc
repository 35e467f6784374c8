#include "api/openapi.h"

#include <algorithm>
#include <map>

namespace clipthat::api {
namespace {
using json = nlohmann::json;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string StatusText(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 400: return "Malformed request (e.g. the body is not JSON)";
    case 401: return "No, bad, expired or revoked credentials";
    case 402: return "Not enough credits (the error carries balance and price)";
    case 403: return "These credentials may not call this route";
    case 404: return "Not found (or not yours)";
    case 409: return "Conflict with the current state";
    case 413: return "Body too large";
    case 422: return "A field or parameter is invalid (the message names it)";
    case 429: return "Rate limited (see Retry-After)";
    case 503: return "Unavailable";
    default: return "Response";
  }
}

std::string OperationId(const Route& r) {
  std::string id = Lower(r.method);
  for (const auto& seg : r.segments) {
    if (seg == "v1") continue;
    std::string part = seg;
    if (part.size() > 2 && part.front() == '{') part = "by_" + part.substr(1, part.size() - 2);
    for (char& c : part) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    id += "_" + part;
  }
  return id;
}

std::string Escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Anchor(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return out;
}

// "Vod" for {"$ref": "#/components/schemas/Vod"}, as a link; other schemas as a short type.
std::string SchemaLabel(const json& schema) {
  if (schema.contains("$ref")) {
    std::string name = schema["$ref"].get<std::string>();
    name = name.substr(name.rfind('/') + 1);
    return "<a href=\"#schema-" + Anchor(name) + "\">" + Escape(name) + "</a>";
  }
  std::string type = schema.value("type", "any");
  if (type == "array" && schema.contains("items"))
    return "array of " + SchemaLabel(schema["items"]);
  if (schema.contains("enum")) {
    std::string values;
    for (const auto& v : schema["enum"])
      values += (values.empty() ? "" : " | ") + v.get<std::string>();
    return Escape(values);
  }
  if (schema.value("nullable", false)) type += " | null";
  return Escape(type);
}

std::string PropertiesTable(const json& schema) {
  if (!schema.contains("properties")) return "";
  std::vector<std::string> required;
  if (schema.contains("required")) required = schema["required"].get<std::vector<std::string>>();
  std::string html = "<table><tr><th>field</th><th>type</th><th>notes</th></tr>";
  for (const auto& [name, prop] : schema["properties"].items()) {
    bool req = std::find(required.begin(), required.end(), name) != required.end();
    html += "<tr><td><code>" + Escape(name) + "</code>" + (req ? " <b>required</b>" : "") +
            "</td><td>" + SchemaLabel(prop) + "</td><td>" + Escape(prop.value("description", "")) +
            (prop.contains("properties") ? PropertiesTable(prop) : "") + "</td></tr>";
  }
  return html + "</table>";
}
}  // namespace

json BuildOpenApiDocument(const Router& router) {
  json paths = json::object();
  for (const Route& r : router.routes()) {
    const RouteDoc& d = r.doc;
    json op = {{"summary", d.summary}, {"operationId", OperationId(r)}, {"tags", {d.tag}}};
    if (!d.description.empty()) op["description"] = d.description;
    if (r.access == Access::kPublic) {
      op["security"] = json::array();
    } else {
      op["security"] = {{{"bearer", json::array()}}};
      op["x-access"] = r.access == Access::kUser ? "user" : "worker";
    }
    json params = json::array();
    for (const auto& seg : r.segments) {
      if (seg.size() > 2 && seg.front() == '{') {
        params.push_back({{"name", seg.substr(1, seg.size() - 2)},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
      }
    }
    for (const auto& p : d.params) {
      params.push_back({{"name", p.name},
                        {"in", p.in},
                        {"required", p.required},
                        {"description", p.description},
                        {"schema", {{"type", p.type}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (r.body == BodyKind::kJson && !d.request_schema.empty()) {
      json media = {{"schema", {{"$ref", "#/components/schemas/" + d.request_schema}}}};
      if (!d.request_example.is_null()) media["example"] = d.request_example;
      op["requestBody"] = {
          {"required", true},
          {"content", {{"application/json", media}}},
          {"description", "at most " + std::to_string(r.max_body_bytes) + " bytes"}};
    } else if (r.body == BodyKind::kStream) {
      op["requestBody"] = {
          {"required", true},
          {"description", "at most " + std::to_string(r.max_body_bytes) + " bytes"},
          {"content",
           {{d.request_content_type, {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
    }
    json responses = json::object();
    json ok = {{"description", StatusText(d.success_status)}};
    if (!d.response_schema.empty()) {
      ok["content"] = {{d.response_content_type,
                        {{"schema", {{"$ref", "#/components/schemas/" + d.response_schema}}}}}};
    } else if (d.response_content_type != "application/json") {
      ok["content"] = {
          {d.response_content_type, {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
    }
    responses[std::to_string(d.success_status)] = ok;
    if (r.method == "POST" && r.path == "/v1/worker/lease") {
      responses["204"] = {{"description", "Nothing is queued for these roles"}};
    }
    std::vector<int> errors = d.errors;
    if (r.access != Access::kPublic) {
      errors.push_back(401);
      errors.push_back(403);
    }
    if (r.path == "/healthz") errors.push_back(503);
    std::sort(errors.begin(), errors.end());
    errors.erase(std::unique(errors.begin(), errors.end()), errors.end());
    for (int status : errors) {
      responses[std::to_string(status)] = {
          {"description", StatusText(status)},
          {"content",
           {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    }
    op["responses"] = responses;
    paths[r.path][Lower(r.method)] = op;
  }
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "ClipThat API"},
        {"version", "1"},
        {"description",
         "The control plane of ClipThat: accounts, VOD uploads, analysis and render jobs, "
         "moments, clips, brand templates, settings, and the worker protocol. Authenticate "
         "with `Authorization: Bearer TOKEN` (a session JWT from /v1/auth/login or an API "
         "key). Errors are {\"error\": {\"code\", \"message\"}}. See docs/api.md."}}},
      {"servers", {{{"url", "/"}}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes",
         {{"bearer",
           {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT or API key (ck_...)"}}}}},
        {"schemas", ApiSchemas()}}}};
}

std::string RenderDocsHtml(const json& doc) {
  std::string html =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>ClipThat API</title><style>"
      "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
      "color:#222}code,pre{font-family:ui-monospace,monospace}pre{background:#f5f5f5;padding:.6em;"
      "overflow:auto}table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ddd;"
      "padding:.25em .5em;vertical-align:top;text-align:left}.op{border-top:1px solid #ccc;"
      "padding:.6em 0}.m{display:inline-block;min-width:4.5em;font-weight:bold}.GET{color:#0a6}"
      ".POST{color:#05c}.PUT{color:#a60}.PATCH{color:#a0a}.DELETE{color:#c00}nav a{margin-right:"
      "1em}</style></head><body>";
  html += "<h1>" + Escape(doc["info"]["title"].get<std::string>()) + "</h1><p>" +
          Escape(doc["info"]["description"].get<std::string>()) +
          "</p><p>Machine-readable: <a href=\"/v1/openapi.json\">/v1/openapi.json</a></p>";
  // Group operations by tag, in the order tags first appear.
  std::vector<std::string> tags;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> ops;  // tag -> path, m
  for (const auto& [path, methods] : doc["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      std::string tag = op["tags"][0].get<std::string>();
      if (!ops.contains(tag)) tags.push_back(tag);
      ops[tag].emplace_back(path, method);
    }
  }
  html += "<nav>";
  for (const auto& t : tags) html += "<a href=\"#tag-" + Anchor(t) + "\">" + Escape(t) + "</a>";
  html += "<a href=\"#schemas\">schemas</a></nav>";
  for (const auto& tag : tags) {
    html += "<h2 id=\"tag-" + Anchor(tag) + "\">" + Escape(tag) + "</h2>";
    for (const auto& [path, method] : ops[tag]) {
      const json& op = doc["paths"][path][method];
      std::string m = method;
      for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      html += "<div class=\"op\" id=\"" + Escape(op["operationId"].get<std::string>()) +
              "\"><span class=\"m " + m + "\">" + m + "</span> <code>" + Escape(path) +
              "</code> — " + Escape(op["summary"].get<std::string>());
      if (op.contains("x-access")) {
        html += " <small>(" + Escape(op["x-access"].get<std::string>()) + " credentials)</small>";
      } else {
        html += " <small>(no credentials)</small>";
      }
      if (op.contains("description"))
        html += "<p>" + Escape(op["description"].get<std::string>()) + "</p>";
      if (op.contains("parameters")) {
        html += "<table><tr><th>parameter</th><th>in</th><th>type</th><th>notes</th></tr>";
        for (const auto& p : op["parameters"]) {
          html += "<tr><td><code>" + Escape(p["name"].get<std::string>()) + "</code>" +
                  (p.value("required", false) ? " <b>required</b>" : "") + "</td><td>" +
                  Escape(p["in"].get<std::string>()) + "</td><td>" +
                  Escape(p["schema"]["type"].get<std::string>()) + "</td><td>" +
                  Escape(p.value("description", "")) + "</td></tr>";
        }
        html += "</table>";
      }
      if (op.contains("requestBody")) {
        for (const auto& [type, media] : op["requestBody"]["content"].items()) {
          html += "<p>Request body (<code>" + Escape(type) + "</code>, " +
                  Escape(op["requestBody"].value("description", "")) +
                  "): " + SchemaLabel(media["schema"]) + "</p>";
          if (media.contains("example"))
            html += "<pre>" + Escape(media["example"].dump(2)) + "</pre>";
        }
      }
      html += "<table><tr><th>status</th><th>meaning</th><th>body</th></tr>";
      for (const auto& [status, resp] : op["responses"].items()) {
        std::string body;
        if (resp.contains("content")) {
          for (const auto& [type, media] : resp["content"].items()) {
            body += "<code>" + Escape(type) + "</code> " + SchemaLabel(media["schema"]);
          }
        }
        html += "<tr><td>" + Escape(status) + "</td><td>" +
                Escape(resp["description"].get<std::string>()) + "</td><td>" + body + "</td></tr>";
      }
      html += "</table></div>";
    }
  }
  html += "<h2 id=\"schemas\">Schemas</h2>";
  for (const auto& [name, schema] : doc["components"]["schemas"].items()) {
    html += "<h3 id=\"schema-" + Anchor(name) + "\">" + Escape(name) + "</h3>";
    if (schema.contains("description"))
      html += "<p>" + Escape(schema["description"].get<std::string>()) + "</p>";
    html += PropertiesTable(schema);
  }
  return html + "</body></html>";
}

}  // namespace clipthat::api
