// Context: the named, typed slots that the stages of one pipeline run read and write.
//
//   inline constexpr Slot<media::ProbeInfo> kProbeSlot{"probe"};
//   ctx.Set(kProbeSlot, info);                      // a stage writes
//   ASSIGN_OR_RETURN(const auto* probe, ctx.Get(kProbeSlot));  // a later stage reads
//
// A missing slot is an error that names it ("context slot 'probe' is not set"), so a pipeline
// assembled in the wrong order fails clearly. The context also carries the run's logger, its
// cancellation flag and the progress sink that stages report to; the Runner wires those.
#pragma once

#include <any>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <typeinfo>

#include "core/log.h"
#include "core/result.h"
#include "pipeline/cancel_token.h"

namespace clipthat::pipeline {

// A typed key into the Context. Declare one constexpr Slot per value passed between stages.
template <typename T>
struct Slot {
  const char* name;
};

class Context {
 public:
  Context() = default;
  explicit Context(Logger logger) : logger_(std::move(logger)) {}
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  template <typename T>
  void Set(Slot<T> slot, T value) {
    slots_[slot.name] = std::make_any<T>(std::move(value));
  }

  template <typename T>
  bool Has(Slot<T> slot) const {
    return slots_.count(slot.name) > 0;
  }

  // The value in `slot`; NotFound if unset, Internal if it holds another type.
  template <typename T>
  Result<T*> Get(Slot<T> slot) {
    auto it = slots_.find(slot.name);
    if (it == slots_.end()) {
      return NotFoundError(std::string("context slot '") + slot.name + "' is not set");
    }
    T* value = std::any_cast<T>(&it->second);
    if (value == nullptr) {
      return InternalError(std::string("context slot '") + slot.name + "' holds " +
                           it->second.type().name() + ", not " + typeid(T).name());
    }
    return value;
  }

  const Logger& logger() const { return logger_; }
  void set_logger(Logger logger) { logger_ = std::move(logger); }

  bool cancelled() const { return cancel_ != nullptr && cancel_->cancelled(); }
  void set_cancel_token(const CancelToken* token) { cancel_ = token; }

  // Reports how far the current stage is, 0..1. Cheap; safe to call often.
  void ReportProgress(double fraction) const {
    if (progress_sink_) progress_sink_(fraction);
  }
  void set_progress_sink(std::function<void(double)> sink) { progress_sink_ = std::move(sink); }

 private:
  std::map<std::string, std::any, std::less<>> slots_;
  Logger logger_;
  const CancelToken* cancel_ = nullptr;
  std::function<void(double)> progress_sink_;
};

}  // namespace clipthat::pipeline
