#include "chat/chat_keywords.h"

#include <cctype>

namespace clipthat::chat {
namespace {

bool IsWordChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '\'' || u >= 0x80;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool MatchesAt(const std::vector<std::string>& words, size_t at,
               const std::vector<std::string>& keyword) {
  if (at + keyword.size() > words.size()) return false;
  for (size_t k = 0; k < keyword.size(); ++k) {
    const std::string& kw = keyword[k];
    const bool exact = keyword.size() == 1 && kw.size() == 1;
    if (exact ? words[at + k] != kw : !EqualsIgnoreCase(words[at + k], kw)) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> ChatWords(std::string_view text) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    size_t end = pos;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    size_t b = pos, e = end;
    while (b < e && !IsWordChar(text[b])) ++b;
    while (e > b && !IsWordChar(text[e - 1])) --e;
    if (e > b) words.emplace_back(text.substr(b, e - b));
    pos = end;
  }
  return words;
}

bool HasKeyword(std::string_view text, const ChatKeywordOptions& options) {
  const std::vector<std::string> words = ChatWords(text);
  if (words.empty()) return false;
  for (const std::string& keyword : options.keywords) {
    const std::vector<std::string> parts = ChatWords(keyword);
    if (parts.empty()) continue;
    for (size_t i = 0; i < words.size(); ++i) {
      if (MatchesAt(words, i, parts)) return true;
    }
  }
  return false;
}

bool IsClipRequest(std::string_view text) {
  static const ChatKeywordOptions kClip{{"clip", "clip it", "clip that"}};
  return HasKeyword(text, kClip);
}

}  // namespace clipthat::chat
