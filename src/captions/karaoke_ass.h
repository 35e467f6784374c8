// Karaoke ASS writer: turns grouped caption lines into an ASS (Advanced SubStation Alpha)
// document that libass renders, with the word being spoken highlighted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "captions/caption_style.h"
#include "captions/word_grouping.h"
#include "core/time_units.h"

namespace clipthat::captions {

// How long a word stays highlighted after it ends when the next word is late.
inline constexpr TimeMs kHighlightHoldMs = 300;
// The pop: the spoken word grows to active_scale over the first kPopUpMs of its highlight and is
// back to 100% by kPopDownMs (an editor's preview animates it the same way).
inline constexpr int kPopUpMs = 90;
inline constexpr int kPopDownMs = 200;

// An optional title shown over the first seconds of a clip (brand templates use it): the text
// on a box, centred horizontally, wrapped between the style's margins.
struct TitleCard {
  std::string text;
  TimeMs duration_ms = 0;   // shown from 0 to duration_ms; 0 = no title
  std::string font_family;  // empty = the caption style's font
  std::uint32_t text_rgba = 0x000000FF;
  std::uint32_t box_rgba = 0xFFFFFFFF;
  double position_y_fraction = 0.12;  // top edge of the title, from the top of the picture
  int font_size_px = 64;              // at 1080x1920
};

// The ASS document for a width x height picture (PlayRes = width x height; the style's pixel
// sizes are scaled by min(width/1080, height/1920)). For each caption block it writes one
// Dialogue event per word interval: from a word's start to the next word's start (or the
// block's end), showing the whole block with that word in style.active_rgba (and, when
// style.animation == "pop", a \t scale pop to style.active_scale and back). When a pause
// inside a block is longer than 300 ms, the highlight ends 300 ms after the word and an event
// with no highlighted word covers the rest, so the block stays visible through the gap.
// Word text is escaped: '{' and '}' as \{ \}, a backslash is followed by a word joiner
// (U+2060) so it never starts an escape, newlines and tabs become spaces. With
// style.box_background the block sits in one box (libass BorderStyle 4). `title`, when given
// with text and a duration, adds a boxed title event from 0 to title->duration_ms. See
// docs/captions.md for the document's layout.
std::string WriteKaraokeAss(const std::vector<CaptionLine>& lines, const CaptionStyle& style,
                            int width, int height, const TitleCard* title = nullptr);

// "{", "}", "\" and line breaks of `text` made safe for an ASS Dialogue text field.
std::string EscapeAssText(std::string_view text);

}  // namespace clipthat::captions
