#include "ai/http_client.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "core/json_document.h"
#include "core/time_units.h"

namespace clipthat::ai {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Tries(int n) {
  return n == 1 ? "(after 1 try)" : "(after " + std::to_string(n) + " tries)";
}

// One line of at most `max_chars` from an answer body, for messages.
std::string Excerpt(std::string_view text, std::size_t max_chars = 200) {
  std::string out;
  for (char c : text.substr(0, max_chars)) {
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  if (text.size() > max_chars) out += "...";
  return out;
}

// The server's own error message: OpenAI and llama.cpp {"error":{"message"}}, whisper.cpp
// {"error":"..."}, FastAPI servers (speaches) {"detail":...}; else the start of the body.
std::string ServerMessage(const std::string& body) {
  Result<nlohmann::json> doc = ParseJsonDocument(body, "answer");
  const nlohmann::json j = doc.ok() ? std::move(doc).value() : nlohmann::json();
  if (j.is_object()) {
    if (auto it = j.find("error"); it != j.end()) {
      if (it->is_string()) return it->get<std::string>();
      if (it->is_object() && it->contains("message") && (*it)["message"].is_string()) {
        return (*it)["message"].get<std::string>();
      }
    }
    if (auto it = j.find("message"); it != j.end() && it->is_string()) {
      return it->get<std::string>();
    }
    if (auto it = j.find("detail"); it != j.end()) {
      return it->is_string() ? it->get<std::string>() : Excerpt(it->dump());
    }
  }
  return Excerpt(body);
}

bool RetryableStatus(int status) { return status >= 500 || status == 429 || status == 408; }

bool RetryableError(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::Read:
    case httplib::Error::Write:
    case httplib::Error::SSLConnection: return true;
    default: return false;
  }
}

// Why a request that got no answer failed, in words.
std::string TransportReason(httplib::Error error, TimeMs elapsed_ms, const HttpOptions& options) {
  // A read or write that failed well before the timeout means the peer closed the connection.
  const bool timed_out = elapsed_ms >= options.timeout_ms * 9 / 10;
  switch (error) {
    case httplib::Error::Connection:
      return "could not connect (connection refused or host unreachable)";
    case httplib::Error::ConnectionTimeout:
      return "no connection within " + std::to_string(options.connect_timeout_ms) + " ms";
    case httplib::Error::Read:
      return timed_out ? "no answer within " + std::to_string(options.timeout_ms) + " ms"
                       : "connection closed before a complete answer";
    case httplib::Error::Write:
      return timed_out
                 ? "could not send the request within " + std::to_string(options.timeout_ms) + " ms"
                 : "connection closed while sending the request";
    case httplib::Error::SSLConnection: return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts: return "could not load the system's CA certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate is not trusted";
    default: return "request failed: " + httplib::to_string(error);
  }
}

std::string RandomBoundary() {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device device;
  std::mt19937 rng(device());
  std::uniform_int_distribution<int> pick(0, sizeof(kChars) - 2);
  std::string boundary = "----clipthat";
  for (int i = 0; i < 24; ++i) boundary += kChars[pick(rng)];
  return boundary;
}

}  // namespace

