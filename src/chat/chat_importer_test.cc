#include "chat/chat_importer.h"

#include <gtest/gtest.h>

namespace clipthat::chat {
namespace {

TEST(ChatImporterTest, DetectsEachFormat) {
  EXPECT_EQ(DetectChatFormat("  {\"comments\": []}"), ChatFormat::kTwitchJson);
  EXPECT_EQ(DetectChatFormat("[{\"comments\": []}]"), ChatFormat::kTwitchJson);
  EXPECT_EQ(DetectChatFormat("[0:00:01] a: hi"), ChatFormat::kTextLog);
  EXPECT_EQ(DetectChatFormat(" \n "), ChatFormat::kAuto);
}

TEST(ChatImporterTest, EmptyDocumentIsAnEmptyLog) {
  auto log = ParseChat("\n", "chat.json");
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(log->messages.empty());
}

TEST(ChatImporterTest, V5PagesAndCamelCaseVariants) {
  auto log = ParseChat(R"([
      {"comments": [{"content_offset_seconds": "1.5", "commenter": {"_id": 7, "name": "a"},
                     "message": {"body": "hi", "emoticons": [{"_id": "1"}]}}], "_next": "x"},
      {"comments": [{"contentOffsetSeconds": 2, "commenter": {"id": "8", "login": "b",
                     "displayName": "B"}, "message": {"fragments": [{"text": "Kappa",
                     "emote": {"emoteID": "25"}}, {"text": " LUL"}]}}]}])",
                       "chat.json");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ASSERT_EQ(log->messages.size(), 2u);
  EXPECT_EQ(log->messages[0].time_ms, 1500);
  EXPECT_EQ(log->messages[0].user_id, "7");
  EXPECT_EQ(log->messages[0].emote_count, 1);
  EXPECT_EQ(log->messages[1].user_name, "b");
  EXPECT_EQ(log->messages[1].display_name, "B");
  EXPECT_EQ(log->messages[1].text, "Kappa LUL");
  EXPECT_EQ(log->messages[1].emote_count, 2);  // one marked, one known by name
}

TEST(ChatImporterTest, NeitherFormatNamesBoth) {
  auto log = ParseChat("hello", "chat.bin");
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.status().message().find("chat.bin: not JSON"), std::string::npos);
  EXPECT_NE(log.status().message().find("text log"), std::string::npos);
}

}  // namespace
}  // namespace clipthat::chat
