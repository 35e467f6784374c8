// HS256 JSON Web Tokens for user sessions (RFC 7519, the one algorithm we issue and accept).
//
//   JwtCodec codec(secret);
//   std::string token = codec.Sign({.subject = user_id, .id = jti, .issued_at_s = now_s,
//                                   .expires_at_s = now_s + 86400});
//   Result<JwtClaims> claims = codec.Verify(token, now_s);
//
// Verify checks, itself: three base64url parts; the header is exactly {"alg":"HS256",
// "typ":"JWT"} (alg "none" and every other algorithm are refused); the HMAC-SHA256 signature
// (constant-time compare); `exp` is in the future; `iat` is not in the future (60 s of clock
// skew allowed); `sub` and `jti` are present. Failures are Unauthenticated with a short reason
// ("token expired", "bad token signature") that is safe to show to the caller.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace clipthat::api {

struct JwtClaims {
  std::string subject;            // sub: the user id
  std::string id;                 // jti: unique per token, the key for revocation (logout)
  std::int64_t issued_at_s = 0;   // iat, seconds since the epoch
  std::int64_t expires_at_s = 0;  // exp, seconds since the epoch
};

class JwtCodec {
 public:
  // `secret`: the HMAC key (>= 32 random bytes recommended; stored in the data dir or config).
  explicit JwtCodec(std::string secret);

  std::string Sign(const JwtClaims& claims) const;
  Result<JwtClaims> Verify(std::string_view token, std::int64_t now_s) const;

  static constexpr std::int64_t kClockSkewS = 60;

 private:
  std::string secret_;
  std::string header_b64_;  // base64url of the one header we issue
};

}  // namespace clipthat::api
