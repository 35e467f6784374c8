// Result<T>: a value or the Status that explains why there is none.
//
//   Result<Probe> probe = ProbeFile(path);
//   if (!probe.ok()) return probe.status();
//   Use(*probe);
//
// ASSIGN_OR_RETURN(auto probe, ProbeFile(path)); does the same in one line.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "core/status.h"

namespace clipthat {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok() && "Result built from an OK status has no value");
    if (std::get<Status>(data_).ok()) {
      data_ = Status(StatusCode::kInternal, "Result built from an OK status");
    }
  }

  bool ok() const { return std::holds_alternative<T>(data_); }

  // The error; OK when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

  // Access to the value; only valid when ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace clipthat

#define CLIPTHAT_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()

// Evaluates `expr` (a Result<T>); on error returns its Status, else assigns the value to `lhs`.
#define ASSIGN_OR_RETURN(lhs, expr) \
  CLIPTHAT_ASSIGN_OR_RETURN_IMPL(CLIPTHAT_CONCAT(clipthat_result_, __LINE__), lhs, expr)
