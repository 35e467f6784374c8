#include "api/api_server.h"

#include <httplib.h>
#include <strings.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string_view>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/client_address.h"
#include "api/guarded_http_server.h"
#include "api/openapi.h"
#include "core/crypto.h"
#include "core/files.h"

namespace clipthat::api {
namespace {

bool ValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

bool HasBody(const httplib::Request& req) {
  if (req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos) return true;
  return req.get_header_value<std::uint64_t>("Content-Length") > 0;
}

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Why the request's body framing is ambiguous; "" when it is not. Two Content-Length headers,
// or one beside Transfer-Encoding, may be read differently by a proxy in front of the server
// (request smuggling), so such requests are refused before anything is read or done.
std::string FramingProblem(const httplib::Request& req) {
  const std::size_t lengths = req.get_header_value_count("Content-Length");
  const std::size_t encodings = req.get_header_value_count("Transfer-Encoding");
  if (lengths > 1) return "more than one Content-Length header";
  if (lengths == 1 && encodings > 0) return "both Content-Length and Transfer-Encoding";
  if (encodings > 1 ||
      (encodings == 1 &&
       strcasecmp(req.get_header_value("Transfer-Encoding").c_str(), "chunked") != 0)) {
    return "Transfer-Encoding other than chunked";
  }
  const std::string& length = req.get_header_value("Content-Length");
  if (lengths == 1 && (length.empty() || length.size() > 18 || !IsDigits(length))) {
    return "Content-Length is not a number of bytes";
  }
  return "";
}

std::string ContentTypeFor(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

// Each connection is a file descriptor, and a busy server holds thousands (most of them
// waiting in the parker): the soft limit goes up to the hard one.
void RaiseOpenFileLimit(const Logger& logger) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
    CT_LOG(logger, kDebug) << "open file limit raised from " << before << " to " << limit.rlim_cur;
  }
}

void WriteError(httplib::Response& res, const ApiError& e) {
  res.status = e.http_status();
  if (e.retry_after_s > 0) res.set_header("Retry-After", std::to_string(e.retry_after_s));
  res.set_content(ErrorBody(e.code(), e.what(), e.fields), "application/json");
}

}  // namespace

struct ApiServer::Impl {
  Impl(ApiServerOptions opts, store::Database& db, store::ObjectStore& objects, Logger logger)
      : options(std::move(opts)),
        ctx(options, db, objects, std::move(logger)),
        server(
            ConnectionLimits{.header_deadline_ms = options.header_deadline_ms,
                             .max_header_bytes = options.max_header_bytes,
                             .read_timeout_ms = options.read_timeout_ms,
                             .write_timeout_ms = options.write_timeout_ms,
                             .keep_alive_timeout_ms = options.keep_alive_timeout_ms,
                             .max_connections = options.max_connections,
                             .min_threads = static_cast<std::size_t>(std::max(2, options.threads)),
                             .max_threads = options.max_threads}) {}

  void Dispatch(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader* reader);
  bool ServeStatic(const httplib::Request& req, httplib::Response& res);

  ApiServerOptions options;
  ApiContext ctx;
  Router router;
  nlohmann::json openapi;
  GuardedHttpServer server;
  std::thread thread;

  // The credit sweeper (billing::Ledger::Sweep every options.billing_sweep_ms).
  void SweepLoop();
  std::thread sweeper;
  std::mutex sweeper_mutex;
  std::condition_variable sweeper_wake;
};

void ApiServer::Impl::SweepLoop() {
  std::unique_lock<std::mutex> lock(sweeper_mutex);
  while (!ctx.stopping) {
    sweeper_wake.wait_for(lock, std::chrono::milliseconds(options.billing_sweep_ms),
                          [this] { return ctx.stopping.load(); });
    if (ctx.stopping) break;
    lock.unlock();
    auto swept = ctx.ledger.Sweep(ctx.db);
    if (!swept.ok()) {
      CT_LOG(ctx.logger, kWarn) << "credit sweeper: " << swept.status().ToString();
    } else if (*swept > 0) {
      CT_LOG(ctx.logger, kInfo) << "credit sweeper settled " << *swept << " reservations";
    }
    lock.lock();
  }
}

