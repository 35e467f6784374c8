#include "chat/irc_line.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace clipthat::chat {
namespace {

TEST(IrcLineTest, ParsesTagsPrefixCommandAndParams) {
  auto line = ParseIrcLine(
      "@badge-info=;display-name=Foo\\sBar;emotes=;user-id=42 "
      ":foo!foo@foo.tmi.twitch.tv PRIVMSG #chan :hello there world\r\n");
  ASSERT_TRUE(line.ok()) << line.status().ToString();
  ASSERT_EQ(line->tags.size(), 4u);
  EXPECT_EQ(*line->Tag("display-name"), "Foo Bar");
  EXPECT_EQ(*line->Tag("badge-info"), "");
  EXPECT_EQ(*line->Tag("user-id"), "42");
  EXPECT_EQ(line->Tag("color"), nullptr);
  EXPECT_EQ(line->prefix, "foo!foo@foo.tmi.twitch.tv");
  EXPECT_EQ(line->nick, "foo");
  EXPECT_EQ(line->user, "foo");
  EXPECT_EQ(line->host, "foo.tmi.twitch.tv");
  EXPECT_EQ(line->command, "PRIVMSG");
  ASSERT_EQ(line->params.size(), 2u);
  EXPECT_EQ(line->params[0], "#chan");
  EXPECT_EQ(line->params[1], "hello there world");
  EXPECT_TRUE(line->has_trailing);
}

TEST(IrcLineTest, UnescapesTagValues) {
  auto line = ParseIrcLine("@a=x\\:y;b=\\\\;c=1\\r\\n2;d=\\q;e=end\\;f;a=last PING :t");
  ASSERT_TRUE(line.ok()) << line.status().ToString();
  EXPECT_EQ(*line->Tag("a"), "last");  // a repeated key: the last wins
  EXPECT_EQ(*line->Tag("b"), "\\");
  EXPECT_EQ(*line->Tag("c"), "1\r\n2");
  EXPECT_EQ(*line->Tag("d"), "q");
  EXPECT_EQ(*line->Tag("e"), "end");  // a lone trailing backslash is dropped
  EXPECT_EQ(*line->Tag("f"), "");     // no '=': empty value
}

TEST(IrcLineTest, CommandsWithoutPrefixOrTrailing) {
  auto ping = ParseIrcLine("PING :tmi.twitch.tv");
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ(ping->command, "PING");
  EXPECT_TRUE(ping->prefix.empty());
  ASSERT_EQ(ping->params.size(), 1u);
  EXPECT_EQ(ping->params[0], "tmi.twitch.tv");

  auto numeric = ParseIrcLine(":irc.example.net   001   nick    :Welcome!");
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric->nick, "irc.example.net");  // a server name
  EXPECT_EQ(numeric->command, "001");
  ASSERT_EQ(numeric->params.size(), 2u);
  EXPECT_EQ(numeric->params[1], "Welcome!");

  auto lower = ParseIrcLine("join #a");
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(lower->command, "JOIN");
  EXPECT_FALSE(lower->has_trailing);

  auto empty_trailing = ParseIrcLine(":n PRIVMSG #c :");
  ASSERT_TRUE(empty_trailing.ok());
  ASSERT_EQ(empty_trailing->params.size(), 2u);
  EXPECT_EQ(empty_trailing->params[1], "");

  auto cap = ParseIrcLine(":srv CAP * NAK :twitch.tv/tags twitch.tv/commands");
  ASSERT_TRUE(cap.ok());
  ASSERT_EQ(cap->params.size(), 3u);
  EXPECT_EQ(cap->params[1], "NAK");
}

TEST(IrcLineTest, RefusesMissingParts) {
  EXPECT_EQ(ParseIrcLine("").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine("\r\n").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine("   ").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine("@a=b").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine("@a=b :prefix").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine(":prefix").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine(":").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine("@").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine("12 foo").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine("PRIV-MSG x").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine(std::string("PING \0x", 7)).status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine("PING a\rb").status().code(), StatusCode::kDataError);
  EXPECT_EQ(ParseIrcLine("PING a\nb").status().code(), StatusCode::kDataError);
}

