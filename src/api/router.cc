#include "api/router.h"

#include "api/api_error.h"
#include "api/guarded_http_server.h"
#include "api/json_fields.h"

namespace clipthat::api {
namespace {
// Splits "/v1/vods/x" into {"v1", "vods", "x"}; a trailing slash gives an empty last segment
// (so "/v1/vods/" does not match "/v1/vods").
template <typename Out>
void SplitPath(std::string_view path, Out& out) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    std::size_t slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
}
bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}
}  // namespace

Route& Router::Add(Route route) {
  route.segments.clear();
  std::vector<std::string_view> parts;
  SplitPath(route.path, parts);
  for (auto p : parts) route.segments.emplace_back(p);
  routes_.push_back(std::move(route));
  return routes_.back();
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  // Paths have few segments: a small fixed buffer avoids allocating per request.
  std::vector<std::string_view> parts;
  parts.reserve(8);
  SplitPath(path, parts);
  for (const Route& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& seg = route.segments[i];
      ok = IsParam(seg) ? !parts[i].empty() : seg == parts[i];
    }
    if (!ok) continue;
    if (route.method != method && !(method == "HEAD" && route.method == "GET")) {
      match.other_method = true;
      continue;
    }
    match.route = &route;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const std::string& seg = route.segments[i];
      if (IsParam(seg)) match.params.emplace_back(seg.substr(1, seg.size() - 2), parts[i]);
    }
    return match;
  }
  return match;
}

const std::string& Call::PathParam(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [key, value] : params_) {
    if (key == name) return value;
  }
  return kEmpty;
}

std::optional<std::string> Call::Query(const std::string& name) const {
  auto it = req.params.find(name);
  if (it == req.params.end()) return std::nullopt;
  return it->second;
}

std::uint64_t Call::StreamBody(const std::function<bool(const char*, std::size_t)>& sink) {
  if (body_read_) throw ApiError(500, "internal", "body read twice");
  body_read_ = true;
  const std::size_t limit = route_.max_body_bytes;
  std::uint64_t total = 0;
  if (!reader_) {  // no body was announced: httplib gave us whatever it read (nothing)
    if (req.body.size() > limit)
      throw PayloadTooLarge("body larger than " + std::to_string(limit) + " bytes");
    if (!req.body.empty()) sink(req.body.data(), req.body.size());
    return req.body.size();
  }
  bool too_large = false;
  bool stopped = false;
  (*reader_)([&](const char* data, std::size_t n) {
    if (total + n > limit) {
      too_large = true;
      return false;
    }
    total += n;
    if (!sink(data, n)) {
      stopped = true;
      return false;
    }
    return true;
  });
  if (too_large) {
    GuardedHttpServer::CloseConnectionAfterResponse(res);
    throw PayloadTooLarge("body larger than " + std::to_string(limit) + " bytes");
  }
  if (stopped) GuardedHttpServer::CloseConnectionAfterResponse(res);
  return total;
}

const std::string& Call::Body() {
  if (!body_read_) {
    StreamBody([this](const char* d, std::size_t n) {
      body_.append(d, n);
      return true;
    });
  }
  return body_;
}

nlohmann::json Call::JsonBody() { return ParseJsonBody(Body()); }

void Call::Json(int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

const Logger& Call::log() {
  if (!request_logger_) request_logger_ = logger_.WithStage("req " + request_id_);
  return *request_logger_;
}

}  // namespace clipthat::api