ApiServer::ApiServer(ApiServerOptions options, store::Database& db, store::ObjectStore& objects,
                     Logger logger)
    : impl_(std::make_unique<Impl>(std::move(options), db, objects, std::move(logger))) {
  Impl& m = *impl_;
  m.ctx.importer =
      std::make_unique<UrlImporter>(m.ctx.vods, objects, m.ctx.logger, m.ctx.url_policy,
                                    m.ctx.url_resolver, m.options.max_vod_bytes);
  RegisterSystemRoutes(m.router, m.ctx, m.openapi);
  RegisterAuthRoutes(m.router, m.ctx);
  RegisterVodRoutes(m.router, m.ctx);
  RegisterJobRoutes(m.router, m.ctx);
  RegisterClipRoutes(m.router, m.ctx);
  RegisterTemplateRoutes(m.router, m.ctx);
  RegisterWorkerRoutes(m.router, m.ctx);
  RegisterBillingRoutes(m.router, m.ctx);
  RegisterLiveRoutes(m.router, m.ctx);
  m.openapi = BuildOpenApiDocument(m.router);
}

ApiServer::~ApiServer() { Stop(); }

const Router& ApiServer::router() const { return impl_->router; }

ApiServer::ConnectionStats ApiServer::connection_stats() const {
  return {.request_threads = impl_->server.request_threads(),
          .waiting_connections = impl_->server.waiting_connections(),
          .event_streams = impl_->ctx.event_streams.open()};
}
const nlohmann::json& ApiServer::openapi() const { return impl_->openapi; }

Status ApiServer::Start() {
  Impl& m = *impl_;
  if (m.options.jwt_secret.size() < 32) {
    return InvalidArgumentError("api.jwt_secret: must be at least 32 bytes");
  }
  if (m.options.header_deadline_ms <= 0 || m.options.read_timeout_ms <= 0 ||
      m.options.write_timeout_ms <= 0 || m.options.keep_alive_timeout_ms < 0 ||
      m.options.max_header_bytes < 1024) {
    return InvalidArgumentError(
        "connection limits: deadlines and timeouts must be positive, headers at least 1 KiB");
  }
  if (m.thread.joinable()) return InvalidArgumentError("server already started");
  if (!InitSodium()) return InternalError("libsodium failed to initialise");
  auto& s = m.server;
  const int threads = std::max(2, m.options.threads);
  RaiseOpenFileLimit(m.ctx.logger);
  s.set_payload_max_length(
      std::max<std::size_t>(m.options.max_worker_upload_bytes, m.options.max_upload_chunk_bytes) +
      (1 << 20));
  s.set_keep_alive_max_count(m.options.keep_alive_max_count);
  s.set_tcp_nodelay(true);

  auto plain = [this](const httplib::Request& req, httplib::Response& res) {
    impl_->Dispatch(req, res, nullptr);
  };
  auto streaming = [this](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) {
    impl_->Dispatch(req, res, &reader);
  };
  s.Get(".*", plain);
  s.Post(".*", plain);
  s.Post(".*", streaming);
  s.Put(".*", plain);
  s.Put(".*", streaming);
  s.Patch(".*", plain);
  s.Patch(".*", streaming);
  s.Delete(".*", plain);
  s.Delete(".*", streaming);
  s.Options(".*", [](const httplib::Request& req, httplib::Response& res) {
    GuardedHttpServer::HeadersComplete();
    if (HasBody(req)) GuardedHttpServer::CloseConnectionAfterResponse(res);
    res.status = 204;
  });
  // Errors httplib answers itself (413 past the global cap, 400 on a broken request line); the
  // connection is then closed (GuardedHttpServer), which the answer says.
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    res.set_header("Connection", "close");
    std::string code = res.status == 413   ? "payload_too_large"
                       : res.status == 404 ? "not_found"
                                           : "bad_request";
    std::string message = res.status == 413   ? "body too large"
                          : res.status == 404 ? "not found"
                                              : "bad request";
    res.set_content(ErrorBody(code, message), "application/json");
  });

  int port = m.options.port;
  if (port == 0) {
    port = s.bind_to_any_port(m.options.host);
  } else if (!s.bind_to_port(m.options.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return UnavailableError("cannot listen on " + m.options.host + ":" +
                            std::to_string(m.options.port));
  }
  port_ = port;
  RETURN_IF_ERROR(s.StartConnections());
  m.thread = std::thread([this] { impl_->server.listen_after_bind(); });
  // cpp-httplib ignores stop() until its accept loop has started, and the loop would then never
  // end: Start returns only once it runs (a SIGTERM right after start must still stop it).
  for (int i = 0; i < 5000 && !impl_->server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (m.options.billing_sweep_ms > 0) m.sweeper = std::thread([this] { impl_->SweepLoop(); });
  CT_LOG(m.ctx.logger, kInfo) << "listening on http://" << m.options.host << ":" << port_
                              << " with " << threads << " to " << m.options.max_threads
                              << " request threads";
  return Status::Ok();
}

void ApiServer::Stop() {
  if (!impl_) return;
  Impl& m = *impl_;
  {
    std::lock_guard<std::mutex> lock(m.sweeper_mutex);
    m.ctx.stopping = true;
  }
  m.sweeper_wake.notify_all();
  if (m.sweeper.joinable()) m.sweeper.join();
  if (m.thread.joinable()) {
    m.server.stop();
    m.thread.join();
    m.server.StopConnections();
    CT_LOG(m.ctx.logger, kInfo) << "stopped";
  }
  if (m.ctx.importer) m.ctx.importer->Stop();
}

bool ApiServer::Impl::ServeStatic(const httplib::Request& req, httplib::Response& res) {
  if (options.web_dir.empty()) return false;
  std::string rel = req.path == "/" ? "index.html" : req.path.substr(1);
  if (rel.empty() || rel.find('\0') != std::string::npos || rel.find('\\') != std::string::npos) {
    return false;
  }
  std::filesystem::path p(rel);
  for (const auto& part : p) {
    if (part == ".." || part == "." || part.empty()) return false;
  }
  if (p.is_absolute()) return false;
  std::filesystem::path full = std::filesystem::path(options.web_dir) / p;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(full, ec)) return false;
  auto data = ReadFileToString(full);
  if (!data.ok()) return false;
  res.status = 200;
  // The web app's own pages may load their own scripts, styles and media (same origin only),
  // never inline code or anything from elsewhere.
  res.headers.erase("Content-Security-Policy");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
                 "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  res.headers.erase("Cache-Control");
  res.set_header("Cache-Control", "no-cache");
  res.set_content(std::move(*data), ContentTypeFor(full));
  return true;
}

