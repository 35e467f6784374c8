#include "core/text.h"

#include <gtest/gtest.h>

namespace clipthat {
namespace {

TEST(Text, CodePointsOfAnyScript) {
  EXPECT_EQ(Utf8CodePoints("aㅋ草😀"), (std::vector<char32_t>{U'a', U'ㅋ', U'草', U'😀'}));
  EXPECT_TRUE(Utf8CodePoints("").empty());
}

TEST(Text, BrokenUtf8GivesBytes) {
  EXPECT_EQ(Utf8CodePoints("\xff\xfe"), (std::vector<char32_t>{0xff, 0xfe}));
  EXPECT_EQ(Utf8CodePoints("\xe3\x85"), (std::vector<char32_t>{0xe3, 0x85}));  // truncated
  EXPECT_EQ(Utf8CodePoints("\xe3"
                           "ab"),
            (std::vector<char32_t>{0xe3, U'a', U'b'}));
}

TEST(Text, WordsOnWhitespace) {
  EXPECT_EQ(SpaceSeparatedWords("  KEKW\tno  way\n"),
            (std::vector<std::string_view>{"KEKW", "no", "way"}));
  EXPECT_TRUE(SpaceSeparatedWords(" \t ").empty());
}

}  // namespace
}  // namespace clipthat
