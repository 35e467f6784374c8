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

namespace clipthat::analysis {
namespace {

chat::ChatMessage Line(TimeMs t, const std::string& user, const std::string& text) {
  chat::ChatMessage c;
  c.time_ms = t;
  c.user_id = user;
  c.user_name = user;
  c.text = text;
  return c;
}

Moment ChatMoment(TimeMs peak_ms) {
  Moment m;
  m.peak_ms = peak_ms;
  m.start_ms = peak_ms - 5000;
  m.end_ms = peak_ms + 25000;
  m.evidence["chat_chatters"] = 9;
  m.evidence["chat_reactions"] = 2;
  return m;
}

// The shape of a real chat flood after a moment: an emote wall, laughter in two scripts, a
// channel emote, bot lines, one regular repeating a line, and the line many viewers shout.
std::vector<chat::ChatMessage> RealShapedFlood(TimeMs at_ms) {
  std::vector<chat::ChatMessage> chat;
  TimeMs t = at_ms;
  const char* shouts[] = {"WHO IS THIS GUY", "who is this guy", "WHO IS THIS GUY???",
                          "who is this guyyy", "WHO IS THIS GUY"};
  for (int i = 0; i < 40; ++i) {
    const std::string u = "viewer" + std::to_string(i);
    switch (i % 8) {
      case 0: chat.push_back(Line(t, u, "KEKW KEKW KEKW KEKW")); break;
      case 1: chat.push_back(Line(t, u, "ㅋㅋㅋㅋㅋㅋㅋㅋ")); break;
      case 2: chat.push_back(Line(t, u, "streamerLUL streamerLUL")); break;
      case 3: chat.push_back(Line(t, u, shouts[(i / 8) % 5])); break;
      case 4:
        chat.push_back(Line(t, "nightbot", "Follow the channel for more content here"));
        break;
      case 5: chat.push_back(Line(t, "regular", "this game is actually so good")); break;
      case 6: chat.push_back(Line(t, u, "???")); break;
      default: chat.push_back(Line(t, u, "hahahaha")); break;
    }
    t += 250;
  }
  return chat;
}

TEST(ChatTitles, TheLineManyViewersShoutInSentenceCase) {
  EXPECT_EQ(ExtractiveTitle(ChatMoment(60000), RealShapedFlood(62000)), "Who is this guy");
}

TEST(ChatTitles, NeverAnEmoteCodeOrOneRepeatedWord) {
  std::vector<chat::ChatMessage> chat;
  for (int i = 0; i < 20; ++i) {
    const std::string u = "v" + std::to_string(i);
    chat.push_back(Line(61000 + i * 200, u, i % 2 ? "kimdoeGT kimdoeGT" : "KEKW LUL OMEGALUL"));
    chat.push_back(Line(61100 + i * 200, u, "Pog Pog Pog"));
  }
  const std::string title = ExtractiveTitle(ChatMoment(60000), chat);
  EXPECT_EQ(title, "Chat goes wild at 1:00");  // Pog from all twenty: hype
}

TEST(ChatTitles, FallbackNamesTheReaction) {
  std::vector<chat::ChatMessage> chat;
  for (int i = 0; i < 12; ++i) {
    chat.push_back(Line(3724000 + i * 100, "v" + std::to_string(i), "???"));
  }
  EXPECT_EQ(ExtractiveTitle(ChatMoment(3723000), chat), "Chat can't believe it at 1:02:03");
  Moment asked = ChatMoment(60000);
  asked.evidence["trigger_phrase"] = 20;
  EXPECT_EQ(ExtractiveTitle(asked, {}), "Streamer calls for a clip at 1:00");
}

TEST(ChatTitles, OneViewerOrTwoIsNotTheChatsVoice) {
  std::vector<chat::ChatMessage> chat = {Line(61000, "a", "that was a crazy jump"),
                                         Line(61500, "b", "that was a crazy jump"),
                                         Line(61600, "a", "that was a crazy jump")};
  EXPECT_EQ(ExtractiveTitle(ChatMoment(60000), chat), "Chat goes wild at 1:00");
}

TEST(ChatTitles, AnyScriptWorksButSpelledOutSyllablesDoNot) {
  std::vector<chat::ChatMessage> chat;
  for (int i = 0; i < 5; ++i) {
    chat.push_back(Line(61000 + i * 100, "k" + std::to_string(i), "김도 그는 사람인가?"));
    chat.push_back(Line(61050 + i * 100, "s" + std::to_string(i), "캠 핑 캠 핑 캠 핑"));
    chat.push_back(Line(61070 + i * 100, "s" + std::to_string(i), "캠 핑"));
  }
  EXPECT_EQ(ExtractiveTitle(ChatMoment(60000), chat), "김도 그는 사람인가?");
}

TEST(TranscriptTitles, WordsHeardInSilenceAreNotATitle) {
  // What a recogniser emits for a quiet stretch: one word, repeated, at low confidence.
  Moment m = ChatMoment(60000);
  m.evidence.clear();
  m.evidence["loudness"] = 2;
  m.words = {{"dog", 59000, 59400, 0.35}, {"dog", 59500, 59900, 0.32}};
  EXPECT_EQ(ExtractiveTitle(m, {}), "Big reaction at 1:00");
  m.words = {{"dog", 59000, 59400, 0.95}, {"dog", 59500, 59900, 0.95}};  // confident, but one word
  EXPECT_EQ(ExtractiveTitle(m, {}), "Big reaction at 1:00");
  m.words = {{"nice", 59000, 59400, 0.4}, {"shot", 59500, 59900, 0.35}};  // unsure as a whole
  EXPECT_EQ(ExtractiveTitle(m, {}), "Big reaction at 1:00");
}

}  // namespace
}  // namespace clipthat::analysis
