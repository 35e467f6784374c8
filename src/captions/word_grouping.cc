#include "captions/word_grouping.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace clipthat::captions {
namespace {

// Average advance of a glyph as a fraction of the font size, for the bold sans fonts the
// presets use (Roboto Black upper case is the widest common case).
constexpr double kUpperCaseEm = 0.6;
constexpr double kMixedCaseEm = 0.52;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string Trim(const std::string& text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

// Upper-cases ASCII and the Latin-1 letters (U+00E0..U+00FE but U+00F7) of UTF-8 text.
std::string UpperCase(std::string text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'a' && c <= 'z') {
      text[i] = static_cast<char>(c - 'a' + 'A');
    } else if (c == 0xC3 && i + 1 < text.size()) {
      auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0xA0 && next <= 0xBE && next != 0xB7) {
        text[i + 1] = static_cast<char>(next - 0x20);
      }
      ++i;
    }
  }
  return text;
}

int CodePoints(const std::string& text) {
  int count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace

int MaxCharsPerLine(const CaptionStyle& style) {
  const double usable_px =
      kReferenceWidthPx * (1.0 - 2.0 * style.margin_x_fraction) - 2.0 * style.outline_px;
  const double scale = style.animation == "pop" ? std::max(1.0, style.active_scale) : 1.0;
  const double char_px =
      std::max(1, style.font_size_px) * (style.uppercase ? kUpperCaseEm : kMixedCaseEm) * scale;
  return std::max(1, static_cast<int>(std::floor(usable_px / char_px)));
}

std::vector<CaptionLine> GroupWords(const std::vector<CaptionWord>& words,
                                    const CaptionStyle& style) {
  std::vector<CaptionWord> clean;
  clean.reserve(words.size());
  for (const CaptionWord& word : words) {
    CaptionWord w = word;
    w.text = Trim(w.text);
    if (w.text.empty()) continue;
    if (style.uppercase) w.text = UpperCase(std::move(w.text));
    w.end_ms = std::max(w.end_ms, w.start_ms);
    clean.push_back(std::move(w));
  }
  std::stable_sort(clean.begin(), clean.end(), [](const CaptionWord& a, const CaptionWord& b) {
    return a.start_ms < b.start_ms;
  });

  const int max_words = std::max(1, style.max_words_per_line);
  const int max_lines = std::max(1, style.max_lines);
  const int max_chars = MaxCharsPerLine(style);

  std::vector<CaptionLine> lines;
  int block = 0;
  int lines_in_block = 0;
  int line_chars = 0;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    const CaptionWord& w = clean[i];
    const int chars = CodePoints(w.text);
    bool new_line = lines.empty();
    bool new_block = lines.empty();
    if (!lines.empty()) {
      CaptionLine& line = lines.back();
      const TimeMs gap_ms = w.start_ms - clean[i - 1].end_ms;
      if (gap_ms > style.max_gap_ms) {
        new_line = new_block = true;
      } else if (static_cast<int>(line.words.size()) >= max_words ||
                 line_chars + 1 + chars > max_chars) {
        new_line = true;
        new_block = lines_in_block >= max_lines;
      }
    }
    if (new_line) {
      if (new_block && !lines.empty()) {
        ++block;
        lines_in_block = 0;
      }
      CaptionLine line;
      line.start_ms = w.start_ms;
      line.block = block;
      lines.push_back(std::move(line));
      ++lines_in_block;
      line_chars = chars;
    } else {
      line_chars += 1 + chars;
    }
    lines.back().words.push_back(w);
  }

  // End times: a block stays until its last word ends, or until the next block starts when
  // the pause before it is short.
  for (std::size_t first = 0; first < lines.size();) {
    std::size_t next = first;
    TimeMs last_end_ms = 0;
    while (next < lines.size() && lines[next].block == lines[first].block) {
      for (const CaptionWord& w : lines[next].words) last_end_ms = std::max(last_end_ms, w.end_ms);
      ++next;
    }
    TimeMs end_ms = last_end_ms;
    if (next < lines.size() && lines[next].start_ms - last_end_ms <= style.max_gap_ms) {
      // Also when the next block starts before this one's last word ends: one block at a time.
      end_ms = std::max(lines[first].start_ms, lines[next].start_ms);
    }
    for (std::size_t i = first; i < next; ++i) lines[i].end_ms = end_ms;
    first = next;
  }
  return lines;
}

}  // namespace clipthat::captions
