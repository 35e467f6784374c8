// Accounts and API keys: /v1/auth/*, /v1/me, /v1/keys.
#include <algorithm>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/api_keys.h"
#include "api/json_fields.h"
#include "api/password_hasher.h"
#include "core/crypto.h"

namespace clipthat::api {
namespace {

constexpr std::size_t kAuthBodyBytes = 8 << 10;
constexpr std::size_t kMinPasswordBytes = 8;
constexpr std::size_t kMaxPasswordBytes = 1024;

// Trimmed and lower-cased; 422 unless it looks like local@domain.tld.
std::string NormalizeEmail(std::string email) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  email.erase(email.begin(), std::find_if(email.begin(), email.end(), not_space));
  email.erase(std::find_if(email.rbegin(), email.rend(), not_space).base(), email.end());
  for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t at = email.find('@');
  bool ok = email.size() <= 254 && at != std::string::npos && at > 0 &&
            email.find('@', at + 1) == std::string::npos &&
            email.find('.', at + 2) != std::string::npos && email.back() != '.';
  for (unsigned char c : email) ok = ok && c > 0x20 && c != 0x7f;
  if (!ok) throw InvalidField("email", "not an email address");
  return email;
}

struct Credentials {
  std::string email;
  std::string password;
};

Credentials ReadCredentials(Call& call) {
  nlohmann::json body = call.JsonBody();
  JsonFields f(body);
  Credentials c;
  c.email = NormalizeEmail(f.RequiredString("email", {.max_bytes = 320}));
  c.password = f.RequiredString("password", {.max_bytes = kMaxPasswordBytes, .allow_empty = true});
  f.RejectUnknown();
  return c;
}

[[noreturn]] void ThrowRateLimited(std::string message, std::int64_t wait_ms) {
  ApiError e(429, "rate_limited", std::move(message));
  e.retry_after_s = static_cast<int>((wait_ms + 999) / 1000);
  throw e;
}

void CheckRate(RateLimiter& limiter, const std::string& key, const char* what) {
  if (auto wait_ms = limiter.Acquire(key, store::NowMs())) {
    ThrowRateLimited(std::string("too many attempts for this ") + what + "; retry later", *wait_ms);
  }
}

nlohmann::json IssueToken(ApiContext& ctx, const User& user) {
  std::int64_t now_s = store::NowMs() / 1000;
  JwtClaims claims{user.id, RandomHex(16), now_s, now_s + ctx.options.token_ttl_s};
  return {
      {"token", ctx.jwt.Sign(claims)},
      {"expires_at_ms", claims.expires_at_s * 1000},
      {"user", {{"id", user.id}, {"email", user.email}, {"created_at_ms", user.created_at_ms}}}};
}

nlohmann::json KeyJson(const ApiKeyRecord& k) {
  return {{"id", k.id},
          {"name", k.name},
          {"scope", k.scope},
          {"prefix", k.prefix},
          {"created_at_ms", k.created_at_ms},
          {"last_used_at_ms",
           k.last_used_at_ms ? nlohmann::json(*k.last_used_at_ms) : nlohmann::json(nullptr)}};
}

}  // namespace

