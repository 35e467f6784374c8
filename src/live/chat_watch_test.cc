#include "live/chat_watch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace clipthat::live {
namespace {

chat::ChatMessage Msg(TimeMs t, const std::string& user, const std::string& text) {
  chat::ChatMessage m;
  m.time_ms = t;
  m.user_id = user;
  m.user_name = user;
  m.display_name = user;
  m.text = text;
  return m;
}

// Ordinary chat: one message every 2 s from a rotating set of 20 viewers.
void Background(ChatWatch& watch, TimeMs from, TimeMs to, std::vector<ChatTrigger>* out) {
  static const char* kLines[] = {
      "lol", "nice", "what game is this", "hi chat", "gg", "that was close", "true", "monkaS"};
  int i = 0;
  for (TimeMs t = from; t < to; t += 2000, ++i) {
    if (auto trig = watch.Push(Msg(t, "viewer" + std::to_string(i % 20), kLines[i % 8]))) {
      out->push_back(*trig);
    }
  }
}

TEST(ChatWatch, DistinctViewersAskingForAClipOpenOneTrigger) {
  ChatWatch watch;
  std::vector<ChatTrigger> got;
  Background(watch, 0, 120000, &got);
  EXPECT_TRUE(got.empty());
  // One viewer spamming does not count; the third distinct viewer does.
  for (int k = 0; k < 5; ++k) {
    EXPECT_FALSE(watch.Push(Msg(120000 + k * 300, "spammer", "CLIP IT")));
  }
  EXPECT_FALSE(watch.Push(Msg(122000, "ana", "clip that")));
  auto trig = watch.Push(Msg(123000, "bo", "clip it!!"));
  ASSERT_TRUE(trig);
  EXPECT_EQ(trig->kind, "requests");
  EXPECT_EQ(trig->phrase, "clip it");
  EXPECT_EQ(trig->viewers, 3);
  EXPECT_EQ(trig->first_ms, 120000);
  EXPECT_EQ(trig->at_ms, 123000);
  // More requests for the same moment stay quiet (cooldown).
  EXPECT_FALSE(watch.Push(Msg(124000, "cy", "clip")));
  EXPECT_FALSE(watch.Push(Msg(125000, "di", "CLIP IT")));
}

TEST(ChatWatch, BotsAndCommandsAreNotViewers) {
  ChatWatch watch;
  EXPECT_FALSE(watch.Push(Msg(1000, "nightbot", "clip it")));
  EXPECT_FALSE(watch.Push(Msg(1100, "a", "!clip")));
  EXPECT_FALSE(watch.Push(Msg(1200, "streamelements", "clip that")));
  EXPECT_FALSE(watch.Push(Msg(1300, "b", "clip it")));
  EXPECT_FALSE(watch.Push(Msg(1400, "c", "clip it")));
  EXPECT_TRUE(watch.Push(Msg(1500, "d", "clip it")));
}

TEST(ChatWatch, ASpikeAgainstTheStreamsOwnBaseline) {
  ChatWatch watch;
  std::vector<ChatTrigger> got;
  Background(watch, 0, 300000, &got);
  ASSERT_TRUE(got.empty());
  // 30 viewers react within 4 s: "OMEGALUL", "no way", ...
  static const char* kReactions[] = {"OMEGALUL", "no way", "LMAO", "KEKW", "WHAT", "ahahaha"};
  for (int k = 0; k < 30; ++k) {
    if (auto t = watch.Push(Msg(300000 + k * 130, "fan" + std::to_string(k), kReactions[k % 6]))) {
      got.push_back(*t);
    }
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, "spike");
  EXPECT_GE(got[0].viewers, 8);
  EXPECT_TRUE(got[0].phrase.empty());
}

TEST(ChatWatch, ABusyChannelsNormalPaceIsNotASpike) {
  ChatWatch watch;
  int triggers = 0;
  // 8 messages a second from 200 viewers for ten minutes.
  for (TimeMs t = 0; t < 600000; t += 125) {
    const int i = static_cast<int>(t / 125);
    if (watch.Push(Msg(t, "v" + std::to_string((i * 37) % 200),
                       "chatting along " + std::to_string(i % 50)))) {
      ++triggers;
    }
  }
  EXPECT_EQ(triggers, 0);
}

TEST(ChatWatch, ARaidOrCopyPastaIsOneEchoNotASpike) {
  ChatWatch watch;
  std::vector<ChatTrigger> got;
  Background(watch, 0, 300000, &got);
  const std::string pasta = "StreamerName Raid PogChamp StreamerName Raid PogChamp";
  for (int k = 0; k < 60; ++k) {
    if (auto t = watch.Push(Msg(300000 + k * 50, "raider" + std::to_string(k), pasta))) {
      got.push_back(*t);
    }
  }
  EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace clipthat::live
