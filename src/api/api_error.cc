#include "api/api_error.h"

#include <nlohmann/json.hpp>

#include "api/public_text.h"

namespace clipthat::api {

ApiError BadRequest(std::string message) { return {400, "bad_request", std::move(message)}; }
ApiError Unauthenticated(std::string message) {
  return {401, "unauthenticated", std::move(message)};
}
ApiError Forbidden(std::string message) { return {403, "forbidden", std::move(message)}; }
ApiError NotFound(std::string what) { return {404, "not_found", what + " not found"}; }
ApiError Conflict(std::string message) { return {409, "conflict", std::move(message)}; }
ApiError PaymentRequired(std::int64_t balance, std::int64_t price, const std::string& what) {
  ApiError e(402, "payment_required",
             "not enough credits: " + what + " costs " + std::to_string(price) +
                 " credits and your balance is " + std::to_string(balance) +
                 " (buy credits: POST /v1/billing/checkout)");
  e.fields = {{"balance", balance}, {"price", price}};
  return e;
}
ApiError PayloadTooLarge(std::string message) {
  return {413, "payload_too_large", std::move(message)};
}
ApiError InvalidField(std::string field, std::string problem) {
  return {422, "invalid_field", field + ": " + problem};
}

namespace {
// A 4xx answer for `status`: its message with paths cut, or `generic` when it carries database
// internals (the original is kept in detail, for the log).
ApiError ClientError(int http_status, std::string code, const Status& status, std::string generic) {
  std::optional<std::string> text = PublicText(status.message());
  ApiError e(http_status, std::move(code), text ? std::move(*text) : std::move(generic));
  if (!text || *text != status.message()) e.detail = status.ToString();
  return e;
}
}  // namespace

ApiError ApiErrorFromStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound: return ClientError(404, "not_found", status, "not found");
    case StatusCode::kInvalidArgument:
    case StatusCode::kDataError:
    case StatusCode::kUnsupported:
      return ClientError(422, "unprocessable", status, "the request could not be processed");
    case StatusCode::kConflict:
    case StatusCode::kAlreadyExists:
      return ClientError(409, "conflict", status, "conflicts with the current state");
    case StatusCode::kPermissionDenied: return ClientError(403, "forbidden", status, "forbidden");
    case StatusCode::kUnauthenticated:
      return ClientError(401, "unauthenticated", status, "unauthenticated");
    case StatusCode::kResourceExhausted:
      return ClientError(429, "rate_limited", status, "too many requests; retry later");
    case StatusCode::kUnavailable: {
      ApiError e(503, "unavailable", "a backing service is unavailable; retry later");
      e.detail = status.ToString();
      return e;
    }
    default: {
      ApiError e(500, "internal", "internal error");
      e.detail = status.ToString();
      return e;
    }
  }
}

std::string ErrorBody(std::string_view code, std::string_view message,
                      const nlohmann::json& fields) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  if (fields.is_object()) {
    for (const auto& [name, value] : fields.items()) {
      if (name != "code" && name != "message") body["error"][name] = value;
    }
  }
  // Messages may quote user input: never let invalid UTF-8 turn into an exception here.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace clipthat::api