Result<HttpClient> HttpClient::Create(HttpOptions options) {
  const std::string& url = options.base_url;
  auto bad = [&](std::string why) {
    return InvalidArgumentError("base URL '" + url + "': " + std::move(why));
  };
  std::string lower = Lower(url);
  std::string scheme;
  if (lower.starts_with("http://")) {
    scheme = "http";
  } else if (lower.starts_with("https://")) {
    scheme = "https";
  } else {
    return bad("must start with http:// or https://");
  }
  std::string rest = url.substr(scheme.size() + 3);
  if (rest.find_first_of("?#") != std::string::npos) return bad("has a query or fragment");
  std::size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : rest.substr(slash);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (authority.find('@') != std::string::npos) return bad("user info is not supported");

  std::string host;
  std::string port_text;
  if (authority.starts_with("[")) {  // [::1]:8080
    std::size_t close = authority.find(']');
    if (close == std::string::npos) return bad("unclosed '[' in the host");
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return bad("unexpected text after the host");
      port_text = authority.substr(close + 2);
    }
  } else {
    std::size_t colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (host.empty() || host == "[]") return bad("no host");
  int port = scheme == "https" ? 443 : 80;
  if (!port_text.empty()) {
    char* end = nullptr;
    long p = std::strtol(port_text.c_str(), &end, 10);
    if (end != port_text.c_str() + port_text.size() || p < 1 || p > 65535) {
      return bad("port '" + port_text + "' is not a number from 1 to 65535");
    }
    port = static_cast<int>(p);
  }
  if (options.timeout_ms <= 0) return InvalidArgumentError("timeout_ms must be positive");
  if (options.connect_timeout_ms <= 0) {
    return InvalidArgumentError("connect_timeout_ms must be positive");
  }
  if (options.retries < 0 || options.retries > 10) {
    return InvalidArgumentError("retries must be from 0 to 10, not " +
                                std::to_string(options.retries));
  }
  options.backoff_ms = std::max(0, options.backoff_ms);
  options.max_backoff_ms = std::max(options.backoff_ms, options.max_backoff_ms);
  std::string origin = scheme + "://" + host + ":" + std::to_string(port);
  return HttpClient(std::move(options), std::move(origin), std::move(prefix));
}

std::string HttpClient::PathFor(std::string_view path) const {
  std::string p(path);
  if (p.empty() || p.front() != '/') p.insert(p.begin(), '/');
  if (prefix_.ends_with("/v1") && (p.starts_with("/v1/") || p == "/v1")) p.erase(0, 3);
  return prefix_ + p;
}

std::string HttpClient::UrlFor(std::string_view path) const {
  // Show the URL as the user wrote it (no default port added).
  std::string base = options_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string full_path = PathFor(path);
  return base.substr(0, base.size() - prefix_.size()) + full_path;
}

Result<HttpResponse> HttpClient::Post(
    std::string_view path, const std::string& body, std::string_view content_type,
    const std::vector<std::pair<std::string, std::string>>& headers) const {
  const std::string url = UrlFor(path);
  const int tries = options_.retries + 1;
  int backoff_ms = options_.backoff_ms;
  Status last;
  for (int attempt = 1; attempt <= tries; ++attempt) {
    int wait_ms = backoff_ms;
    try {
      httplib::Client client(origin_);
      client.set_connection_timeout(std::chrono::milliseconds(options_.connect_timeout_ms));
      client.set_read_timeout(std::chrono::milliseconds(options_.timeout_ms));
      client.set_write_timeout(std::chrono::milliseconds(options_.timeout_ms));
      client.set_keep_alive(false);

      httplib::Request request;
      request.method = "POST";
      request.path = PathFor(path);
      request.headers = {{"Content-Type", std::string(content_type)},
                         {"Accept", "application/json"},
                         {"User-Agent", "clipthat"}};
      if (!options_.api_key.empty()) {
        request.headers.emplace("Authorization", "Bearer " + options_.api_key);
      }
      for (const auto& [name, value] : headers) request.headers.emplace(name, value);
      request.body = body;
      std::string answer;
      bool too_large = false;
      request.content_receiver = [&](const char* data, std::size_t n, std::uint64_t,
                                     std::uint64_t) {
        if (answer.size() + n > options_.max_response_bytes) {
          too_large = true;
          return false;
        }
        answer.append(data, n);
        return true;
      };

      httplib::Response response;
      httplib::Error error = httplib::Error::Success;
      Stopwatch watch;
      bool sent = client.send(request, response, error);
      if (too_large) {
        return DataError(url + ": answer larger than " +
                         std::to_string(options_.max_response_bytes) + " bytes");
      }
      if (!sent || error != httplib::Error::Success) {
        last = UnavailableError(url + ": " + TransportReason(error, watch.ElapsedMs(), options_));
        if (!RetryableError(error)) return last;
      } else if (response.status >= 200 && response.status < 300) {
        return HttpResponse{response.status, response.get_header_value("Content-Type"),
                            std::move(answer)};
      } else {
        std::string what = url + ": " + std::to_string(response.status) +
                           (response.reason.empty() ? "" : " " + response.reason) + ": " +
                           ServerMessage(answer);
        if (!RetryableStatus(response.status)) {
          if (response.status == 401 || response.status == 403) {
            return InvalidArgumentError(what + " (check the API key)");
          }
          if (response.status == 404) return NotFoundError(what + " (check the base URL and path)");
          return InvalidArgumentError(what);
        }
        last = UnavailableError(what);
        if (response.has_header("Retry-After")) {
          long seconds = std::strtol(response.get_header_value("Retry-After").c_str(), nullptr, 10);
          if (seconds > 0) wait_ms = static_cast<int>(std::min<long>(seconds * 1000, INT32_MAX));
        }
      }
    } catch (const std::exception& e) {
      return InternalError(url + ": HTTP client failed: " + e.what());
    }
    if (attempt < tries) {
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::min(wait_ms, options_.max_backoff_ms)));
      backoff_ms = std::min(backoff_ms * 2, options_.max_backoff_ms);
    }
  }
  return Status(last.code(), last.message() + " " + Tries(tries));
}

