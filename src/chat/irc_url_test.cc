#include "chat/irc_url.h"

#include <gtest/gtest.h>

namespace clipthat::chat {
namespace {

TEST(IrcUrlTest, ParsesHostPortAndChannel) {
  auto t = ParseIrcUrl("irc://127.0.0.1:6668/#ClipThat");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 6668);
  EXPECT_FALSE(t->tls);
  EXPECT_EQ(t->channel, "#clipthat");
  EXPECT_EQ(t->ToString(), "irc://127.0.0.1:6668/#clipthat");
}

TEST(IrcUrlTest, DefaultsAndVariants) {
  auto twitch = ParseIrcUrl("IRC://irc.chat.twitch.tv/somestreamer");
  ASSERT_TRUE(twitch.ok());
  EXPECT_EQ(twitch->port, 6667);
  EXPECT_EQ(twitch->channel, "#somestreamer");  // a bare channel gets its '#'

  auto tls = ParseIrcUrl("ircs://irc.chat.twitch.tv/#x");
  ASSERT_TRUE(tls.ok());
  EXPECT_TRUE(tls->tls);
  EXPECT_EQ(tls->port, 6697);

  auto v6 = ParseIrcUrl("irc://[::1]:7000/%23chan");
  ASSERT_TRUE(v6.ok()) << v6.status().ToString();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 7000);
  EXPECT_EQ(v6->channel, "#chan");
  EXPECT_EQ(v6->HostPort(), "[::1]:7000");
}

TEST(IrcUrlTest, RefusesBadUrlsNamingThem) {
  for (const char* url : {"",
                          "http://host/#c",
                          "irc://",
                          "irc:///#c",
                          "irc://host",
                          "irc://host/",
                          "irc://host/#",
                          "irc://host:0/#c",
                          "irc://host:65536/#c",
                          "irc://host:x/#c",
                          "irc://host:/#c",
                          "irc://host/#a b",
                          "irc://host/#a,b",
                          "irc://host/#a\x01",
                          "irc://host/#a/b",
                          "irc://user@host/#c",
                          "irc://ho st/#c",
                          "irc://[::1/#c",
                          "irc://[]/#c",
                          "irc://host/#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    auto t = ParseIrcUrl(url);
    ASSERT_FALSE(t.ok()) << url;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << url;
    EXPECT_NE(t.status().message().find("chat URL '"), std::string::npos) << url;
  }
  EXPECT_NE(ParseIrcUrl("irc://host:99999/#c").status().message().find("irc://host:99999/#c"),
            std::string::npos);
}

}  // namespace
}  // namespace clipthat::chat
