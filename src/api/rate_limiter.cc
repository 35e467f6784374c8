#include "api/rate_limiter.h"

#include <algorithm>

namespace clipthat::api {

std::optional<std::int64_t> RateLimiter::Acquire(const std::string& key, std::int64_t now_ms) {
  if (max_events_ <= 0) return std::nullopt;
  std::lock_guard lock(mutex_);
  if (now_ms - last_sweep_ms_ > window_ms_) {  // drop idle keys so memory stays bounded
    std::erase_if(events_, [&](const auto& entry) {
      return entry.second.empty() || entry.second.back() <= now_ms - window_ms_;
    });
    last_sweep_ms_ = now_ms;
  }
  std::deque<std::int64_t>& log = events_[key];
  while (!log.empty() && log.front() <= now_ms - window_ms_) log.pop_front();
  if (static_cast<int>(log.size()) >= max_events_) {
    return std::max<std::int64_t>(1, log.front() + window_ms_ - now_ms);
  }
  log.push_back(now_ms);
  return std::nullopt;
}

void RateLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mutex_);
  events_.erase(key);
}

}  // namespace clipthat::api
