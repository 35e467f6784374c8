// ApiError: an HTTP error answer, thrown inside request handlers and turned into
// {"error": {"code": "...", "message": "..."}} with its status by the router (the one catch at
// the HTTP handler boundary; no exception leaves the api module).
//
//   throw ApiError(422, "invalid_field", "title: expected a string");
//   ThrowIfError(repo.Delete(id));             // a Status mapped to its HTTP status
//   auto vod = ValueOrThrow(repo.Get(id, user));
//
// Codes are short snake_case words clients can switch on: bad_request (400), unauthenticated
// (401), forbidden (403), not_found (404), method_not_allowed (405), conflict (409),
// payload_too_large (413), invalid_field / unprocessable (422), rate_limited (429),
// quota_exceeded (429 or 409, quotas.h), internal (500), unavailable (503).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/result.h"
#include "core/status.h"

namespace clipthat::api {

class ApiError : public std::runtime_error {
 public:
  ApiError(int http_status, std::string code, std::string message)
      : std::runtime_error(message), http_status_(http_status), code_(std::move(code)) {}

  int http_status() const { return http_status_; }
  const std::string& code() const { return code_; }
  // Seconds for a Retry-After header (429); 0 = none.
  int retry_after_s = 0;
  // What went wrong inside (logged, never sent): set for 500 and 503 answers, and for answers
  // whose message was cleaned of internals (ApiErrorFromStatus).
  std::string detail;
  // More fields of the "error" object for clients to act on (402: "balance", "price").
  nlohmann::json fields = nlohmann::json::object();

 private:
  int http_status_;
  std::string code_;
};

// Shorthands for the common answers.
ApiError BadRequest(std::string message);       // 400 bad_request
ApiError Unauthenticated(std::string message);  // 401 unauthenticated
ApiError Forbidden(std::string message);        // 403 forbidden
ApiError NotFound(std::string what);            // 404 not_found, "<what> not found"
ApiError Conflict(std::string message);         // 409 conflict
// 402 payment_required, with "balance" and "price" (credits) in the error object.
ApiError PaymentRequired(std::int64_t balance, std::int64_t price, const std::string& what);
ApiError PayloadTooLarge(std::string message);                  // 413 payload_too_large
ApiError InvalidField(std::string field, std::string problem);  // 422 "field: problem"

// The HTTP answer for a failed Status: NotFound 404; InvalidArgument, DataError and
// Unsupported 422; AlreadyExists/Conflict-like codes 409; PermissionDenied 403;
// Unauthenticated 401; ResourceExhausted 429; Unavailable 503; anything else 500 with a
// generic message (the details are logged, never sent: they may name SQL or paths). 4xx
// messages are sent through PublicText (public_text.h): paths cut to their last component, a
// message with database internals replaced by a generic one (the original in `detail`).
ApiError ApiErrorFromStatus(const Status& status);

inline void ThrowIfError(const Status& status) {
  if (!status.ok()) throw ApiErrorFromStatus(status);
}

template <typename T>
T ValueOrThrow(Result<T> result) {
  if (!result.ok()) throw ApiErrorFromStatus(result.status());
  return std::move(result).value();
}

// What a lookup found; 404 "<what> not found" when it found nothing. A failed lookup is
// answered as by ValueOrThrow.
template <typename T>
T FoundOrThrow(Result<std::optional<T>> result, std::string what) {
  if (!result.ok()) throw ApiErrorFromStatus(result.status());
  std::optional<T>& found = result.value();
  if (!found) throw NotFound(std::move(what));
  return std::move(*found);
}

// {"error":{"code":...,"message":..., fields...}} as compact JSON text.
std::string ErrorBody(std::string_view code, std::string_view message,
                      const nlohmann::json& fields = nlohmann::json::object());

}  // namespace clipthat::api
