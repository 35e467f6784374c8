#include "api/authenticator.h"

#include <optional>

#include "core/crypto.h"

namespace clipthat::api {
namespace {
constexpr std::size_t kMaxCacheEntries = 100000;
constexpr std::int64_t kTouchIntervalMs = 60000;
Status Unauth(std::string m) { return Status(StatusCode::kUnauthenticated, std::move(m)); }
}  // namespace

Result<Principal> Authenticator::Authenticate(std::string_view authorization, std::int64_t now_ms) {
  if (authorization.empty()) return Unauth("missing Authorization header");
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      authorization.substr(0, kBearer.size()) != kBearer) {
    return Unauth("Authorization must be 'Bearer <token>'");
  }
  std::string_view credential = authorization.substr(kBearer.size());
  if (credential.size() > 4096) return Unauth("credential too long");
  if (credential.substr(0, kApiKeyPrefix.size()) == kApiKeyPrefix) {
    return AuthenticateKey(credential, now_ms);
  }

  ASSIGN_OR_RETURN(JwtClaims claims, jwt_.Verify(credential, now_ms / 1000));
  {
    std::lock_guard lock(mutex_);
    auto it = revocations_.find(claims.id);
    if (it != revocations_.end() &&
        (it->second.revoked || now_ms - it->second.checked_at_ms < cache_ms_)) {
      if (it->second.revoked) return Unauth("token revoked");
      return Principal{Principal::Kind::kUser, std::move(claims.subject), "", std::move(claims.id),
                       claims.expires_at_s};
    }
  }
  ASSIGN_OR_RETURN(bool revoked, accounts_.IsTokenRevoked(claims.id));
  {
    std::lock_guard lock(mutex_);
    if (revocations_.size() >= kMaxCacheEntries) revocations_.clear();
    revocations_[claims.id] = {revoked, now_ms};
  }
  if (revoked) return Unauth("token revoked");
  return Principal{Principal::Kind::kUser, std::move(claims.subject), "", std::move(claims.id),
                   claims.expires_at_s};
}

Result<Principal> Authenticator::AuthenticateKey(std::string_view key, std::int64_t now_ms) {
  std::string hash = Sha256Hex(key);
  bool touch = false;
  std::optional<Principal> cached;
  {
    std::lock_guard lock(mutex_);
    auto it = keys_.find(hash);
    if (it != keys_.end() && now_ms - it->second.checked_at_ms < cache_ms_) {
      if (!it->second.found) return Unauth("unknown or revoked API key");
      if (now_ms - it->second.touched_at_ms >= kTouchIntervalMs) {
        it->second.touched_at_ms = now_ms;
        touch = true;
      }
      cached = it->second.principal;
    }
  }
  if (cached) {
    if (touch) (void)accounts_.TouchKey(cached->key_id, now_ms);  // best effort
    return *std::move(cached);
  }
  ASSIGN_OR_RETURN(std::optional<ApiKeyRecord> record, accounts_.FindKeyByHash(hash));
  KeyEntry entry;
  entry.checked_at_ms = now_ms;
  if (record) {
    entry.found = true;
    entry.principal.kind =
        record->scope == kScopeWorker ? Principal::Kind::kWorker : Principal::Kind::kUser;
    entry.principal.user_id = record->user_id.value_or("");
    entry.principal.key_id = record->id;
    if (entry.principal.kind == Principal::Kind::kUser && entry.principal.user_id.empty()) {
      entry.found = false;  // a user key must belong to a user
    }
  }
  {
    std::lock_guard lock(mutex_);
    auto it = keys_.find(hash);
    entry.touched_at_ms = it != keys_.end() ? it->second.touched_at_ms : 0;
    if (entry.found && now_ms - entry.touched_at_ms >= kTouchIntervalMs) {
      entry.touched_at_ms = now_ms;
      touch = true;
    }
    if (keys_.size() >= kMaxCacheEntries) keys_.clear();
    keys_[hash] = entry;
  }
  if (!entry.found) return Unauth("unknown or revoked API key");
  if (touch) (void)accounts_.TouchKey(entry.principal.key_id, now_ms);  // best effort
  return entry.principal;
}

void Authenticator::NoteTokenRevoked(const std::string& jti) {
  std::lock_guard lock(mutex_);
  revocations_[jti] = {true, 0};
}

void Authenticator::ForgetKeys() {
  std::lock_guard lock(mutex_);
  keys_.clear();
}

}  // namespace clipthat::api
