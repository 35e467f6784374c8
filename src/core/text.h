// Text helpers for what users and viewers write, in any script: UTF-8 code points and
// space-separated words. Pure; no locale.
#pragma once

#include <string_view>
#include <vector>

namespace clipthat {

// The code points of UTF-8 `text`. A malformed or truncated sequence yields each of its bytes
// as one code point of its own (never an error: chat is full of broken text).
std::vector<char32_t> Utf8CodePoints(std::string_view text);

// The words of `text` split on ASCII whitespace, as written (views into `text`).
std::vector<std::string_view> SpaceSeparatedWords(std::string_view text);

}  // namespace clipthat
