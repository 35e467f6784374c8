#include "chat/chat_keywords.h"

#include <gtest/gtest.h>

namespace clipthat::chat {
namespace {

TEST(ChatKeywordsTest, WholeWordsIgnoringCaseAndPunctuation) {
  ChatKeywordOptions o;
  EXPECT_TRUE(HasKeyword("CLIP IT!!", o));
  EXPECT_TRUE(HasKeyword("someone clip that", o));
  EXPECT_TRUE(HasKeyword("kekw", o));
  EXPECT_TRUE(HasKeyword("LUL LUL LUL", o));
  EXPECT_FALSE(HasKeyword("total eclipse", o));
  EXPECT_FALSE(HasKeyword("good morning chat", o));
}

TEST(ChatKeywordsTest, SingleLetterOnlyAsWholeWordInItsCase) {
  ChatKeywordOptions o{{"W"}};
  EXPECT_TRUE(HasKeyword("W", o));
  EXPECT_TRUE(HasKeyword("W W W", o));
  EXPECT_TRUE(HasKeyword("that's a W", o));
  EXPECT_FALSE(HasKeyword("w", o));
  EXPECT_FALSE(HasKeyword("Wow", o));
  EXPECT_FALSE(HasKeyword("with you", o));
}

TEST(ChatKeywordsTest, PogDoesNotMatchPoggersButListHasBoth) {
  EXPECT_FALSE(HasKeyword("POGGERS", ChatKeywordOptions{{"POG"}}));
  EXPECT_TRUE(HasKeyword("POGGERS", ChatKeywordOptions{}));
  EXPECT_TRUE(IsClipRequest("Clip it"));
  EXPECT_FALSE(IsClipRequest("clipboard"));
}

TEST(ChatKeywordsTest, WordsDropSurroundingPunctuation) {
  auto w = ChatWords("  \"hello,\"  @streamer  !!! ok ");
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0], "hello");
  EXPECT_EQ(w[1], "streamer");
  EXPECT_EQ(w[2], "ok");
}

}  // namespace
}  // namespace clipthat::chat
