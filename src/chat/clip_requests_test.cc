#include "chat/clip_requests.h"

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

TEST(ClipRequests, EachViewerCountsOncePerMinute) {
  ChatLog log;
  for (int i = 0; i < 10; ++i) log.messages.push_back(Msg(1000 * i, "spammer", "CLIP IT"));
  log.messages.push_back(Msg(3500, "b", "clip that!!"));
  log.messages.push_back(Msg(3600, "c", "eclipse is a good map"));  // not a request
  log.messages.push_back(Msg(3700, "nightbot", "clip it"));         // a bot
  log.messages.push_back(Msg(3800, "d", "!clip"));                  // a command
  log.messages.push_back(Msg(70000, "spammer", "clip it"));         // a minute later: counts
  std::stable_sort(
      log.messages.begin(), log.messages.end(),
      [](const ChatMessage& a, const ChatMessage& b) { return a.time_ms < b.time_ms; });
  EXPECT_EQ(ClipRequestTimes(log), (std::vector<TimeMs>{0, 3500, 70000}));
}

}  // namespace
}  // namespace clipthat::chat
