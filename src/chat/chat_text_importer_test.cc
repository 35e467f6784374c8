#include "chat/chat_text_importer.h"

#include <gtest/gtest.h>

namespace clipthat::chat {
namespace {

TEST(ChatTextImporterTest, ReadsBothClockWidthsAndNamesEmotes) {
  auto log = ParseChatTextLog(
      "[0:00:05] Foo_Bar: hello there\r\n"
      "\n"
      "[01:02:03] baz: KEKW KEKW that was great\n"
      "[12:34] qux: W\n"
      "not a chat line\n"
      "[0:00:01] early: first\n",
      "chat.txt");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->messages.size(), 4u);
  EXPECT_EQ(log->skipped_count, 1);
  EXPECT_EQ(log->messages[0].time_ms, 1000);  // sorted
  EXPECT_EQ(log->messages[1].user_name, "foo_bar");
  EXPECT_EQ(log->messages[1].display_name, "Foo_Bar");
  EXPECT_EQ(log->messages[1].text, "hello there");
  EXPECT_EQ(log->messages[2].time_ms, 754000);
  EXPECT_EQ(log->messages[3].time_ms, 3723000);
  EXPECT_EQ(log->messages[3].emote_count, 2);
}

TEST(ChatTextImporterTest, NothingMatchingIsAClearError) {
  auto log = ParseChatTextLog("hello\nworld\n", "chat.txt");
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.status().message().find("chat.txt: not a chat log"), std::string::npos);
}

TEST(ChatTextImporterTest, RejectsBadClocks) {
  EXPECT_FALSE(LooksLikeChatTextLog("[1:99:00] a: b"));
  EXPECT_FALSE(LooksLikeChatTextLog("[{\"a\": 1}]"));
  EXPECT_TRUE(LooksLikeChatTextLog("\n[1:09:00] a: b"));
}

}  // namespace
}  // namespace clipthat::chat
