// Authenticator: turns an "Authorization: Bearer ..." header into the caller (a Principal).
//
// Two kinds of credentials:
//   * a JWT (HS256, from signup/login): verified with the HMAC alone; the only database read is
//     the revocation check (logout), cached per token id for `revocation_cache_ms` — tokens
//     revoked through this server are refused at once, tokens revoked through another server
//     sharing the database within that time;
//   * an API key ("ck_..."): looked up by its SHA-256 (keys are 32 random bytes, so a fast hash
//     is as strong as a slow one), cached the same way; last_used_at_ms is written at most once
//     a minute per key.
// Failures are Unauthenticated with a reason safe to show ("token expired").
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/account_repository.h"
#include "api/jwt.h"
#include "core/result.h"

namespace clipthat::api {

struct Principal {
  enum class Kind { kAnonymous, kUser, kWorker };
  Kind kind = Kind::kAnonymous;
  std::string user_id;                  // users; empty for operator worker keys
  std::string key_id;                   // API keys only
  std::string token_id;                 // JWTs only: the jti (logout revokes it)
  std::int64_t token_expires_at_s = 0;  // JWTs only
};

inline constexpr std::string_view kApiKeyPrefix = "ck_";

class Authenticator {
 public:
  Authenticator(AccountRepository& accounts, const JwtCodec& jwt,
                std::int64_t revocation_cache_ms = 5000)
      : accounts_(accounts), jwt_(jwt), cache_ms_(revocation_cache_ms) {}

  // `authorization`: the header's value. `now_ms`: wall clock.
  Result<Principal> Authenticate(std::string_view authorization, std::int64_t now_ms);

  // Called after logout / key deletion on this server, so the change is seen at once.
  void NoteTokenRevoked(const std::string& jti);
  void ForgetKeys();

 private:
  Result<Principal> AuthenticateKey(std::string_view key, std::int64_t now_ms);

  struct RevocationEntry {
    bool revoked = false;
    std::int64_t checked_at_ms = 0;
  };
  struct KeyEntry {
    bool found = false;
    Principal principal;
    std::int64_t checked_at_ms = 0;
    std::int64_t touched_at_ms = 0;
  };

  AccountRepository& accounts_;
  const JwtCodec& jwt_;
  std::int64_t cache_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, RevocationEntry> revocations_;
  std::unordered_map<std::string, KeyEntry> keys_;  // by key hash
};

}  // namespace clipthat::api
