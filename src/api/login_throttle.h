// LoginThrottle: slows password guessing without letting anyone lock an account's owner out.
//
// Every login attempt is counted against its (e-mail, client address) pair and against the
// e-mail alone; a successful login forgets both. Once a pair has `free_failures` failures in a
// row, its next attempt must wait `base_delay_ms`, doubling with each further failure up to
// `max_delay_ms`. The e-mail alone, counted over every address, is slowed the same way after
// `account_free_failures` but never by more than `account_max_delay_ms` (a few seconds): an
// attacker elsewhere can delay the owner's login by that much at most, never refuse it. An
// attempt that must wait is refused before its password is checked (429 with Retry-After).
//
// In memory, per server; thread-safe. Entries idle for `forget_after_ms` are dropped.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace clipthat::api {

struct LoginThrottleOptions {
  int free_failures = 3;                          // per e-mail and address, before delays start
  std::int64_t base_delay_ms = 1000;              // the first delay; doubles per further failure
  std::int64_t max_delay_ms = 5 * 60 * 1000;      // per e-mail and address
  int account_free_failures = 10;                 // per e-mail over every address
  std::int64_t account_max_delay_ms = 2000;       // per e-mail over every address
  std::int64_t forget_after_ms = 30 * 60 * 1000;  // failures older than this are forgotten
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleOptions options) : options_(options) {}

  // Starts an attempt for `email` from `address` at `now_ms`. Returns 0 when it may go ahead;
  // it is then counted as a failure until Succeeded() says otherwise (so parallel guesses are
  // counted before their passwords are checked). Otherwise returns how long to wait, ms (>= 1),
  // and counts nothing.
  std::int64_t Begin(const std::string& email, const std::string& address, std::int64_t now_ms);
  // The attempt's password was right: forgets the failures of this e-mail and address and the
  // e-mail's count over every address (other addresses stay slowed).
  void Succeeded(const std::string& email, const std::string& address);

 private:
  struct Failures {
    int count = 0;
    std::int64_t last_ms = 0;
  };
  // How long after its last failure the next attempt of `f` may start, ms.
  static std::int64_t DelayMs(const Failures& f, int free_failures, std::int64_t max_delay_ms,
                              std::int64_t base_delay_ms);
  void Sweep(std::int64_t now_ms);

  LoginThrottleOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> by_pair_;  // "email\naddress"
  std::unordered_map<std::string, Failures> by_email_;
  std::int64_t last_sweep_ms_ = 0;
};

}  // namespace clipthat::api
