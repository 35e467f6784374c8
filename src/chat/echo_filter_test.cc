#include "chat/echo_filter.h"

#include <gtest/gtest.h>

namespace clipthat::chat {
namespace {

ChatMessage Msg(TimeMs t, std::string user, std::string text) {
  ChatMessage m;
  m.time_ms = t;
  m.user_id = user;
  m.user_name = user;
  m.text = std::move(text);
  return m;
}

TEST(EchoFilter, CopyPastaCountsOnlyItsFirstCopies) {
  ChatLog log;
  const std::string pasta = "TwitchUnity RAID TwitchUnity the raid train has arrived";
  for (int i = 0; i < 12; ++i)
    log.messages.push_back(Msg(1000 * i, "u" + std::to_string(i), pasta));
  std::vector<bool> echo = MarkEchoes(log);
  int kept = 0;
  for (bool e : echo) kept += e ? 0 : 1;
  EXPECT_EQ(kept, 4);  // the first copy and three more
  EXPECT_FALSE(echo[0]);
  EXPECT_TRUE(echo[11]);
}

TEST(EchoFilter, LaughterShortLinesAndSlowRepeatsAreNotEchoes) {
  ChatLog log;
  for (int i = 0; i < 10; ++i) {
    log.messages.push_back(Msg(100 * i, "a" + std::to_string(i), "ㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋ"));
    log.messages.push_back(Msg(100 * i + 1, "b" + std::to_string(i), "W"));
    // The same long line, but a minute apart: a regular's catchphrase, not a flood.
    log.messages.push_back(
        Msg(60000 * i + 2, "c" + std::to_string(i), "good morning chat how are we"));
  }
  for (bool e : MarkEchoes(log)) EXPECT_FALSE(e);
}

TEST(EchoFilter, OneUserRepeatingIsNotManyUsers) {
  ChatLog log;
  for (int i = 0; i < 10; ++i)
    log.messages.push_back(Msg(500 * i, "same", "buy my merch at the link"));
  for (bool e : MarkEchoes(log)) EXPECT_FALSE(e);  // floods are chat_rate's per-user cap
}

TEST(EchoFilter, NormalisesCaseSpacesAndRuns) {
  EXPECT_EQ(NormaliseForEcho("  HELLO   Worlddddd  "), "hello worldd");
}

}  // namespace
}  // namespace clipthat::chat
