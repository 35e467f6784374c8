// ApiServer: the control plane's HTTP/JSON API (cpp-httplib) over a store::Database and a
// store::ObjectStore: accounts, API keys, VODs (chunked resumable uploads and URL imports),
// jobs (with Server-Sent Events), moments, clips, templates, settings, the worker protocol
// (docs/api.md), the OpenAPI document (/v1/openapi.json), its HTML rendering (/docs) and the
// static web folder.
//
//   ApiServer server(options, *db, *objects, logger);
//   RETURN_IF_ERROR(server.Start());        // listening when it returns
//   ... server.port() ...
//   server.Stop();                          // stop accepting, finish in-flight requests
//
// The database, object store and logger must outlive the server. Thread-safe: requests run on
// `threads` pool threads (size the database pool to match).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "api/login_throttle.h"
#include "api/password_hasher.h"
#include "api/router.h"
#include "billing/billing_options.h"
#include "core/host_resolver.h"
#include "core/ip_address.h"
#include "core/log.h"
#include "core/result.h"
#include "store/database.h"
#include "store/object_store.h"

namespace httplib {
class Server;
}

namespace clipthat::api {

struct ApiServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;      // 0: any free port (see port())
  int threads = 32;     // request threads; one keep-alive connection holds one while open
  std::string web_dir;  // static files served at "/" (index.html); empty: none
  // The address users reach this server at ("https://clipthat.example"): Stripe Checkout's
  // return URLs. Empty: the Host the caller used, over http.
  std::string public_url;
  // Folders of the built-in brand templates an edit list's "template" may name (the
  // renderer's); empty: none may be named.
  std::vector<std::string> template_dirs;

  std::string jwt_secret;  // HMAC key for session tokens (required, >= 32 bytes)
  std::int64_t token_ttl_s = 24 * 3600;
  PasswordCost password_cost = PasswordCost::kInteractive;
  std::int64_t revocation_cache_ms = 5000;  // see Authenticator

  // Login and signup attempts allowed per window per client IP, whatever the e-mail.
  int login_attempts_per_ip = 60;
  std::int64_t login_window_ms = 15 * 60 * 1000;
  // Delays after failed logins, per e-mail and address and per e-mail (login_throttle.h).
  LoginThrottleOptions login_throttle;

  // Body limits, bytes.
  std::size_t max_json_body_bytes = 1 << 20;
  std::size_t max_upload_chunk_bytes = 64 << 20;     // one PUT /v1/vods/{id}/media
  std::size_t max_chat_bytes = 64 << 20;             // PUT /v1/vods/{id}/chat
  std::size_t max_worker_upload_bytes = 2ULL << 30;  // PUT /v1/worker/jobs/{id}/files/...
  std::int64_t max_vod_bytes = 64LL << 30;           // size_bytes of one VOD

  // Requests the server makes on a user's behalf (URL imports and their redirects, a user's
  // settings ai.base_url) go only to public addresses (core/address_policy.h), unless
  // allow_private_urls is on (a single-user machine; the API tests) or the address is in
  // allowed_url_networks (an operator's internal media server, "10.20.0.5/32").
  bool allow_private_urls = false;
  std::vector<IpNetwork> allowed_url_networks;
  // The load balancers in front of this server ("10.0.0.0/8", "127.0.0.1"): from these peers
  // X-Forwarded-For names the client for per-address limits (client_address.h). Empty: the
  // peer is the client.
  std::vector<IpNetwork> trusted_proxies;
  // Resolves those URLs' hosts; empty: the system resolver (ResolveHost). Tests map names.
  HostResolver url_resolver;

  // Credits: prices, packs, the sign-up grant and the Stripe account (billing_options.h).
  billing::BillingOptions billing;
  // How often the sweeper settles reservations whose job ended or vanished, ms (0: never).
  std::int64_t billing_sweep_ms = 60 * 1000;

  // Per-user quotas (quotas.h; 0: none): jobs queued or running, VODs being uploaded or
  // imported at once, bytes of VOD media stored (an unfinished upload counts at its announced
  // size).
  std::int64_t quota_max_active_jobs = 20;
  std::int64_t quota_max_open_uploads = 10;
  std::int64_t quota_max_stored_bytes = 1LL << 40;  // 1 TiB

  std::int64_t sse_poll_ms = 250;  // how often a job's event stream looks at the database
  std::int64_t max_lease_ms = 10 * 60 * 1000;
  int keep_alive_max_count = 10000;  // requests per connection

  // Connections (see guarded_http_server.h). A request's line and headers must arrive within
  // header_deadline_ms and max_header_bytes in total, else the connection is closed unanswered;
  // reading a body or writing an answer may stall at most read_timeout_ms / write_timeout_ms;
  // an idle keep-alive connection is closed after keep_alive_timeout_ms.
  std::int64_t header_deadline_ms = 10 * 1000;
  std::size_t max_header_bytes = 64 << 10;
  std::int64_t read_timeout_ms = 30 * 1000;
  std::int64_t write_timeout_ms = 30 * 1000;
  std::int64_t keep_alive_timeout_ms = 5 * 1000;
  // Request threads: `threads` are kept; more start while every one is busy, up to
  // max_threads. At most max_connections wait for a request at once (idle keep-alive, headers
  // on their way); more are closed as they come.
  std::size_t max_threads = 1024;
  std::size_t max_connections = 10000;
  // Job event streams (GET /v1/jobs/{id}/events) open at once, each holding a request thread:
  // per user and in all; past either the answer is 429 too_many_streams.
  int max_event_streams_per_user = 20;
  int max_event_streams = 512;
};

class ApiServer {
 public:
  ApiServer(ApiServerOptions options, store::Database& db, store::ObjectStore& objects,
            Logger logger);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds host:port and serves on a background thread. InvalidArgument for bad options
  // (no JWT secret), Unavailable when the port cannot be bound.
  Status Start();
  // Stops accepting; requests in flight finish (event streams end within one poll); joins.
  void Stop();

  int port() const { return port_; }
  // What the server holds now: request threads running, connections waiting for a request
  // (idle, or their headers on the way), job event streams open.
  struct ConnectionStats {
    std::size_t request_threads = 0;
    std::size_t waiting_connections = 0;
    int event_streams = 0;
  };
  ConnectionStats connection_stats() const;
  const Router& router() const;
  // The OpenAPI 3 document, generated from the route table.
  const nlohmann::json& openapi() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace clipthat::api
