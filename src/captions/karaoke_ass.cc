#include "captions/karaoke_ass.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace clipthat::captions {
namespace {

// ASS colour "&HAABBGGRR" (AA = transparency) from 0xRRGGBBAA (AA = opacity).
std::string AssColor(std::uint32_t rgba) {
  const unsigned r = rgba >> 24 & 0xFF, g = rgba >> 16 & 0xFF, b = rgba >> 8 & 0xFF;
  const unsigned transparency = 255 - (rgba & 0xFF);
  char text[16];
  std::snprintf(text, sizeof(text), "&H%02X%02X%02X%02X", transparency, b, g, r);
  return text;
}

// Override tags for colour and alpha of the primary fill: "\1c&HBBGGRR&\1a&HAA&".
std::string FillOverride(std::uint32_t rgba) {
  const unsigned r = rgba >> 24 & 0xFF, g = rgba >> 16 & 0xFF, b = rgba >> 8 & 0xFF;
  char text[40];
  std::snprintf(text, sizeof(text), "\\1c&H%02X%02X%02X&\\1a&H%02X&", b, g, r, 255 - (rgba & 0xFF));
  return text;
}

// "H:MM:SS.cc" (ASS times are centiseconds).
std::string AssTime(TimeMs ms) {
  const long long cs = std::max<TimeMs>(0, ms) / 10;
  char text[32];
  std::snprintf(text, sizeof(text), "%lld:%02lld:%02lld.%02lld", cs / 360000, cs / 6000 % 60,
                cs / 100 % 60, cs % 100);
  return text;
}

std::string Num(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", value);
  std::string s = text;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

struct BlockWord {
  const CaptionWord* word;
  std::size_t line;  // index of the line within the block
};

// The text of one block with word `active` highlighted (none when active < 0).
std::string BlockText(const std::vector<const CaptionLine*>& block, int active,
                      const CaptionStyle& style) {
  std::string text;
  int index = 0;
  for (std::size_t l = 0; l < block.size(); ++l) {
    if (l > 0) text += "\\N";
    const auto& words = block[l]->words;
    for (std::size_t w = 0; w < words.size(); ++w, ++index) {
      if (w > 0) text += ' ';
      if (index == active) {
        text += '{';
        text += FillOverride(style.active_rgba);
        if (style.animation == "pop" && style.active_scale > 1.0) {
          const std::string pct = Num(style.active_scale * 100);
          text += "\\t(0," + std::to_string(kPopUpMs) + ",\\fscx" + pct + "\\fscy" + pct + ")";
          text += "\\t(" + std::to_string(kPopUpMs) + "," + std::to_string(kPopDownMs) +
                  ",\\fscx100\\fscy100)";
        }
        text += '}';
        text += EscapeAssText(words[w].text);
        // Back to the fill colour explicitly: \r would also drop event-wide tags (\blur).
        text += "{" + FillOverride(style.fill_rgba) + "\\fscx100\\fscy100}";
      } else {
        text += EscapeAssText(words[w].text);
      }
    }
  }
  return text;
}

}  // namespace

std::string EscapeAssText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '{': out += "\\{"; break;
      case '}': out += "\\}"; break;
      case '\\':
        // A word joiner after the backslash: it can never start \N, \h, \{ ... and is invisible.
        out += "\\\u2060";
        break;
      case '\n':
      case '\r':
      case '\t': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

std::string WriteKaraokeAss(const std::vector<CaptionLine>& lines, const CaptionStyle& style,
                            int width, int height, const TitleCard* title) {
  const double scale = std::min(static_cast<double>(width) / kReferenceWidthPx,
                                static_cast<double>(height) / kReferenceHeightPx);
  const int margin_px = static_cast<int>(std::lround(style.margin_x_fraction * width));
  std::string ass;
  ass += "[Script Info]\nScriptType: v4.00+\n";
  ass += "PlayResX: " + std::to_string(width) + "\nPlayResY: " + std::to_string(height) + "\n";
  ass += "WrapStyle: 2\nScaledBorderAndShadow: yes\nYCbCr Matrix: None\n\n";

  ass += "[V4+ Styles]\n";
  ass +=
      "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
      "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
      "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n";
  // Box mode uses libass's BorderStyle 4: one box around the whole event in BackColour,
  // padded by the shadow size, so the lines and the popping word share one clean box.
  const bool box = style.box_background;
  ass += "Style: Caption," + style.font_family + "," + Num(style.font_size_px * scale) + "," +
         AssColor(style.fill_rgba) + "," + AssColor(style.active_rgba) + "," +
         AssColor(style.outline_rgba) + "," +
         AssColor(box ? style.outline_rgba : style.shadow_rgba) + "," + (style.bold ? "-1" : "0") +
         ",0,0,0,100,100,0,0," + (box ? "4" : "1") + "," +
         (box ? "0" : Num(style.outline_px * scale)) + "," +
         Num((box ? style.outline_px : style.shadow_px) * scale) + ",5," +
         std::to_string(margin_px) + "," + std::to_string(margin_px) + ",0,1\n";
  const bool has_title = title != nullptr && title->duration_ms > 0 && !title->text.empty();
  if (has_title) {
    const double size = title->font_size_px * scale;
    ass += "Style: Title," + (title->font_family.empty() ? style.font_family : title->font_family) +
           "," + Num(size) + "," + AssColor(title->text_rgba) + "," + AssColor(title->text_rgba) +
           "," + AssColor(title->box_rgba) + "," + AssColor(title->box_rgba) +
           ",-1,0,0,0,100,100,0,0,3," + Num(size * 0.3) + ",0,8," + std::to_string(margin_px) +
           "," + std::to_string(margin_px) + "," +
           std::to_string(std::lround(title->position_y_fraction * height)) + ",1\n";
  }

  ass += "\n[Events]\n";
  ass += "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";
  if (has_title) {
    ass += "Dialogue: 1," + AssTime(0) + "," + AssTime(title->duration_ms) +
           ",Title,,0,0,0,,{\\q0}" + EscapeAssText(title->text) + "\n";
  }

  std::string prefix = "{\\an5\\pos(" + std::to_string(width / 2) + "," +
                       std::to_string(std::lround(style.position_y_fraction * height)) + ")";
  if (style.blur_px > 0) prefix += "\\blur" + Num(style.blur_px * scale);
  prefix += "}";
  auto dialogue = [&](TimeMs start_ms, TimeMs end_ms, const std::string& text) {
    // Equal centisecond times would make an event that never shows.
    if (std::max<TimeMs>(0, end_ms) / 10 <= std::max<TimeMs>(0, start_ms) / 10) return;
    ass += "Dialogue: 0," + AssTime(start_ms) + "," + AssTime(end_ms) + ",Caption,,0,0,0,," +
           prefix + text + "\n";
  };

  for (std::size_t first = 0; first < lines.size();) {
    std::vector<const CaptionLine*> block;
    std::size_t next = first;
    while (next < lines.size() && lines[next].block == lines[first].block) {
      block.push_back(&lines[next]);
      ++next;
    }
    std::vector<const CaptionWord*> words;
    for (const CaptionLine* line : block) {
      for (const CaptionWord& w : line->words) words.push_back(&w);
    }
    const TimeMs block_end_ms = lines[first].end_ms;
    for (std::size_t k = 0; k < words.size(); ++k) {
      const TimeMs start_ms = words[k]->start_ms;
      const TimeMs until_ms =
          std::min(block_end_ms, k + 1 < words.size() ? words[k + 1]->start_ms : block_end_ms);
      const TimeMs hold_end_ms = std::max(start_ms, words[k]->end_ms) + kHighlightHoldMs;
      if (until_ms > hold_end_ms) {
        dialogue(start_ms, hold_end_ms, BlockText(block, static_cast<int>(k), style));
        dialogue(hold_end_ms, until_ms, BlockText(block, -1, style));
      } else {
        dialogue(start_ms, until_ms, BlockText(block, static_cast<int>(k), style));
      }
    }
    first = next;
  }
  return ass;
}

}  // namespace clipthat::captions