void ApiServer::Impl::Dispatch(const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader* reader) {
  const auto started = std::chrono::steady_clock::now();
  GuardedHttpServer::HeadersComplete();
  std::string request_id = req.get_header_value("X-Request-Id");
  if (!ValidRequestId(request_id)) request_id = RandomHex(8);
  res.set_header("X-Request-Id", request_id);
  // API answers are data for this client alone: never sniffed into HTML, framed, cached or
  // allowed to load anything (answers with tokens and private media included).
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");

  Router::Match match = router.Find(req.method, req.path);
  std::optional<Call> call;
  try {
    if (std::string problem = FramingProblem(req); !problem.empty()) throw BadRequest(problem);
    if (!match.route) {
      if (match.other_method) throw ApiError(405, "method_not_allowed", "method not allowed");
      if ((req.method == "GET" || req.method == "HEAD") && !req.path.starts_with("/v1/") &&
          !HasBody(req) && ServeStatic(req, res)) {
        return;
      }
      throw NotFound("route");
    }
    const Route& route = *match.route;
    call.emplace(req, res, reader, route, std::move(match.params), request_id, ctx.logger);
    call->client_ip = ClientAddress(req, options.trusted_proxies);
    if (HasBody(req)) {
      std::size_t limit = route.body == BodyKind::kNone ? 0 : route.max_body_bytes;
      if (req.get_header_value<std::uint64_t>("Content-Length") > limit ||
          route.body == BodyKind::kNone) {
        throw PayloadTooLarge(route.body == BodyKind::kNone
                                  ? "this route takes no body"
                                  : "body larger than " + std::to_string(limit) + " bytes");
      }
    }
    if (route.access != Access::kPublic) {
      auto principal = ctx.auth.Authenticate(req.get_header_value("Authorization"), store::NowMs());
      if (!principal.ok()) {
        if (principal.status().code() == StatusCode::kUnauthenticated) {
          res.set_header("WWW-Authenticate", "Bearer");
          throw Unauthenticated(principal.status().message());
        }
        throw ApiErrorFromStatus(principal.status());
      }
      call->principal = std::move(*principal);
      if (route.access == Access::kUser && call->principal.kind != Principal::Kind::kUser) {
        throw Forbidden("worker credentials cannot call user routes");
      }
      if (route.access == Access::kWorker && call->principal.kind != Principal::Kind::kWorker) {
        throw Forbidden("this route is for workers only");
      }
    }
    route.handler(*call);
  } catch (const ApiError& e) {
    WriteError(res, e);
    if (e.http_status() >= 500) {
      CT_LOG(ctx.logger, kError) << "req " << request_id << " " << req.method << " " << req.path
                                 << ": " << (e.detail.empty() ? e.what() : e.detail);
    } else if (!e.detail.empty()) {
      CT_LOG(ctx.logger, kInfo) << "req " << request_id << " " << req.method << " " << req.path
                                << " " << e.http_status() << ": " << e.detail;
    }
  } catch (const std::exception& e) {
    WriteError(res, ApiError(500, "internal", "internal error"));
    CT_LOG(ctx.logger, kError) << "req " << request_id << " " << req.method << " " << req.path
                               << ": unexpected exception: " << e.what();
  }
  // A body nobody read (refused, or the request was) is never read: the connection is closed
  // after the answer. So is one whose framing was ambiguous.
  if (((!call || !call->body_read()) && HasBody(req)) || !FramingProblem(req).empty()) {
    GuardedHttpServer::CloseConnectionAfterResponse(res);
  }
  if (ctx.logger.Enabled(LogLevel::kDebug)) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
    CT_LOG(ctx.logger, kDebug) << "req " << request_id << " " << req.method << " " << req.path
                               << " " << res.status << " " << us << "us";
  }
}

