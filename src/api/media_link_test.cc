#include "api/media_link.h"

#include <gtest/gtest.h>

namespace clipthat::api {
namespace {

TEST(MediaLinkSignerTest, ALinkVerifiesUntilItExpiresAndOnlyForItsVod) {
  MediaLinkSigner signer("server secret 0123456789abcdef0123456789");
  const std::int64_t now_s = 1'800'000'000;
  const std::int64_t exp_s = now_s + MediaLinkSigner::kDefaultTtlS;
  const std::string sig = signer.Sign("vod-a", exp_s);
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(signer.Verify("vod-a", exp_s, sig, now_s));
  EXPECT_TRUE(signer.Verify("vod-a", exp_s, sig, exp_s - 1));
  EXPECT_FALSE(signer.Verify("vod-a", exp_s, sig, exp_s)) << "expired";
  EXPECT_FALSE(signer.Verify("vod-b", exp_s, sig, now_s)) << "another VOD";
  EXPECT_FALSE(signer.Verify("vod-a", exp_s + 1, sig, now_s)) << "a later expiry";
  std::string altered = sig;
  altered[10] = altered[10] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(signer.Verify("vod-a", exp_s, altered, now_s));
  EXPECT_FALSE(signer.Verify("vod-a", exp_s, "", now_s));
  EXPECT_EQ(signer.Link("vod-a", exp_s),
            "/v1/media/vods/vod-a?exp=" + std::to_string(exp_s) + "&sig=" + sig);
}

TEST(MediaLinkSignerTest, AnotherSecretOrATooDistantExpiryIsRefused) {
  MediaLinkSigner signer("secret one 0123456789abcdef0123456789");
  MediaLinkSigner other("secret two 0123456789abcdef0123456789");
  const std::int64_t now_s = 1'800'000'000;
  const std::int64_t exp_s = now_s + 60;
  EXPECT_FALSE(other.Verify("v", exp_s, signer.Sign("v", exp_s), now_s));
  const std::int64_t far_s = now_s + MediaLinkSigner::kMaxTtlS + 1;
  EXPECT_FALSE(signer.Verify("v", far_s, signer.Sign("v", far_s), now_s));
}

}  // namespace
}  // namespace clipthat::api
