// CancelToken: a thread-safe flag a caller raises to stop a running pipeline.
//
// Stages poll Context::cancelled() in their loops (at least once per second of work) and
// return CancelledError when it is set; the Runner also checks it between stages.
#pragma once

#include <atomic>

namespace clipthat::pipeline {

class CancelToken {
 public:
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

}  // namespace clipthat::pipeline
