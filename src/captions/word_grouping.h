// Word grouping: splits timed words into the short lines and caption blocks that karaoke
// captions show, one block at a time.
#pragma once

#include <vector>

#include "captions/caption_style.h"
#include "captions/caption_word.h"
#include "core/time_units.h"

namespace clipthat::captions {

// One line of caption text. Lines with the same `block` are shown together, stacked.
struct CaptionLine {
  std::vector<CaptionWord> words;  // text already upper-cased when the style asks for it
  TimeMs start_ms = 0;             // the first word's start (a block appears with its first line)
  // When the line leaves the screen: its block's last word end, extended to the next block's
  // start when the pause between them is at most style.max_gap_ms. Lines of one block share it.
  TimeMs end_ms = 0;
  int block = 0;  // index of the caption block (0, 1, 2, ... in time order)
};

// Groups `words` (sorted by start here; words with empty text after trimming are dropped) into
// lines of at most style.max_words_per_line words and at most MaxCharsPerLine(style) characters (a
// single longer word gets a line of its own), and lines into blocks of at most style.max_lines
// lines. A pause longer than style.max_gap_ms between two words always starts a new block.
// Upper-cases (ASCII and Latin-1 letters) when style.uppercase. Empty input gives no lines.
std::vector<CaptionLine> GroupWords(const std::vector<CaptionWord>& words,
                                    const CaptionStyle& style);

// The most characters (UTF-8 code points, spaces included) that fit one line between the
// margins at the reference width, estimated from the font size.
int MaxCharsPerLine(const CaptionStyle& style);

}  // namespace clipthat::captions