Result<HttpResponse> HttpClient::PostMultipart(std::string_view path,
                                               const std::vector<FormPart>& parts) const {
  std::string boundary;
  bool clash = true;
  while (clash) {  // a boundary must not occur inside any part
    boundary = RandomBoundary();
    clash = std::any_of(parts.begin(), parts.end(), [&](const FormPart& p) {
      return p.content.find(boundary) != std::string::npos;
    });
  }
  return Post(path, EncodeMultipart(parts, boundary), "multipart/form-data; boundary=" + boundary);
}

Result<nlohmann::json> HttpClient::PostJson(std::string_view path,
                                            const nlohmann::json& body) const {
  std::string text;
  try {
    text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const std::exception& e) {
    return InternalError(UrlFor(path) + ": request not serialisable: " + e.what());
  }
  ASSIGN_OR_RETURN(HttpResponse response, Post(path, text, "application/json"));
  return ParseJsonAnswer(response, UrlFor(path));
}

Result<nlohmann::json> ParseJsonAnswer(const HttpResponse& response, std::string_view url) {
  if (JsonNestingDepth(response.body) > JsonLimits{}.max_depth) {
    return DataError(std::string(url) + ": answer is nested deeper than " +
                     std::to_string(JsonLimits{}.max_depth) + " levels");
  }
  try {
    return nlohmann::json::parse(response.body);
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    return DataError(std::string(url) + ": answer is not JSON (status " +
                     std::to_string(response.status) +
                     (response.content_type.empty() ? "" : ", " + response.content_type) +
                     "): " + what + "; it starts with '" + Excerpt(response.body, 80) + "'");
  }
}

std::string EncodeForm(const std::vector<std::pair<std::string, std::string>>& fields) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  auto append = [](std::string& out, std::string_view text) {
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
  };
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    append(body, name);
    body += '=';
    append(body, value);
  }
  return body;
}

std::string EncodeMultipart(const std::vector<FormPart>& parts, std::string_view boundary) {
  std::string body;
  for (const FormPart& part : parts) {
    body += "--";
    body += boundary;
    body += "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
    if (!part.filename.empty()) body += "; filename=\"" + part.filename + "\"";
    body += "\r\n";
    if (!part.content_type.empty()) body += "Content-Type: " + part.content_type + "\r\n";
    body += "\r\n";
    body += part.content;
    body += "\r\n";
  }
  body += "--";
  body += boundary;
  body += "--\r\n";
  return body;
}

}  // namespace clipthat::ai