TEST(IrcLineTest, RefusesOverlongLinesUnparsed) {
  std::string tags = "@a=" + std::string(8000, 'x');
  std::string ok_line = tags + " :n PRIVMSG #c :" + std::string(600, 'y');
  ASSERT_LE(ok_line.size(), kMaxIrcLineBytes);
  EXPECT_TRUE(ParseIrcLine(ok_line).ok());  // a long UTF-8 body is fine within the total

  std::string too_long = "PRIVMSG #c :" + std::string(kMaxIrcLineBytes, 'z');
  auto refused = ParseIrcLine(too_long);
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(refused.status().message().find("over the limit"), std::string::npos);
  EXPECT_TRUE(ParseIrcLine(std::string(kMaxIrcLineBytes, 'A')).ok());  // exactly at the limit
}

TEST(IrcLineTest, GarbageNeverCrashes) {
  std::mt19937 rng(7);
  const std::string alphabet = "@:;=\\ !#-,/0123456789abcPRIVMSG\x01\xff\xc3\xa9";
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const int len = static_cast<int>(rng() % 64);
    for (int k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
    auto line = ParseIrcLine(s);
    if (!line.ok()) continue;
    auto msg = ChatMessageFromPrivmsg(*line, 0);
    if (msg.ok()) {
      std::string joined;
      for (const ChatFragment& f : msg->fragments) joined += f.text;
      if (!msg->fragments.empty()) {
        EXPECT_EQ(joined, msg->text) << s;
      }
    }
  }
}

TEST(IrcLineTest, GarbageEmoteTagsNeverCrash) {
  std::mt19937 rng(11);
  const std::string tag_alphabet = "0123456789:-,/";
  const std::string text_alphabet = "ab \xc3\xa9\xf0\x9f\x98";
  for (int i = 0; i < 20000; ++i) {
    std::string tag, text;
    for (int k = static_cast<int>(rng() % 24); k > 0; --k) tag += tag_alphabet[rng() % 14];
    for (int k = static_cast<int>(rng() % 12); k > 0; --k) {
      text += text_alphabet[rng() % text_alphabet.size()];
    }
    std::string joined;
    for (const ChatFragment& f : SplitEmoteFragments(text, tag)) joined += f.text;
    if (!joined.empty()) {
      EXPECT_EQ(joined, text) << tag;
    }
  }
}

ChatMessage PrivmsgOrDie(const std::string& text, TimeMs time_ms = 0) {
  auto line = ParseIrcLine(text);
  EXPECT_TRUE(line.ok()) << line.status().ToString();
  auto msg = ChatMessageFromPrivmsg(*line, time_ms);
  EXPECT_TRUE(msg.ok()) << msg.status().ToString();
  return msg.ok() ? *msg : ChatMessage{};
}

TEST(IrcPrivmsgTest, TwitchTaggedMessage) {
  ChatMessage m = PrivmsgOrDie(
      "@display-name=FooBar;user-id=1234;emotes=25:0-4,12-16/1902:6-10;tmi-sent-ts=99 "
      ":foobar!foobar@foobar.tmi.twitch.tv PRIVMSG #chan :Kappa Keepo Kappa",
      5000);
  EXPECT_EQ(m.time_ms, 5000);  // the caller's clock, not tmi-sent-ts
  EXPECT_EQ(m.user_name, "foobar");
  EXPECT_EQ(m.display_name, "FooBar");
  EXPECT_EQ(m.user_id, "1234");
  EXPECT_EQ(m.text, "Kappa Keepo Kappa");
  EXPECT_EQ(m.emote_count, 3);
  ASSERT_EQ(m.fragments.size(), 5u);
  EXPECT_EQ(m.fragments[0].text, "Kappa");
  EXPECT_TRUE(m.fragments[0].is_emote);
  EXPECT_EQ(m.fragments[0].emote_id, "25");
  EXPECT_EQ(m.fragments[1].text, " ");
  EXPECT_FALSE(m.fragments[1].is_emote);
  EXPECT_EQ(m.fragments[2].text, "Keepo");
  EXPECT_EQ(m.fragments[2].emote_id, "1902");
  EXPECT_EQ(m.fragments[4].text, "Kappa");
}

