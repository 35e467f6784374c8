#include "captions/karaoke_ass.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace clipthat::captions {
namespace {

struct Event {
  int layer = 0;
  std::string start, end, style, text;
};

std::vector<Event> Events(const std::string& ass) {
  std::vector<Event> events;
  std::istringstream in(ass);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Dialogue: ", 0) != 0) continue;
    std::vector<std::string> fields;
    std::size_t pos = 10;
    for (int i = 0; i < 9; ++i) {  // nine fields before Text, which may hold commas
      std::size_t comma = line.find(',', pos);
      fields.push_back(line.substr(pos, comma - pos));
      pos = comma + 1;
    }
    events.push_back({std::stoi(fields[0]), fields[1], fields[2], fields[3], line.substr(pos)});
  }
  return events;
}

// The visible text of an event: override blocks removed, escapes kept as written.
std::string Visible(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && (i == 0 || text[i - 1] != '\\')) {
      std::size_t close = text.find('}', i);
      EXPECT_NE(close, std::string::npos) << text;
      EXPECT_EQ(text[i + 1], '\\') << "override block not made of tags: " << text;
      i = close;
      continue;
    }
    out += text[i];
  }
  return out;
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (std::size_t p = haystack.find(needle); p != std::string::npos;
       p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

std::vector<CaptionLine> OneBlock(const std::vector<CaptionWord>& words,
                                  const CaptionStyle& style) {
  auto lines = GroupWords(words, style);
  for (const CaptionLine& l : lines) EXPECT_EQ(l.block, 0);
  return lines;
}

TEST(WriteKaraokeAss, OneEventPerWordIntervalWithThatWordHighlighted) {
  CaptionStyle style;
  style.active_rgba = 0x00E5FFFF;
  const std::vector<CaptionWord> words = {
      {"one", 1000, 1240}, {"two", 1240, 1500}, {"three", 1500, 1800}, {"four", 1800, 2050}};
  const std::string ass = WriteKaraokeAss(OneBlock(words, style), style, 1080, 1920);
  const auto events = Events(ass);
  ASSERT_EQ(events.size(), 4u);
  const char* starts[] = {"0:00:01.00", "0:00:01.24", "0:00:01.50", "0:00:01.80"};
  const char* ends[] = {"0:00:01.24", "0:00:01.50", "0:00:01.80", "0:00:02.05"};
  const char* spoken[] = {"ONE", "TWO", "THREE", "FOUR"};
  for (int k = 0; k < 4; ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(events[k].start, starts[k]);
    EXPECT_EQ(events[k].end, ends[k]);
    EXPECT_EQ(events[k].style, "Caption");
    // The whole block is visible (two lines of the default three-word limit).
    EXPECT_EQ(Visible(events[k].text), "ONE TWO THREE\\NFOUR");
    // Exactly one word gets the active colour (BGR order in ASS), and it is word k.
    EXPECT_EQ(Count(events[k].text, "\\1c&HFFE500&"), 1);
    const std::size_t active = events[k].text.find("\\1c&HFFE500&");
    const std::size_t close = events[k].text.find('}', active);
    EXPECT_EQ(events[k].text.compare(close + 1, std::string(spoken[k]).size(), spoken[k]), 0)
        << events[k].text;
    // The pop.
    EXPECT_NE(events[k].text.find("\\t(0,"), std::string::npos);
    EXPECT_NE(events[k].text.find("\\fscx115"), std::string::npos);
  }
  EXPECT_NE(ass.find("PlayResX: 1080"), std::string::npos);
  EXPECT_NE(ass.find("PlayResY: 1920"), std::string::npos);
  EXPECT_NE(ass.find("Style: Caption,Roboto Black,80,&H00FFFFFF,"), std::string::npos);
  EXPECT_NE(ass.find("\\pos(540,1190)"), std::string::npos);
}

TEST(WriteKaraokeAss, NoAnimationMeansNoTransform) {
  CaptionStyle style;
  style.animation = "none";
  const std::string ass =
      WriteKaraokeAss(OneBlock({{"hi", 0, 300}, {"there", 300, 600}}, style), style, 1080, 1920);
  EXPECT_EQ(Events(ass).size(), 2u);
  EXPECT_EQ(ass.find("\\t("), std::string::npos);
}

TEST(WriteKaraokeAss, BlockStaysVisibleThroughAPauseWithoutHighlight) {
  CaptionStyle style;  // max_gap_ms 600
  const std::vector<CaptionWord> words = {{"wait", 0, 300}, {"what", 800, 1000}};
  const auto events = Events(WriteKaraokeAss(OneBlock(words, style), style, 1080, 1920));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].start, "0:00:00.00");
  EXPECT_EQ(events[0].end, "0:00:00.60");  // highlight held 300 ms after the word
  EXPECT_EQ(events[1].start, "0:00:00.60");
  EXPECT_EQ(events[1].end, "0:00:00.80");
  EXPECT_EQ(Visible(events[1].text), "WAIT WHAT");
  EXPECT_EQ(events[1].text.find(FormatColor(style.active_rgba).substr(1, 6)), std::string::npos);
  EXPECT_EQ(events[1].text.find("\\1c&H00E5FF&"), std::string::npos);
  EXPECT_EQ(events[2].start, "0:00:00.80");
}

