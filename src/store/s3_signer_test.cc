#include "store/s3_signer.h"

#include <gtest/gtest.h>

#include "core/crypto.h"

namespace clipthat::store {
namespace {

// The example credentials and time of AWS's "Signature Calculations for the Authorization
// Header" and "Authenticating Requests: Using Query Parameters" pages (S3 API reference).
const S3Credentials kExample{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                             "us-east-1"};
constexpr std::int64_t k20130524 = 1369353600;  // 2013-05-24T00:00:00Z

std::string Header(const std::vector<std::pair<std::string, std::string>>& headers,
                   const std::string& name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(S3SignerTest, MatchesAwsGetObjectExample) {
  S3Request request;
  request.method = "GET";
  request.host = "examplebucket.s3.amazonaws.com";
  request.path = "/test.txt";
  request.headers = {{"Range", "bytes=0-9"}};
  request.payload_sha256_hex = Sha256Hex("");
  const auto headers = SignS3Request(request, kExample, k20130524);
  EXPECT_EQ(Header(headers, "x-amz-date"), "20130524T000000Z");
  EXPECT_EQ(Header(headers, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  // The secret never appears in what is sent.
  for (const auto& [name, value] : headers) {
    EXPECT_EQ(value.find(kExample.secret_key), std::string::npos) << name;
  }
}

TEST(S3SignerTest, MatchesAwsPresignedUrlExample) {
  S3Request request;
  request.host = "examplebucket.s3.amazonaws.com";
  request.path = "/test.txt";
  EXPECT_EQ(PresignS3Get(request, kExample, k20130524, 86400),
            "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F"
            "20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires="
            "86400&X-Amz-SignedHeaders=host&X-Amz-Signature="
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(S3SignerTest, UriEncoding) {
  EXPECT_EQ(S3UriEncode("vods/a b/c~d.e_f-g", Slash::kKeep), "vods/a%20b/c~d.e_f-g");
  EXPECT_EQ(S3UriEncode("a/b=c&d", Slash::kEncode), "a%2Fb%3Dc%26d");
  EXPECT_EQ(S3UriEncode("\xC3\xA9", Slash::kEncode), "%C3%A9");
}

}  // namespace
}  // namespace clipthat::store
