// AccountRepository: users, API keys and revoked session tokens (tables users, api_keys,
// revoked_tokens of schema v1) over store::Database. Every method is one or two statements;
// errors are the database's Status (a duplicate e-mail address is AlreadyExists).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace clipthat::api {

struct User {
  std::string id;
  std::string email;  // normalised: trimmed, lower-case
  std::string password_hash;
  std::int64_t created_at_ms = 0;
};

inline constexpr std::string_view kScopeUser = "user";
inline constexpr std::string_view kScopeWorker = "worker";

struct ApiKeyRecord {
  std::string id;
  std::optional<std::string> user_id;  // nullopt for operator worker keys
  std::string name;
  std::string scope;   // "user" or "worker"
  std::string prefix;  // the key's first characters, shown in lists
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> last_used_at_ms;
};

class AccountRepository {
 public:
  explicit AccountRepository(store::Database& db) : db_(db) {}

  Result<User> CreateUser(const std::string& email, const std::string& password_hash);
  Result<std::optional<User>> FindUserByEmail(const std::string& email);
  Result<std::optional<User>> FindUserById(const std::string& id);
  // Replaces the user's password hash; false when no such user.
  Result<bool> SetPasswordHash(const std::string& user_id, const std::string& password_hash);

  // Stores a key by the SHA-256 hex of its secret; the secret itself is never stored.
  Result<ApiKeyRecord> CreateKey(const std::optional<std::string>& user_id, const std::string& name,
                                 std::string_view scope, const std::string& key_hash,
                                 const std::string& prefix);
  // The user's keys that are not revoked, newest first.
  Result<std::vector<ApiKeyRecord>> ListKeys(const std::string& user_id);
  // Marks the user's key revoked; false when the user has no such (live) key.
  Result<bool> RevokeKey(const std::string& id, const std::string& user_id);
  // The live key with this hash, if any.
  Result<std::optional<ApiKeyRecord>> FindKeyByHash(const std::string& key_hash);
  Status TouchKey(const std::string& id, std::int64_t now_ms);

  // Logout: the token id stays refused until it would have expired anyway.
  Status RevokeToken(const std::string& jti, std::int64_t expires_at_ms);
  Result<bool> IsTokenRevoked(const std::string& jti);
  // Deletes revocations of tokens that expired before `now_ms`; returns how many.
  Result<std::int64_t> PurgeExpiredRevocations(std::int64_t now_ms);

 private:
  store::Database& db_;
};

}  // namespace clipthat::api
