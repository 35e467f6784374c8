#include "analysis/titles.h"

#include <gtest/gtest.h>

namespace clipthat::analysis {
namespace {

Moment WithWords(const std::vector<std::string>& words, TimeMs from, TimeMs peak) {
  Moment m;
  m.start_ms = from;
  m.peak_ms = peak;
  m.end_ms = from + 30000;
  TimeMs t = from;
  for (const std::string& w : words) {
    if (w == "|") {
      t += 1500;  // a pause
      continue;
    }
    m.words.push_back({w, t, t + 300, 0.9});
    t += 350;
  }
  return m;
}

TEST(TitlesTest, PicksTheContentPhraseNearestThePeak) {
  Moment m =
      WithWords({"okay", "so", "|", "no", "way", "he", "hit", "that", "shot", "|", "uh", "yeah"},
                10000, 11700);
  EXPECT_EQ(ExtractiveTitle(m, {}), "No way he hit that shot");
}

TEST(TitlesTest, CleansEmotesFillersProfanityAndLength) {
  EXPECT_EQ(CleanTitle("uh what the fuck KEKW was that"), "What the was that");
  EXPECT_EQ(CleanTitle("f*** this boss"), "This boss");
  EXPECT_EQ(CleanTitle("no no no no way"), "No no way");
  const std::string long_text =
      "this is a very long sentence that keeps going and going well past the limit of sixty";
  const std::string t = CleanTitle(long_text);
  EXPECT_LE(t.size(), 60u);
  EXPECT_EQ(long_text.find(t.substr(1)), 1u);  // a prefix made of whole words
  EXPECT_NE(t.back(), ' ');
}

TEST(TitlesTest, ChatPhraseThenFallback) {
  Moment m;
  m.peak_ms = 60000;
  m.evidence["chat_rate"] = 3;
  std::vector<chat::ChatMessage> chat;
  for (int i = 0; i < 4; ++i) {
    chat::ChatMessage c;
    c.time_ms = 65000 + i * 100;
    c.user_name = "u" + std::to_string(i);
    c.text = i < 3 ? "what a play KEKW" : "W";
    chat.push_back(c);
  }
  EXPECT_EQ(ExtractiveTitle(m, chat), "What a play");
  EXPECT_EQ(ExtractiveTitle(m, {}), "Chat goes wild at 1:00");
}

}  // namespace
}  // namespace clipthat::analysis
