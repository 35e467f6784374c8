// Unit tests of the authentication building blocks: base64url, JWT signing and verification
// (expiry, clock skew, tampering, algorithm confusion), password hashing and the rate limiter.
#include <gtest/gtest.h>

#include "api/jwt.h"
#include "api/password_hasher.h"
#include "api/rate_limiter.h"
#include "core/crypto.h"

namespace clipthat::api {
namespace {

TEST(Base64Url, MatchesRfc4648VectorsWithoutPadding) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}};
  for (const auto& [raw, encoded] : vectors) {
    EXPECT_EQ(Base64UrlEncode(raw), encoded);
    EXPECT_EQ(Base64UrlDecode(encoded).value_or("<none>"), raw);
  }
  EXPECT_FALSE(Base64UrlDecode("Zm9v=").has_value());  // padding
  EXPECT_FALSE(Base64UrlDecode("Zm+v").has_value());   // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());     // non-canonical trailing bits
  EXPECT_FALSE(Base64UrlDecode("Z").has_value());
}

TEST(Sha256, KnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

class JwtTest : public ::testing::Test {
 protected:
  JwtCodec codec_{"0123456789abcdef0123456789abcdef"};
  const std::int64_t now_ = 1'800'000'000;
  JwtClaims claims_{"user-1", "jti-1", now_, now_ + 3600};
};

TEST_F(JwtTest, RoundTrips) {
  auto claims = codec_.Verify(codec_.Sign(claims_), now_ + 10);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->subject, "user-1");
  EXPECT_EQ(claims->id, "jti-1");
  EXPECT_EQ(claims->expires_at_s, now_ + 3600);
}

TEST_F(JwtTest, RefusesExpiredAndFutureTokens) {
  std::string token = codec_.Sign(claims_);
  EXPECT_EQ(codec_.Verify(token, now_ + 3600).status().message(), "token expired");
  EXPECT_TRUE(codec_.Verify(token, now_ - JwtCodec::kClockSkewS).ok());
  EXPECT_EQ(codec_.Verify(token, now_ - JwtCodec::kClockSkewS - 1).status().message(),
            "token issued in the future");
}

TEST_F(JwtTest, RefusesTamperingAndOtherAlgorithms) {
  std::string token = codec_.Sign(claims_);
  std::size_t dot1 = token.find('.'), dot2 = token.rfind('.');
  auto status_of = [&](const std::string& t) { return codec_.Verify(t, now_).status(); };
  // Another subject with the original signature.
  std::string payload =
      Base64UrlEncode(R"({"sub":"admin","jti":"jti-1","iat":1800000000,"exp":1800003600})");
  EXPECT_EQ(status_of(token.substr(0, dot1 + 1) + payload + token.substr(dot2)).message(),
            "bad token signature");
  // One signature bit flipped.
  std::string sig = *Base64UrlDecode(token.substr(dot2 + 1));
  sig[5] ^= 1;
  EXPECT_EQ(status_of(token.substr(0, dot2 + 1) + Base64UrlEncode(sig)).message(),
            "bad token signature");
  // alg none, and an HS256 header spelled differently.
  std::string body = token.substr(dot1, dot2 - dot1);
  EXPECT_EQ(status_of(Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + body + ".").message(),
            "token algorithm not accepted");
  EXPECT_EQ(status_of(Base64UrlEncode(R"({"typ":"JWT","alg":"HS256"})") + body + token.substr(dot2))
                .message(),
            "malformed token header");
  // Another key.
  JwtCodec other("another-key-another-key-another-key!");
  EXPECT_EQ(other.Verify(token, now_).status().message(), "bad token signature");
  for (const char* junk : {"", "a", "a.b", "a.b.c.d", "..", "\xff.\xff.\xff"}) {
    EXPECT_EQ(status_of(junk).code(), StatusCode::kUnauthenticated) << junk;
  }
}

TEST(PasswordHasher, Argon2idVerifiesOnlyTheRightPassword) {
  auto hash = HashPassword("correct horse", PasswordCost::kMinimum);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse ", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse", "$argon2id$garbage"));
  auto again = HashPassword("correct horse", PasswordCost::kMinimum);
  EXPECT_NE(*hash, *again);  // salted
}

TEST(RateLimiter, AllowsMaxEventsPerWindowPerKey) {
  RateLimiter limiter(3, 1000);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Acquire("a", 100 + i).has_value());
  std::optional<std::int64_t> wait = limiter.Acquire("a", 200);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 900);  // the oldest event leaves the window at 1100
  EXPECT_FALSE(limiter.Acquire("b", 200).has_value());
  EXPECT_FALSE(limiter.Acquire("a", 1100).has_value());
  limiter.Reset("a");
  EXPECT_FALSE(limiter.Acquire("a", 1101).has_value());
}

}  // namespace
}  // namespace clipthat::api
