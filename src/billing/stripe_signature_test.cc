#include "billing/stripe_signature.h"

#include <gtest/gtest.h>

namespace clipthat::billing {
namespace {

constexpr char kSecret[] = "whsec_test_0123456789abcdef";
constexpr char kBody[] = R"({"id":"evt_1","type":"checkout.session.completed"})";
constexpr std::int64_t kNow = 1'733'390'000;

TEST(StripeSignatureTest, MatchesAnIndependentHmacOfTimestampDotBody) {
  // Computed independently (Python's hmac over "1733390000." + the body, this secret).
  const std::string hex = "b8be46955d65023ed890cea0de2bd65e5bc89f924e942b3facacee7eb8b01270";
  EXPECT_EQ(StripeSignatureHeader(kSecret, kBody, kNow),
            "t=" + std::to_string(kNow) + ",v1=" + hex);
  EXPECT_TRUE(
      VerifyStripeSignature("t=" + std::to_string(kNow) + ",v1=" + hex, kBody, kSecret, kNow).ok());
}

TEST(StripeSignatureTest, AnyV1MayMatchAndV0IsIgnored) {
  std::string good = StripeSignatureHeader(kSecret, kBody, kNow);
  std::string v1 = good.substr(good.find("v1="));
  std::string header = "t=" + std::to_string(kNow) + ",v0=deadbeef,v1=" + std::string(64, 'a') +
                       ", " + v1 + ",scheme=x";
  EXPECT_TRUE(VerifyStripeSignature(header, kBody, kSecret, kNow).ok());
}

TEST(StripeSignatureTest, RefusesTamperingWrongSecretsAndMalformedHeaders) {
  std::string good = StripeSignatureHeader(kSecret, kBody, kNow);
  auto refused = [&](std::string_view header, std::string_view body, std::string_view secret,
                     std::string_view why) {
    Status st = VerifyStripeSignature(header, body, secret, kNow);
    EXPECT_FALSE(st.ok()) << header;
    EXPECT_NE(st.message().find(why), std::string::npos) << st.message();
  };
  refused(good, std::string(kBody) + " ", kSecret, "no signature matches");
  refused(good, kBody, "whsec_other", "no signature matches");
  refused(good, kBody, "", "no webhook secret");
  refused("", kBody, kSecret, "missing");
  refused("v1=" + std::string(64, '0'), kBody, kSecret, "no timestamp");
  refused("t=" + std::to_string(kNow), kBody, kSecret, "no v1 signature");
  refused("t=12x,v1=00", kBody, kSecret, "not a number");
  refused("t=1,t=2,v1=00", kBody, kSecret, "more than one timestamp");
  // A v0 alone is not accepted, even when it carries the right digest.
  std::string v0_only = good;
  v0_only.replace(v0_only.find("v1="), 3, "v0=");
  refused(v0_only, kBody, kSecret, "no v1 signature");
}

TEST(StripeSignatureTest, RefusesEventsOutsideTheTolerance) {
  std::string stale = StripeSignatureHeader(kSecret, kBody, kNow - 301);
  Status st = VerifyStripeSignature(stale, kBody, kSecret, kNow, 300);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("outside the 300 s tolerance"), std::string::npos) << st.message();
  EXPECT_TRUE(VerifyStripeSignature(StripeSignatureHeader(kSecret, kBody, kNow - 300), kBody,
                                    kSecret, kNow, 300)
                  .ok());
  EXPECT_FALSE(VerifyStripeSignature(StripeSignatureHeader(kSecret, kBody, kNow + 301), kBody,
                                     kSecret, kNow, 300)
                   .ok());
}

}  // namespace
}  // namespace clipthat::billing
