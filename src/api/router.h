// Router: the API's route table. Each route is a method, a path template with {name}
// parameters ("/v1/vods/{id}/media"), who may call it, how its body is read, its documentation
// (the OpenAPI document is generated from this table, so an undocumented route fails the
// OpenAPI test) and its handler.
//
// Handlers get a Call: the request, the response, the authenticated caller, path parameters and
// helpers to read the body (with the route's size limit enforced while reading) and to answer.
// Handlers signal errors by throwing ApiError; the server turns it into the JSON error answer.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/authenticator.h"
#include "core/log.h"

namespace clipthat::api {

enum class Access {
  kPublic,  // no credentials
  kUser,    // a user's JWT or user-scoped API key (worker keys get 403)
  kWorker,  // a worker-scoped API key (user credentials get 403)
};

enum class BodyKind {
  kNone,    // a body is refused (413 when one is sent)
  kJson,    // a JSON document up to max_body_bytes, read whole (Call::JsonBody)
  kStream,  // bytes streamed by the handler (Call::StreamBody), up to max_body_bytes
};

struct ParamDoc {
  std::string name;
  std::string in;    // "query" or "header"
  std::string type;  // "string", "integer"
  std::string description;
  bool required = false;
};

struct RouteDoc {
  std::string summary;
  std::string tag;
  std::string description;
  std::string request_schema;  // components.schemas name of a JSON body
  std::string request_content_type = "application/json";
  int success_status = 200;
  std::string response_schema;  // components.schemas name; empty for no JSON body
  std::string response_content_type = "application/json";
  std::vector<ParamDoc> params;  // query and header parameters (path ones come from the path)
  std::vector<int> errors;       // documented error statuses besides 401/403 implied by access
  nlohmann::json request_example;
};

class Call;
using Handler = std::function<void(Call&)>;

struct Route {
  std::string method;  // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string path;    // "/v1/vods/{id}"
  Access access = Access::kUser;
  BodyKind body = BodyKind::kNone;
  std::size_t max_body_bytes = 0;
  RouteDoc doc;
  Handler handler;
  std::vector<std::string> segments;  // path split at '/', "{id}" kept as is
};

class Router {
 public:
  struct Match {
    const Route* route = nullptr;  // nullptr: no route
    bool other_method = false;     // the path exists for another method (405)
    std::vector<std::pair<std::string, std::string>> params;
  };

  Route& Add(Route route);
  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// One request being handled.
class Call {
 public:
  Call(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader,
       const Route& route, std::vector<std::pair<std::string, std::string>> params,
       const std::string& request_id, const Logger& logger)
      : req(req),
        res(res),
        reader_(reader),
        route_(route),
        params_(std::move(params)),
        request_id_(request_id),
        logger_(logger) {}

  const httplib::Request& req;
  httplib::Response& res;
  Principal principal;
  // Who sent it, for per-address limits: the peer, or the client a trusted proxy names
  // (client_address.h).
  std::string client_ip;

  const std::string& request_id() const { return request_id_; }
  const Route& route() const { return route_; }
  // The caller's user id (user routes).
  const std::string& user_id() const { return principal.user_id; }

  // A path parameter ({id}); "" when the route has none of that name.
  const std::string& PathParam(std::string_view name) const;
  // A query parameter; nullopt when absent.
  std::optional<std::string> Query(const std::string& name) const;

  // The whole body (kJson routes), read once; 413 past the route's limit.
  const std::string& Body();
  // Body() parsed (400 when not JSON).
  nlohmann::json JsonBody();
  // Streams the body to `sink` (kStream routes) in pieces; 413 past the limit. `sink` returns
  // false to stop reading (the handler then answers; the connection is closed). Returns the
  // number of bytes handed to `sink`.
  std::uint64_t StreamBody(const std::function<bool(const char*, std::size_t)>& sink);
  bool body_read() const { return body_read_; }

  void Json(int status, const nlohmann::json& body);
  void NoContent() { res.status = 204; }

  // A logger whose lines carry the request id ("req <id>").
  const Logger& log();

 private:
  const httplib::ContentReader* reader_;
  const Route& route_;
  std::vector<std::pair<std::string, std::string>> params_;
  const std::string& request_id_;
  const Logger& logger_;
  std::optional<Logger> request_logger_;
  std::string body_;
  bool body_read_ = false;
};

}  // namespace clipthat::api
