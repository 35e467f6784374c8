// CaptionWord: one spoken word with its timing, the input of the karaoke captions.
#pragma once

#include <string>

#include "core/time_units.h"

namespace clipthat::captions {

// A word as the recogniser heard it. Times are on the clip's clock (0 = the clip's first
// frame), end_ms >= start_ms. `text` is UTF-8 and may hold any characters (braces, backslashes
// and newlines are escaped when written to ASS).
struct CaptionWord {
  std::string text;
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
};

}  // namespace clipthat::captions