void RegisterAuthRoutes(Router& router, ApiContext& ctx) {
  router.Add(
      {"POST",
       "/v1/auth/signup",
       Access::kPublic,
       BodyKind::kJson,
       kAuthBodyBytes,
       {.summary = "Create an account and get a session token",
        .tag = "auth",
        .description = "The email is trimmed and lower-cased; the password needs at least "
                       "8 bytes. Rate-limited per client address.",
        .request_schema = "Credentials",
        .success_status = 201,
        .response_schema = "Session",
        .errors = {400, 409, 413, 422, 429},
        .request_example = {{"email", "streamer@example.com"}, {"password", "correct horse"}}},
       [&ctx](Call& call) {
         CheckRate(ctx.login_by_ip, call.client_ip, "address");
         Credentials c = ReadCredentials(call);
         if (c.password.size() < kMinPasswordBytes) {
           throw InvalidField("password", "must be at least 8 bytes");
         }
         std::string hash = ValueOrThrow(HashPassword(c.password, ctx.options.password_cost));
         // The account and its sign-up credits (billing.signup_credits) are made together.
         User user;
         ThrowIfError(ctx.db.Transaction([&](store::Database& tx) -> Status {
           ASSIGN_OR_RETURN(user, AccountRepository(tx).CreateUser(c.email, hash));
           return ctx.ledger.Grant(tx, user.id, ctx.options.billing.signup_credits,
                                   "sign-up credits");
         }));
         CT_LOG(call.log(), kInfo) << "signup user " << user.id;
         call.Json(201, IssueToken(ctx, user));
       }});

  router.Add(
      {"POST",
       "/v1/auth/login",
       Access::kPublic,
       BodyKind::kJson,
       kAuthBodyBytes,
       {.summary = "Log in and get a session token",
        .tag = "auth",
        .description = "Attempts are limited per client address; after a few failed "
                       "attempts for an email from one address, further attempts from that "
                       "address wait an exponentially growing delay (429 with Retry-After). "
                       "Failures from other addresses delay a login by a few seconds at most.",
        .request_schema = "Credentials",
        .response_schema = "Session",
        .errors = {400, 413, 422, 429},
        .request_example = {{"email", "streamer@example.com"}, {"password", "correct horse"}}},
       [&ctx](Call& call) {
         CheckRate(ctx.login_by_ip, call.client_ip, "address");
         Credentials c = ReadCredentials(call);
         if (std::int64_t wait_ms =
                 ctx.login_throttle.Begin(c.email, call.client_ip, store::NowMs())) {
           ThrowRateLimited(
               "too many failed logins for this account from this address; retry later", wait_ms);
         }
         std::optional<User> user = ValueOrThrow(ctx.accounts.FindUserByEmail(c.email));
         // Verify against a fixed hash when the account does not exist, so the answer
         // takes as long either way and does not reveal which emails have accounts.
         static const std::string kDummyHash =
             HashPassword("not a real password", PasswordCost::kInteractive).value();
         bool ok = VerifyPassword(c.password, user ? user->password_hash : kDummyHash);
         if (!user || !ok) throw Unauthenticated("wrong email or password");
         ctx.login_throttle.Succeeded(c.email, call.client_ip);
         call.Json(200, IssueToken(ctx, *user));
       }});

  router.Add({"POST",
              "/v1/auth/logout",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "Revoke the session token used for this request",
               .tag = "auth",
               .success_status = 204,
               .errors = {422}},
              [&ctx](Call& call) {
                if (call.principal.token_id.empty()) {
                  throw InvalidField("Authorization",
                                     "logout revokes session tokens; delete API keys with "
                                     "DELETE /v1/keys/{id}");
                }
                ThrowIfError(ctx.accounts.RevokeToken(call.principal.token_id,
                                                      call.principal.token_expires_at_s * 1000));
                ctx.auth.NoteTokenRevoked(call.principal.token_id);
                call.NoContent();
              }});

  router.Add({"GET",
              "/v1/me",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "The calling user", .tag = "auth", .response_schema = "User"},
              [&ctx](Call& call) {
                std::optional<User> user = ValueOrThrow(ctx.accounts.FindUserById(call.user_id()));
                if (!user) throw Unauthenticated("the account no longer exists");
                call.Json(200, {{"id", user->id},
                                {"email", user->email},
                                {"created_at_ms", user->created_at_ms}});
              }});

  router.Add(
      {"POST",
       "/v1/me/password",
       Access::kUser,
       BodyKind::kJson,
       kAuthBodyBytes,
       {.summary = "Change the caller's password",
        .tag = "auth",
        .description = "Needs the current password (a stolen session token alone cannot take "
                       "the account), checked and throttled like a login. The new password "
                       "needs at least 8 bytes. Sessions and API keys already issued stay valid.",
        .request_schema = "PasswordChange",
        .success_status = 204,
        .errors = {400, 401, 413, 422, 429},
        .request_example = {{"current_password", "correct horse"},
                            {"new_password", "battery staple"}}},
       [&ctx](Call& call) {
         CheckRate(ctx.login_by_ip, call.client_ip, "address");
         nlohmann::json body = call.JsonBody();
         JsonFields f(body);
         std::string current = f.RequiredString(
             "current_password", {.max_bytes = kMaxPasswordBytes, .allow_empty = true});
         std::string next = f.RequiredString("new_password",
                                             {.max_bytes = kMaxPasswordBytes, .allow_empty = true});
         f.RejectUnknown();
         if (next.size() < kMinPasswordBytes) {
           throw InvalidField("new_password", "must be at least 8 bytes");
         }
         std::optional<User> user = ValueOrThrow(ctx.accounts.FindUserById(call.user_id()));
         if (!user) throw Unauthenticated("the account no longer exists");
         if (std::int64_t wait_ms =
                 ctx.login_throttle.Begin(user->email, call.client_ip, store::NowMs())) {
           ThrowRateLimited("too many wrong passwords from this address; retry later", wait_ms);
         }
         if (!VerifyPassword(current, user->password_hash)) {
           // 422, not 401: the session is fine, the field is wrong (a 401 would sign the page out).
           throw InvalidField("current_password", "is not the account's password");
         }
         ctx.login_throttle.Succeeded(user->email, call.client_ip);
         std::string hash = ValueOrThrow(HashPassword(next, ctx.options.password_cost));
         ValueOrThrow(ctx.accounts.SetPasswordHash(user->id, hash));
         CT_LOG(call.log(), kInfo) << "password changed for user " << user->id;
         call.NoContent();
       }});

  router.Add({"POST",
              "/v1/keys",
              Access::kUser,
              BodyKind::kJson,
              kAuthBodyBytes,
              {.summary = "Create an API key (shown once)",
               .tag = "keys",
               .description = "Keys are stored as their SHA-256: the key itself is only in this "
                              "answer. Users may create scope \"user\" keys only.",
               .request_schema = "CreateKeyRequest",
               .success_status = 201,
               .response_schema = "CreatedKey",
               .errors = {400, 413, 422},
               .request_example = {{"name", "upload script"}, {"scope", "user"}}},
              [&ctx](Call& call) {
                nlohmann::json body = call.JsonBody();
                JsonFields f(body);
                std::string name = f.RequiredString("name", {.max_bytes = 100});
                std::string scope =
                    f.OptionalString("scope", {.max_bytes = 16}).value_or(std::string(kScopeUser));
                f.RejectUnknown();
                if (scope == kScopeWorker) {
                  throw Forbidden(
                      "worker keys are created by the operator "
                      "(clipthat serve --create-worker-key)");
                }
                if (scope != kScopeUser) throw InvalidField("scope", "expected \"user\"");
                NewApiKey key = GenerateApiKey();
                ApiKeyRecord record = ValueOrThrow(
                    ctx.accounts.CreateKey(call.user_id(), name, kScopeUser, key.hash, key.prefix));
                nlohmann::json out = KeyJson(record);
                out["key"] = key.secret;
                call.Json(201, out);
              }});

  router.Add({"GET",
              "/v1/keys",
              Access::kUser,
              BodyKind::kNone,
              0,
              {.summary = "List your API keys (prefixes only)",
               .tag = "keys",
               .response_schema = "ApiKeyList"},
              [&ctx](Call& call) {
                nlohmann::json items = nlohmann::json::array();
                for (const auto& k : ValueOrThrow(ctx.accounts.ListKeys(call.user_id()))) {
                  items.push_back(KeyJson(k));
                }
                call.Json(200, {{"items", std::move(items)}});
              }});

  router.Add(
      {"DELETE",
       "/v1/keys/{id}",
       Access::kUser,
       BodyKind::kNone,
       0,
       {.summary = "Revoke an API key", .tag = "keys", .success_status = 204, .errors = {404}},
       [&ctx](Call& call) {
         if (!ValueOrThrow(ctx.accounts.RevokeKey(call.PathParam("id"), call.user_id()))) {
           throw NotFound("key");
         }
         ctx.auth.ForgetKeys();
         call.NoContent();
       }});
}

}  // namespace clipthat::api