TEST(WriteKaraokeAss, BlocksFollowEachOther) {
  CaptionStyle style;
  style.max_words_per_line = 1;
  style.max_lines = 1;
  const std::vector<CaptionWord> words = {{"a", 0, 200}, {"b", 200, 400}, {"c", 2000, 2200}};
  const auto lines = GroupWords(words, style);
  ASSERT_EQ(lines.size(), 3u);
  const auto events = Events(WriteKaraokeAss(lines, style, 1080, 1920));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(Visible(events[0].text), "A");
  EXPECT_EQ(Visible(events[1].text), "B");
  EXPECT_EQ(events[1].end, "0:00:00.40");  // long pause: gone when the word ends
  EXPECT_EQ(Visible(events[2].text), "C");
  EXPECT_EQ(events[2].start, "0:00:02.00");
}

TEST(WriteKaraokeAss, EscapesBracesBackslashesAndNewlines) {
  EXPECT_EQ(EscapeAssText("{x}"), "\\{x\\}");
  EXPECT_EQ(EscapeAssText("a\\Nb"), "a\\\u2060Nb");
  EXPECT_EQ(EscapeAssText("a\nb\r\tc"), "a b  c");
  EXPECT_EQ(EscapeAssText("plain, text"), "plain, text");

  CaptionStyle style;
  style.uppercase = false;
  style.font_size_px = 40;  // all three words on one line
  const std::vector<CaptionWord> words = {
      {"{\\b1}", 0, 300}, {"x\\", 300, 600}, {"c:\\new\nline", 600, 900}};
  const auto events = Events(WriteKaraokeAss(OneBlock(words, style), style, 1080, 1920));
  ASSERT_EQ(events.size(), 3u);
  for (const Event& e : events) {
    SCOPED_TRACE(e.text);
    // Only the writer's override blocks remain (Visible checks each is made of tags), no
    // line break but the one between lines, no raw newline.
    const std::string visible = Visible(e.text);
    EXPECT_EQ(visible, "\\{\\\u2060b1\\} x\\\u2060 c:\\\u2060new line");
    EXPECT_EQ(e.text.find('\n'), std::string::npos);
  }
  // A word ending in a backslash right before the writer's own override block.
  EXPECT_NE(events[1].text.find("x\\\u2060{"), std::string::npos) << events[1].text;
}

TEST(WriteKaraokeAss, ScalesToThePictureAndWritesTheTitle) {
  CaptionStyle style;
  TitleCard title;
  title.text = "Boss {fight}";
  title.duration_ms = 2500;
  const std::string ass =
      WriteKaraokeAss(GroupWords({{"go", 3000, 3300}}, style), style, 540, 960, &title);
  EXPECT_NE(ass.find("Style: Caption,Roboto Black,40,"), std::string::npos) << ass;
  EXPECT_NE(ass.find("Style: Title,Roboto Black,32,&H00000000,"), std::string::npos) << ass;
  const auto events = Events(ass);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].style, "Title");
  EXPECT_EQ(events[0].start, "0:00:00.00");
  EXPECT_EQ(events[0].end, "0:00:02.50");
  EXPECT_EQ(Visible(events[0].text), "Boss \\{fight\\}");
  EXPECT_EQ(events[1].style, "Caption");

  // No title without text or duration.
  title.duration_ms = 0;
  EXPECT_EQ(WriteKaraokeAss({}, style, 540, 960, &title).find("Style: Title"), std::string::npos);
}

TEST(WriteKaraokeAss, BoxedStyleUsesOneBoxPerEvent) {
  const CaptionStyle style = *CaptionPreset("boxed");
  const std::string ass = WriteKaraokeAss(GroupWords({{"hi", 0, 300}}, style), style, 1080, 1920);
  // BorderStyle 4: a box in BackColour (the style's outline colour, 70% opaque black), no text
  // outline, padded by the shadow size (outline_px).
  EXPECT_NE(ass.find(",&H4C000000,&H4C000000,-1,0,0,0,100,100,0,0,4,0,14,5,"), std::string::npos)
      << ass;
}

TEST(WriteKaraokeAss, EmptyInputIsAValidDocumentWithoutEvents) {
  const std::string ass = WriteKaraokeAss({}, CaptionStyle{}, 1080, 1920);
  EXPECT_NE(ass.find("[Script Info]"), std::string::npos);
  EXPECT_NE(ass.find("[Events]"), std::string::npos);
  EXPECT_TRUE(Events(ass).empty());
}

}  // namespace
}  // namespace clipthat::captions
