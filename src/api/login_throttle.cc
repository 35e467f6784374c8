#include "api/login_throttle.h"

#include <algorithm>

namespace clipthat::api {
namespace {
std::string PairKey(const std::string& email, const std::string& address) {
  return email + '\n' + address;
}
}  // namespace

std::int64_t LoginThrottle::DelayMs(const Failures& f, int free_failures, std::int64_t max_delay_ms,
                                    std::int64_t base_delay_ms) {
  if (f.count < free_failures) return 0;
  const int doublings = std::min(f.count - free_failures, 40);  // 2^40 ms: past any cap
  return std::min(max_delay_ms, base_delay_ms << doublings);
}

void LoginThrottle::Sweep(std::int64_t now_ms) {
  if (now_ms - last_sweep_ms_ < options_.forget_after_ms) return;
  auto stale = [&](const auto& entry) {
    return entry.second.last_ms <= now_ms - options_.forget_after_ms;
  };
  std::erase_if(by_pair_, stale);
  std::erase_if(by_email_, stale);
  last_sweep_ms_ = now_ms;
}

std::int64_t LoginThrottle::Begin(const std::string& email, const std::string& address,
                                  std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Sweep(now_ms);
  const std::string pair_key = PairKey(email, address);
  Failures& pair = by_pair_[pair_key];
  Failures& account = by_email_[email];
  for (Failures* f : {&pair, &account}) {
    if (f->count > 0 && f->last_ms <= now_ms - options_.forget_after_ms) *f = Failures{};
  }
  const std::int64_t pair_ready_ms =
      pair.last_ms +
      DelayMs(pair, options_.free_failures, options_.max_delay_ms, options_.base_delay_ms);
  const std::int64_t account_ready_ms =
      account.last_ms + DelayMs(account, options_.account_free_failures,
                                options_.account_max_delay_ms, options_.base_delay_ms);
  const std::int64_t wait_ms = std::max(pair_ready_ms, account_ready_ms) - now_ms;
  if (wait_ms > 0) return wait_ms;
  for (Failures* f : {&pair, &account}) {
    ++f->count;
    f->last_ms = now_ms;
  }
  return 0;
}

void LoginThrottle::Succeeded(const std::string& email, const std::string& address) {
  std::lock_guard lock(mutex_);
  by_pair_.erase(PairKey(email, address));
  by_email_.erase(email);
}

}  // namespace clipthat::api