TEST(IrcPrivmsgTest, PlainIrcMessageUsesTheNick) {
  ChatMessage m = PrivmsgOrDie(":Viewer_One!~v@127.0.0.1 PRIVMSG #clipthat :hello LUL");
  EXPECT_EQ(m.user_name, "viewer_one");
  EXPECT_EQ(m.display_name, "Viewer_One");
  EXPECT_EQ(m.user_id, "viewer_one");
  EXPECT_EQ(m.text, "hello LUL");
  EXPECT_TRUE(m.fragments.empty());
  EXPECT_EQ(m.emote_count, 1);  // known by name
}

TEST(IrcPrivmsgTest, EmotePositionsAreCodePoints) {
  // "é " is 2 code points but 3 bytes; the emote starts at code point 2.
  ChatMessage m = PrivmsgOrDie("@emotes=25:2-6 :a!a@a PRIVMSG #c :\xc3\xa9 Kappa \xf0\x9f\x98\x82");
  ASSERT_EQ(m.fragments.size(), 3u);
  EXPECT_EQ(m.fragments[0].text, "\xc3\xa9 ");
  EXPECT_EQ(m.fragments[1].text, "Kappa");
  EXPECT_TRUE(m.fragments[1].is_emote);
  EXPECT_EQ(m.fragments[2].text, " \xf0\x9f\x98\x82");
}

TEST(IrcPrivmsgTest, BadEmoteRangesAreIgnored) {
  const std::string body = " :a!a@a PRIVMSG #c :Kappa hi";
  for (const char* tag : {"25:0-99", "25:5-2", "25:x-4", "25:-4", ":0-4", "25", "25:0-4-5",
                          "25:4294967296-4294967297", "//", "25:0-4,,/"}) {
    auto line = ParseIrcLine(std::string("@emotes=") + tag + body);
    ASSERT_TRUE(line.ok()) << tag;
    auto msg = ChatMessageFromPrivmsg(*line, 0);
    ASSERT_TRUE(msg.ok()) << tag;
    std::string joined;
    for (const ChatFragment& f : msg->fragments) joined += f.text;
    if (!msg->fragments.empty()) {
      EXPECT_EQ(joined, "Kappa hi") << tag;
    }
  }
  // Overlapping ranges: the later one is dropped.
  auto frags = SplitEmoteFragments("Kappa hi", "25:0-4/26:2-6");
  ASSERT_EQ(frags.size(), 2u);
  EXPECT_EQ(frags[0].emote_id, "25");
  EXPECT_EQ(frags[1].text, " hi");
  EXPECT_TRUE(SplitEmoteFragments("", "25:0-0").empty());
}

TEST(IrcPrivmsgTest, CtcpActionGivesItsText) {
  ChatMessage m = PrivmsgOrDie(
      ":a!a@a PRIVMSG #c :\x01"
      "ACTION waves Kappa\x01");
  EXPECT_EQ(m.text, "waves Kappa");
  ChatMessage unterminated = PrivmsgOrDie(
      ":a!a@a PRIVMSG #c :\x01"
      "ACTION dances");
  EXPECT_EQ(unterminated.text, "dances");
  auto version = ParseIrcLine(":a!a@a PRIVMSG #c :\x01VERSION\x01");
  ASSERT_TRUE(version.ok());
  EXPECT_FALSE(ChatMessageFromPrivmsg(*version, 0).ok());
}

TEST(IrcPrivmsgTest, RefusesWhatIsNotChat) {
  auto notice = ParseIrcLine(":a!a@a NOTICE #c :hi");
  ASSERT_TRUE(notice.ok());
  EXPECT_EQ(ChatMessageFromPrivmsg(*notice, 0).status().code(), StatusCode::kDataError);
  auto no_text = ParseIrcLine(":a!a@a PRIVMSG #c");
  ASSERT_TRUE(no_text.ok());
  EXPECT_FALSE(ChatMessageFromPrivmsg(*no_text, 0).ok());
  auto no_prefix = ParseIrcLine("PRIVMSG #c :hi");
  ASSERT_TRUE(no_prefix.ok());
  EXPECT_FALSE(ChatMessageFromPrivmsg(*no_prefix, 0).ok());
}

}  // namespace
}  // namespace clipthat::chat
