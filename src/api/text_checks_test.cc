#include "api/text_checks.h"

#include <gtest/gtest.h>

namespace clipthat::api {
namespace {

TEST(TextChecks, HexColors) {
  EXPECT_TRUE(IsHexColor("#00ffAA"));
  EXPECT_TRUE(IsHexColor("#00ffAA80"));
  EXPECT_FALSE(IsHexColor("00ffAA"));
  EXPECT_FALSE(IsHexColor("#00ffA"));
  EXPECT_FALSE(IsHexColor("#00ffAA8"));
  EXPECT_FALSE(IsHexColor("#00ffAG"));
  EXPECT_FALSE(IsHexColor(""));
}

TEST(TextChecks, CharsWithin) {
  const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  EXPECT_TRUE(CharsWithin("abc", 1, 3, lower));
  EXPECT_FALSE(CharsWithin("abcd", 1, 3, lower));
  EXPECT_FALSE(CharsWithin("", 1, 3, lower));
  EXPECT_FALSE(CharsWithin("aBc", 1, 3, lower));
}

TEST(TextChecks, ParsesHttpUrls) {
  HttpUrlParts p;
  ASSERT_TRUE(ParseHttpUrl("https://media.example.com:8443/vod/1.mp4?x=1", &p));
  EXPECT_EQ(p.scheme, "https");
  EXPECT_EQ(p.host, "media.example.com");
  EXPECT_EQ(p.authority, "media.example.com:8443");
  EXPECT_EQ(p.path, "/vod/1.mp4?x=1");
  ASSERT_TRUE(ParseHttpUrl("http://[::1]:80", &p));
  EXPECT_EQ(p.host, "::1");
  EXPECT_EQ(p.authority, "[::1]:80");
  EXPECT_EQ(p.path, "/");
  ASSERT_TRUE(ParseHttpUrl("http://127.0.0.1/a", &p));
  EXPECT_EQ(p.host, "127.0.0.1");
}

TEST(TextChecks, RejectsOtherUrls) {
  HttpUrlParts p;
  for (const char* bad :
       {"ftp://x/a", "http://", "http:///a", "https://host:/a", "https://host:123456/a",
        "https://host/a b", "https://host/a#frag", "https://ho st/", "https://host?x",
        "http://[zz]/", "http://[]/", "javascript:alert(1)", "https://user@host/"}) {
    EXPECT_FALSE(ParseHttpUrl(bad, &p)) << bad;
  }
}

}  // namespace
}  // namespace clipthat::api
