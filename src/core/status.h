// Status: the outcome of an operation that can fail, carried across module boundaries.
//
// A Status is either OK or an error with a code and a human-readable message. Messages name
// the input and what is wrong with it ("chat.json: not JSON: unexpected '}' at byte 120").
// Functions that produce a value return Result<T> (result.h) instead.
//
// Exceptions never cross a module API: wrappers around libraries that throw (OpenCV,
// nlohmann::json) catch and convert to Status at the call site.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace clipthat {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // the caller passed something unusable (bad flag, bad option value)
  kNotFound,          // a file, stream or record does not exist
  kDataError,         // input exists but its content is wrong (corrupt, truncated, not media)
  kUnsupported,       // valid input the product cannot handle (no audio stream, unknown codec)
  kIoError,           // the OS or a library failed to read or write
  kCancelled,         // the operation was cancelled by its caller
  kUnavailable,       // a remote service or device did not answer
  kInternal,          // a bug: an invariant did not hold
  kConflict,          // the state changed under the caller (a lost lease, a wrong offset); HTTP 409
  kAlreadyExists,     // a record with that unique key exists (an e-mail address); HTTP 409
  kPermissionDenied,  // the caller is known but may not do this; HTTP 403
  kUnauthenticated,   // the caller is not known (no, bad or expired credentials); HTTP 401
  kResourceExhausted,  // a quota or rate limit was hit, or a body is too large; HTTP 429 / 413
};

// Short lower-case name of a code ("invalid argument"), for messages and JSON.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "not found: vod.mp4: no such file", or "ok".
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>"; OK stays OK. Used to add context
  // (a stage name, a file name) as an error travels up.
  Status WithPrefix(std::string_view prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFoundError(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status DataError(std::string m) { return {StatusCode::kDataError, std::move(m)}; }
inline Status UnsupportedError(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status CancelledError(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
inline Status UnavailableError(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status ConflictError(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
inline Status AlreadyExistsError(std::string m) {
  return {StatusCode::kAlreadyExists, std::move(m)};
}
inline Status PermissionDeniedError(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status UnauthenticatedError(std::string m) {
  return {StatusCode::kUnauthenticated, std::move(m)};
}
inline Status ResourceExhaustedError(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}

}  // namespace clipthat

#define CLIPTHAT_CONCAT_INNER(a, b) a##b
#define CLIPTHAT_CONCAT(a, b) CLIPTHAT_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function if `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)                            \
  do {                                                   \
    ::clipthat::Status clipthat_status_ = (expr);        \
    if (!clipthat_status_.ok()) return clipthat_status_; \
  } while (0)
