#include "api/account_repository.h"

namespace clipthat::api {
namespace {
User UserFromRow(const store::Row& r) {
  return {r.Text("id"), r.Text("email"), r.Text("password_hash"), r.Int("created_at_ms")};
}
ApiKeyRecord KeyFromRow(const store::Row& r) {
  return {r.Text("id"),
          r.OptText("user_id"),
          r.Text("name"),
          r.Text("scope"),
          r.Text("prefix"),
          r.Int("created_at_ms"),
          r.OptInt("last_used_at_ms")};
}
constexpr std::string_view kKeyColumns =
    "id, user_id, name, scope, prefix, created_at_ms, last_used_at_ms";
}  // namespace

Result<User> AccountRepository::CreateUser(const std::string& email,
                                           const std::string& password_hash) {
  User user{store::NewId(), email, password_hash, store::NowMs()};
  ASSIGN_OR_RETURN(std::int64_t n,
                   db_.Execute("INSERT INTO users (id, email, password_hash, created_at_ms) "
                               "VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING",
                               {user.id, user.email, user.password_hash, user.created_at_ms}));
  if (n == 0) return Status(StatusCode::kAlreadyExists, "an account with this email exists");
  return user;
}

Result<std::optional<User>> AccountRepository::FindUserByEmail(const std::string& email) {
  ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT id, email, password_hash, created_at_ms FROM "
                                        "users WHERE email = $1",
                                        {email}));
  if (rows.empty()) return std::optional<User>();
  return std::optional<User>(UserFromRow(rows[0]));
}

Result<std::optional<User>> AccountRepository::FindUserById(const std::string& id) {
  ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT id, email, password_hash, created_at_ms FROM "
                                        "users WHERE id = $1",
                                        {id}));
  if (rows.empty()) return std::optional<User>();
  return std::optional<User>(UserFromRow(rows[0]));
}

Result<bool> AccountRepository::SetPasswordHash(const std::string& user_id,
                                                const std::string& password_hash) {
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      db_.Execute("UPDATE users SET password_hash = $1 WHERE id = $2", {password_hash, user_id}));
  return changed > 0;
}

Result<ApiKeyRecord> AccountRepository::CreateKey(const std::optional<std::string>& user_id,
                                                  const std::string& name, std::string_view scope,
                                                  const std::string& key_hash,
                                                  const std::string& prefix) {
  ApiKeyRecord key{store::NewId(), user_id, name, std::string(scope), prefix, store::NowMs(), {}};
  store::SqlValue owner = user_id ? store::SqlValue(*user_id) : store::SqlValue();
  RETURN_IF_ERROR(
      db_.Execute("INSERT INTO api_keys (id, user_id, name, scope, key_hash, prefix, "
                  "created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  {key.id, owner, key.name, key.scope, key_hash, key.prefix, key.created_at_ms})
          .status());
  return key;
}

Result<std::vector<ApiKeyRecord>> AccountRepository::ListKeys(const std::string& user_id) {
  ASSIGN_OR_RETURN(auto rows,
                   db_.Query("SELECT " + std::string(kKeyColumns) +
                                 " FROM api_keys WHERE user_id = $1 AND revoked_at_ms IS NULL "
                                 "ORDER BY created_at_ms DESC, id DESC",
                             {user_id}));
  std::vector<ApiKeyRecord> keys;
  for (const auto& r : rows) keys.push_back(KeyFromRow(r));
  return keys;
}

Result<bool> AccountRepository::RevokeKey(const std::string& id, const std::string& user_id) {
  ASSIGN_OR_RETURN(std::int64_t n,
                   db_.Execute("UPDATE api_keys SET revoked_at_ms = $1 WHERE id = $2 AND "
                               "user_id = $3 AND revoked_at_ms IS NULL",
                               {store::NowMs(), id, user_id}));
  return n > 0;
}

Result<std::optional<ApiKeyRecord>> AccountRepository::FindKeyByHash(const std::string& key_hash) {
  ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT " + std::string(kKeyColumns) +
                                            " FROM api_keys WHERE key_hash = $1 AND "
                                            "revoked_at_ms IS NULL",
                                        {key_hash}));
  if (rows.empty()) return std::optional<ApiKeyRecord>();
  return std::optional<ApiKeyRecord>(KeyFromRow(rows[0]));
}

Status AccountRepository::TouchKey(const std::string& id, std::int64_t now_ms) {
  return db_.Execute("UPDATE api_keys SET last_used_at_ms = $1 WHERE id = $2", {now_ms, id})
      .status();
}

Status AccountRepository::RevokeToken(const std::string& jti, std::int64_t expires_at_ms) {
  return db_
      .Execute(
          "INSERT INTO revoked_tokens (jti, expires_at_ms) VALUES ($1, $2) "
          "ON CONFLICT (jti) DO NOTHING",
          {jti, expires_at_ms})
      .status();
}

Result<bool> AccountRepository::IsTokenRevoked(const std::string& jti) {
  ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT 1 AS x FROM revoked_tokens WHERE jti = $1", {jti}));
  return !rows.empty();
}

Result<std::int64_t> AccountRepository::PurgeExpiredRevocations(std::int64_t now_ms) {
  return db_.Execute("DELETE FROM revoked_tokens WHERE expires_at_ms < $1", {now_ms});
}

}  // namespace clipthat::api
