// Keyword matching for chat bursts: does a message contain one of the configured reaction
// keywords ("clip it", "KEKW", "W")?
//
// Rules, chosen for real chat:
//   - a keyword matches whole words only ("clip" does not match "eclipse", "POG" does not
//     match "POGGERS"); a multi-word keyword matches those words in sequence;
//   - matching ignores case, except one-letter keywords ("W", "L"), which match only in the
//     case given and only as a whole message or a whole word ("W", "W W W", "that's a W";
//     never "w/e" or "with");
//   - punctuation around a word is ignored ("CLIP IT!!" matches "clip it").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clipthat::chat {

struct ChatKeywordOptions {
  std::vector<std::string> keywords = {"clip",     "clip it", "clip that", "LUL",      "LULW",
                                       "KEKW",     "POG",     "POGGERS",   "PogChamp", "W",
                                       "OMEGALUL", "LMAO",    "no way",    "Kreygasm"};
};

// Words of a message for matching: split on spaces, surrounding punctuation removed.
std::vector<std::string> ChatWords(std::string_view text);

// True when any keyword matches `text`.
bool HasKeyword(std::string_view text, const ChatKeywordOptions& options);

// True when a clip request ("clip", "clip it", "clip that") is in `text`.
bool IsClipRequest(std::string_view text);

}  // namespace clipthat::chat
