// RateLimiter: at most `max_events` per `window_ms` for each key (an e-mail address, an IP), in
// memory, thread-safe. A sliding log per key, bounded: keys idle for a window are dropped.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace clipthat::api {

class RateLimiter {
 public:
  RateLimiter(int max_events, std::int64_t window_ms)
      : max_events_(max_events), window_ms_(window_ms) {}

  // Records one event for `key` at `now_ms` and returns nullopt, or, when the key is over its
  // limit, records nothing and returns how long to wait (ms, >= 1). max_events <= 0: no limit.
  std::optional<std::int64_t> Acquire(const std::string& key, std::int64_t now_ms);

  // Forgets `key` (after a successful login, so a user's own typos stop counting).
  void Reset(const std::string& key);

 private:
  int max_events_;
  std::int64_t window_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::int64_t>> events_;
  std::int64_t last_sweep_ms_ = 0;
};

}  // namespace clipthat::api
