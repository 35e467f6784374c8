#include "sample/chat_replay.h"

#include <gtest/gtest.h>

#include <set>

namespace clipthat::sample {
namespace {

StreamPlan Plan(int duration_s, int moments, std::uint64_t seed) {
  SampleOptions o;
  o.duration_s = duration_s;
  o.moments = moments;
  o.seed = seed;
  auto plan = PlanStream(o);
  EXPECT_TRUE(plan.ok());
  return *plan;
}

int CountBetween(const ChatReplay& chat, TimeMs from, TimeMs to) {
  int n = 0;
  for (const auto& m : chat.messages) n += m.offset_ms >= from && m.offset_ms < to;
  return n;
}

TEST(ChatReplayTest, BackgroundRateUsersAndBotCommands) {
  StreamPlan plan = Plan(3600, 0, 9);
  ChatReplay chat = GenerateChat(plan, 9);
  double rate = chat.messages.size() / 3600.0;
  EXPECT_GT(rate, 0.3);
  EXPECT_LT(rate, 1.1);
  std::set<int> users;
  int commands = 0, emote_only = 0;
  for (const auto& m : chat.messages) {
    users.insert(m.user);
    commands += m.body.rfind("!", 0) == 0;
    emote_only += m.body == "Kappa" || m.body == "LUL" || m.body == "KEKW";
  }
  EXPECT_GT(users.size(), 200u);
  EXPECT_GT(commands, 20);
  EXPECT_GT(emote_only, 5);
  EXPECT_TRUE(std::is_sorted(chat.messages.begin(), chat.messages.end(),
                             [](auto& a, auto& b) { return a.offset_ms < b.offset_ms; }));
}

TEST(ChatReplayTest, BurstsFollowEachMoment) {
  StreamPlan plan = Plan(1800, 3, 4);
  ChatReplay chat = GenerateChat(plan, 4);
  double background_per_10s = chat.messages.size() / 180.0;
  for (const auto& m : plan.moments) {
    int burst = CountBetween(chat, m.chat_burst_ms, m.chat_burst_ms + 10'000);
    EXPECT_GT(burst, 4 * background_per_10s) << "moment at " << m.start_ms;
    int before = CountBetween(chat, m.start_ms - 10'000, m.start_ms);
    EXPECT_LT(before, burst / 2);
  }
}

TEST(ChatReplayTest, JsonIsTwitchDownloaderShaped) {
  StreamPlan plan = Plan(120, 1, 2);
  nlohmann::json j = ChatReplayToJson(GenerateChat(plan, 2));
  EXPECT_EQ(j["video"]["length"], 120.0);
  EXPECT_TRUE(j["streamer"].contains("name"));
  ASSERT_GT(j["comments"].size(), 20u);
  bool saw_emote_fragment = false;
  for (const auto& c : j["comments"]) {
    EXPECT_TRUE(c["content_offset_seconds"].is_number());
    for (const char* key : {"display_name", "_id", "name"})
      EXPECT_TRUE(c["commenter"].contains(key));
    const auto& msg = c["message"];
    std::string rebuilt;
    for (const auto& f : msg["fragments"]) {
      rebuilt += f["text"].get<std::string>();
      if (!f["emoticon"].is_null()) {
        saw_emote_fragment = true;
        EXPECT_FALSE(f["emoticon"]["emoticon_id"].get<std::string>().empty());
      }
    }
    EXPECT_EQ(rebuilt, msg["body"]);  // fragments cover the body exactly
    EXPECT_TRUE(msg["emoticons"].is_array());
    EXPECT_TRUE(msg["user_badges"].is_array());
    EXPECT_EQ(msg["bits_spent"], 0);
  }
  EXPECT_TRUE(saw_emote_fragment);
  EXPECT_EQ(j, ChatReplayToJson(GenerateChat(plan, 2)));
}

}  // namespace
}  // namespace clipthat::sample