std::string VodMediaKey(const std::string& vod_id, const std::string& extension) {
  return "vods/" + vod_id + "/media" + extension;
}
std::string VodChatKey(const std::string& vod_id) { return "vods/" + vod_id + "/chat.json"; }
std::string ClipObjectKey(const std::string& clip_id, const std::string& name) {
  return "clips/" + clip_id + "/" + name;
}

void ServeObject(Call& call, store::ObjectStore& objects, const std::string& key,
                 const std::string& content_type) {
  auto size = objects.Size(key);
  if (!size.ok()) {
    if (size.status().code() == StatusCode::kNotFound) throw NotFound("file");
    throw ApiErrorFromStatus(size.status());
  }
  call.res.set_header("Accept-Ranges", "bytes");
  if (RangeUnsatisfiable(call.req.get_header_value("Range"), *size)) {
    // RFC 9110 15.5.17: every range starts past the end; say how long the object is.
    call.res.status = 416;
    call.res.set_header("Content-Range", "bytes */" + std::to_string(*size));
    return;
  }
  // httplib serves the ranges but takes a range's end as given: "bytes=0-999999" of a 100-byte
  // object would announce a million bytes and send a hundred (the client then waits for the
  // rest). RFC 9110 14.1.1: an end past the object means its last byte; a suffix longer than
  // the object means all of it. The request object is httplib's own, mutable while it is
  // handled; only its parsed ranges are adjusted.
  for (httplib::Range& range : const_cast<httplib::Request&>(call.req).ranges) {
    if (range.first >= 0 && range.second >= *size) range.second = *size - 1;
    if (range.first < 0 && range.second > *size) range.second = *size;
  }
  call.res.set_content_provider(
      static_cast<std::size_t>(*size), content_type,
      [&objects, key](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        Status st = objects.Read(key, static_cast<std::int64_t>(offset),
                                 static_cast<std::int64_t>(length), [&](std::string_view chunk) {
                                   if (!sink.write(chunk.data(), chunk.size())) {
                                     return CancelledError("client went away");
                                   }
                                   return Status::Ok();
                                 });
        return st.ok();
      });
}

AppendedBody AppendBodyToObject(Call& call, store::ObjectStore& objects, const std::string& key,
                                std::int64_t start_offset, std::optional<std::int64_t> limit_offset,
                                const std::function<Status()>& before_write) {
  constexpr std::size_t kAppendBufferBytes = 1 << 20;
  AppendedBody out;
  out.end_offset = start_offset;
  std::string buffer;
  buffer.reserve(kAppendBufferBytes);
  auto flush = [&] {
    if (buffer.empty() || !out.status.ok()) return;
    if (before_write) {
      out.status = before_write();
      if (!out.status.ok()) return;
    }
    auto r = objects.Append(key, out.end_offset, buffer);
    if (r.ok()) {
      out.end_offset = *r;
    } else {
      out.status = r.status();
    }
    buffer.clear();
  };
  call.StreamBody([&](const char* data, std::size_t n) {
    if (limit_offset &&
        out.end_offset + static_cast<std::int64_t>(buffer.size() + n) > *limit_offset) {
      out.too_long = true;
      return false;
    }
    buffer.append(data, n);
    if (buffer.size() >= kAppendBufferBytes) flush();
    return out.status.ok();
  });
  if (!out.too_long) flush();
  return out;
}

}  // namespace clipthat::api
