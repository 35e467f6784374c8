// HttpClient: POSTs to one remote server (an OpenAI-compatible model server) with timeouts,
// bounded retries and a cap on the answer's size.
//
//   HttpOptions options;
//   options.base_url = "http://127.0.0.1:8080";
//   options.timeout_ms = 60000;
//   ASSIGN_OR_RETURN(HttpClient client, HttpClient::Create(options));
//   ASSIGN_OR_RETURN(nlohmann::json answer, client.PostJson("/v1/chat/completions", body));
//
// Retries (with doubling backoff) happen on connection errors, timeouts, 5xx, 408 and 429, never
// on other 4xx answers. Errors name the full URL:
//   Unavailable  "http://127.0.0.1:9/v1/audio/transcriptions: no answer within 3000 ms (after 3
//                tries)", also for 5xx/429 answers that persist;
//   InvalidArgument  a 4xx answer (bad key, bad request), with the server's own message;
//   NotFound     a 404 (wrong path);
//   DataError    an answer too large, or not JSON (PostJson), naming the status code.
// No exception escapes. One HttpClient may be used from several threads: each request opens its
// own connection.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace clipthat::ai {

struct HttpOptions {
  // "http://host[:port][/prefix]" or "https://...". A prefix is prepended to request paths; a
  // prefix ending in "/v1" and a path starting with "/v1/" share the "/v1" (so both
  // "https://api.openai.com/v1" and "https://api.openai.com" work as base URLs).
  std::string base_url;
  std::string api_key;             // sent as "Authorization: Bearer KEY" when not empty
  int connect_timeout_ms = 10000;  // to open the connection (TCP and TLS)
  int timeout_ms = 60000;          // longest wait for the server while sending or answering
  int retries = 2;                 // extra tries after the first; 0 = one try only
  int backoff_ms = 500;            // wait before the first retry, doubled for each next one
  int max_backoff_ms = 10000;      // cap on one wait, also on a server's Retry-After
  std::size_t max_response_bytes = 16 << 20;  // larger answers are a DataError
};

// One part of a multipart/form-data body.
struct FormPart {
  std::string name;
  std::string content;
  std::string filename;      // empty for a plain field
  std::string content_type;  // empty for a plain field
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

class HttpClient {
 public:
  // Checks the options; InvalidArgument names a bad base URL or a non-positive timeout.
  static Result<HttpClient> Create(HttpOptions options);

  // POSTs `body` to `path` and returns a 2xx answer (see the header comment for errors).
  // `headers` are added to the request (an Idempotency-Key, which every retry repeats).
  Result<HttpResponse> Post(
      std::string_view path, const std::string& body, std::string_view content_type,
      const std::vector<std::pair<std::string, std::string>>& headers = {}) const;
  // POSTs multipart/form-data.
  Result<HttpResponse> PostMultipart(std::string_view path,
                                     const std::vector<FormPart>& parts) const;
  // POSTs `body` as application/json and parses the answer; DataError when it is not JSON.
  Result<nlohmann::json> PostJson(std::string_view path, const nlohmann::json& body) const;

  // The full URL of `path` on this server, as used in messages.
  std::string UrlFor(std::string_view path) const;
  const HttpOptions& options() const { return options_; }

 private:
  HttpClient(HttpOptions options, std::string origin, std::string prefix)
      : options_(std::move(options)), origin_(std::move(origin)), prefix_(std::move(prefix)) {}

  std::string PathFor(std::string_view path) const;

  HttpOptions options_;
  std::string origin_;  // "scheme://host:port"
  std::string prefix_;  // "" or "/prefix" without a trailing slash
};

// Parses a JSON answer; DataError "URL: answer is not JSON (status 200): ...".
Result<nlohmann::json> ParseJsonAnswer(const HttpResponse& response, std::string_view url);

// Builds an application/x-www-form-urlencoded body: "name=value&..." with every byte outside
// A-Z a-z 0-9 - _ . ~ percent-encoded (brackets of "metadata[credits]" included).
std::string EncodeForm(const std::vector<std::pair<std::string, std::string>>& fields);

// Builds a multipart/form-data body with `boundary`; returns the body.
std::string EncodeMultipart(const std::vector<FormPart>& parts, std::string_view boundary);

}  // namespace clipthat::ai
