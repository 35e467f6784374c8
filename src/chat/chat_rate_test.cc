#include "chat/chat_rate.h"

#include <gtest/gtest.h>

namespace clipthat::chat {
namespace {

ChatMessage Msg(TimeMs t, std::string user, std::string text, int emotes = 0) {
  ChatMessage m;
  m.time_ms = t;
  m.user_id = user;
  m.user_name = user;
  m.text = std::move(text);
  m.emote_count = emotes;
  return m;
}

TEST(ChatRate, CountsMessagesPerSecond) {
  ChatLog log;
  log.messages = {Msg(100, "a", "hi"), Msg(900, "b", "yo"), Msg(1500, "c", "x"),
                  Msg(4999, "d", "late")};
  auto r = ComputeChatRate(log, 5000);
  ASSERT_EQ(r.messages.size(), 5u);
  EXPECT_EQ(r.messages[0], 2);
  EXPECT_EQ(r.messages[1], 1);
  EXPECT_EQ(r.messages[2], 0);
  EXPECT_EQ(r.messages[4], 1);
  EXPECT_EQ(r.chatters[0], 2);
}

TEST(ChatRate, FiltersBotsCommandsAndFloods) {
  ChatLog log;
  log.messages = {Msg(0, "nightbot", "Follow the channel!"),
                  Msg(10, "a", "!points"),
                  Msg(20, "spam", "LUL", 40),
                  Msg(30, "spam", "LUL"),
                  Msg(40, "spam", "LUL"),
                  Msg(50, "b", "  !discord"),
                  Msg(60, "c", "real reaction")};
  auto r = ComputeChatRate(log, 1000);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0], 2);  // spam once, c once
  EXPECT_EQ(r.chatters[0], 2);
  EXPECT_EQ(r.emotes[0], 5);  // emote wall capped
}

TEST(ChatRate, IgnoresMessagesOutsideTheVod) {
  ChatLog log;
  log.messages = {Msg(-500, "a", "early"), Msg(500, "b", "ok"), Msg(10000, "c", "after")};
  auto r = ComputeChatRate(log, 2000);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0] + r.messages[1], 1);
}

TEST(ChatRate, DurationFromLastMessage) {
  ChatLog log;
  log.messages = {Msg(2500, "a", "x")};
  auto r = ComputeChatRate(log, 0);
  EXPECT_EQ(r.messages.size(), 3u);
  EXPECT_EQ(r.messages[2], 1);
}

TEST(ChatRateTest, KeywordsAndWindowChatters) {
  ChatLog log;
  auto add = [&log](TimeMs t, std::string user, std::string text) {
    ChatMessage m;
    m.time_ms = t;
    m.user_name = std::move(user);
    m.text = std::move(text);
    log.messages.push_back(std::move(m));
  };
  add(500, "a", "CLIP IT");
  add(1500, "b", "W");
  add(2500, "c", "nice");
  add(2600, "c", "KEKW");  // second message of c in the bin: capped
  add(9500, "d", "hello");
  ChatRateOptions o;
  o.chatters_window_ms = 4000;
  ChatRateSeries r = ComputeChatRate(log, 10000, o);
  ASSERT_EQ(r.keywords.size(), 10u);
  EXPECT_EQ(r.keywords[0], 1);
  EXPECT_EQ(r.keywords[1], 1);
  EXPECT_EQ(r.keywords[2], 0);
  EXPECT_EQ(r.window_chatters[1], 3);  // bins 0..3
  EXPECT_EQ(r.window_chatters[5], 0);
  EXPECT_EQ(r.window_chatters[9], 1);
}

}  // namespace
}  // namespace clipthat::chat
