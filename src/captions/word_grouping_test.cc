#include "captions/word_grouping.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace clipthat::captions {
namespace {

// Words of `texts`, each 200 ms long, back to back from `start_ms`.
std::vector<CaptionWord> Contiguous(const std::vector<std::string>& texts, TimeMs start_ms = 0) {
  std::vector<CaptionWord> words;
  for (const std::string& text : texts) {
    words.push_back({text, start_ms, start_ms + 200});
    start_ms += 200;
  }
  return words;
}

std::vector<std::string> Texts(const CaptionLine& line) {
  std::vector<std::string> texts;
  for (const CaptionWord& w : line.words) texts.push_back(w.text);
  return texts;
}

TEST(GroupWords, EmptyInputGivesNoLines) {
  EXPECT_TRUE(GroupWords({}, CaptionStyle{}).empty());
  EXPECT_TRUE(GroupWords({{"  ", 0, 100}, {"\n", 100, 200}}, CaptionStyle{}).empty());
}

TEST(GroupWords, LinesHoldAtMostMaxWordsAndBlocksAtMostMaxLines) {
  CaptionStyle style;
  style.max_words_per_line = 3;
  style.max_lines = 2;
  auto lines = GroupWords(Contiguous({"a", "b", "c", "d", "e", "f", "g"}), style);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(Texts(lines[0]), (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(Texts(lines[1]), (std::vector<std::string>{"D", "E", "F"}));
  EXPECT_EQ(Texts(lines[2]), (std::vector<std::string>{"G"}));
  EXPECT_EQ(lines[0].block, 0);
  EXPECT_EQ(lines[1].block, 0);
  EXPECT_EQ(lines[2].block, 1);
  EXPECT_EQ(lines[0].start_ms, 0);
  EXPECT_EQ(lines[1].start_ms, 600);

  style.max_words_per_line = 1;
  style.max_lines = 1;
  lines = GroupWords(Contiguous({"a", "b", "c"}), style);
  ASSERT_EQ(lines.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(lines[i].block, i);
}

TEST(GroupWords, NoLineOrBlockCrossesALongPause) {
  CaptionStyle style;
  style.max_gap_ms = 600;
  std::vector<CaptionWord> words = {{"one", 0, 200},
                                    {"two", 200, 400},
                                    // 601 ms pause: splits
                                    {"three", 1001, 1200},
                                    // exactly 600 ms pause: does not split
                                    {"four", 1800, 2000}};
  auto lines = GroupWords(words, style);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(Texts(lines[0]), (std::vector<std::string>{"ONE", "TWO"}));
  EXPECT_EQ(Texts(lines[1]), (std::vector<std::string>{"THREE", "FOUR"}));
  EXPECT_NE(lines[0].block, lines[1].block);
  // A long pause: the first block leaves when its last word ends.
  EXPECT_EQ(lines[0].end_ms, 400);
  EXPECT_EQ(lines[1].end_ms, 2000);
}

TEST(GroupWords, ShortPauseKeepsTheBlockUntilTheNextStarts) {
  CaptionStyle style;
  style.max_words_per_line = 2;
  style.max_lines = 1;
  std::vector<CaptionWord> words = {
      {"a", 0, 200}, {"b", 200, 400}, {"c", 700, 900}, {"d", 900, 1100}};
  auto lines = GroupWords(words, style);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].end_ms, 700);  // held through the 300 ms pause
  EXPECT_EQ(lines[1].start_ms, 700);
  EXPECT_EQ(lines[1].end_ms, 1100);
}

TEST(GroupWords, LinesAreBoundedByCharacters) {
  CaptionStyle style;
  style.max_words_per_line = 8;
  const int max_chars = MaxCharsPerLine(style);
  ASSERT_GT(max_chars, 6);
  ASSERT_LT(max_chars, 40);
  const std::string word(static_cast<std::size_t>(max_chars / 2), 'x');  // two fit with a space?
  auto lines = GroupWords(Contiguous({word, word, word, word}), style);
  for (const CaptionLine& line : lines) {
    int chars = -1;
    for (const CaptionWord& w : line.words) chars += 1 + static_cast<int>(w.text.size());
    EXPECT_LE(chars, max_chars);
  }
  EXPECT_GE(lines.size(), 2u);

  // A single word longer than a line gets a line of its own.
  const std::string long_word(static_cast<std::size_t>(max_chars + 5), 'y');
  lines = GroupWords(Contiguous({"a", long_word, "b"}), style);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].words.size(), 1u);

  // Bigger text fits fewer characters.
  CaptionStyle big = style;
  big.font_size_px = 2 * style.font_size_px;
  EXPECT_LT(MaxCharsPerLine(big), max_chars);
}

TEST(GroupWords, UpperCasesAsciiAndLatin1WhenAsked) {
  CaptionStyle style;
  style.uppercase = true;
  auto lines = GroupWords({{" héllo\t", 0, 100}, {"wörld!", 100, 200}, {"ß÷", 200, 300}}, style);
  std::vector<std::string> texts;
  for (const CaptionLine& line : lines) {
    for (const std::string& text : Texts(line)) texts.push_back(text);
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"HÉLLO", "WÖRLD!", "ß÷"}));

  style.uppercase = false;
  lines = GroupWords({{"Héllo", 0, 100}}, style);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].words[0].text, "Héllo");
}

TEST(GroupWords, KeepsTimesAndSortsByStart) {
  auto lines = GroupWords({{"b", 300, 500}, {"a", 0, 250}}, CaptionStyle{});
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(lines[0].words.size(), 2u);
  EXPECT_EQ(lines[0].words[0].text, "A");
  EXPECT_EQ(lines[0].words[0].start_ms, 0);
  EXPECT_EQ(lines[0].words[0].end_ms, 250);
  EXPECT_EQ(lines[0].words[1].start_ms, 300);
  EXPECT_EQ(lines[0].start_ms, 0);
  EXPECT_EQ(lines[0].end_ms, 500);
}

}  // namespace
}  // namespace clipthat::captions
