#include "chat/reactions.h"

#include <gtest/gtest.h>

namespace clipthat::chat {
namespace {

TEST(Reactions, LaughterInManyScripts) {
  for (const char* text : {"ㅋㅋㅋㅋㅋ", "hahaha", "HAHAHA", "jajajaja", "kkkkkk", "wwwww", "55555",
                           "хахаха", "lolol", "ahahah that was so bad", "ㅋㅋㅋ?", "草", "LMAO",
                           "KEKW", "OMEGALUL OMEGALUL", "kimdoeLUL", "xqcKEKW"}) {
    EXPECT_EQ(ClassifyReaction(text), ReactionKind::kLaughter) << text;
  }
}

TEST(Reactions, HypeAndDisbelief) {
  EXPECT_EQ(ClassifyReaction("PogChamp"), ReactionKind::kHype);
  EXPECT_EQ(ClassifyReaction("LETS GO"), ReactionKind::kHype);
  EXPECT_EQ(ClassifyReaction("!!!!"), ReactionKind::kHype);
  EXPECT_EQ(ClassifyReaction("gg wp"), ReactionKind::kHype);
  EXPECT_EQ(ClassifyReaction("???"), ReactionKind::kDisbelief);
  EXPECT_EQ(ClassifyReaction("?"), ReactionKind::kDisbelief);
  EXPECT_EQ(ClassifyReaction("no way"), ReactionKind::kDisbelief);
  EXPECT_EQ(ClassifyReaction("WTF"), ReactionKind::kDisbelief);
  EXPECT_EQ(ClassifyReaction("monkaS"), ReactionKind::kDisbelief);
}

TEST(Reactions, OrdinaryChatIsNotAReaction) {
  for (const char* text :
       {"hi", "what game is this", "no way to win this one if you keep camping", "dad", "mom",
        "all good", "see you", "...", "---", "ok", "@streamer what is your sens", "lul", "xqcL",
        "1", "anyone here?", "book", ""}) {
    EXPECT_EQ(ClassifyReaction(text), ReactionKind::kNone) << text;
  }
}

TEST(Reactions, EmoteNamesAreCaseSensitiveButWordsAreNot) {
  EXPECT_EQ(ClassifyReaction("pog"), ReactionKind::kNone);  // not the emote, not a word
  EXPECT_EQ(ClassifyReaction("Pog"), ReactionKind::kHype);
  EXPECT_EQ(ClassifyReaction("Lol"), ReactionKind::kLaughter);
}

TEST(Reactions, LaughterWinsInMixedMessages) {
  EXPECT_EQ(ClassifyReaction("??? ㅋㅋㅋㅋ"), ReactionKind::kLaughter);
  EXPECT_EQ(ClassifyReaction("Pog that was clean"), ReactionKind::kHype);
}

TEST(Reactions, RepetitionRule) {
  EXPECT_EQ(RepetitionReaction("ㅋㅋ"), ReactionKind::kNone);  // two: too short
  EXPECT_EQ(RepetitionReaction("ㅋㅋㅋ"), ReactionKind::kLaughter);
  EXPECT_EQ(RepetitionReaction("haha!"), ReactionKind::kLaughter);
  EXPECT_EQ(RepetitionReaction("hah"), ReactionKind::kNone);
  EXPECT_EQ(RepetitionReaction("xDDD"), ReactionKind::kNone);
  EXPECT_EQ(RepetitionReaction("????"), ReactionKind::kDisbelief);
  EXPECT_EQ(RepetitionReaction("!"), ReactionKind::kNone);
  EXPECT_EQ(RepetitionReaction("\xff\xfe\xff"), ReactionKind::kNone);  // malformed UTF-8
  EXPECT_STREQ(std::string(ReactionKindName(ReactionKind::kHype)).c_str(), "hype");
}

}  // namespace
}  // namespace clipthat::chat
