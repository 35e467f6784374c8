#include "chat/reactions.h"

#include <algorithm>
#include <cctype>

#include "chat/chat_keywords.h"
#include "core/text.h"

namespace clipthat::chat {
namespace {

char32_t LowerAscii(char32_t c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }

bool IsAsciiPunct(char32_t c) { return c < 0x80 && std::ispunct(static_cast<int>(c)) != 0; }

std::string LowerAsciiString(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Contains(const std::vector<std::string>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// A channel emote: a lower-case ASCII prefix, then a known emote name of 3+ characters that
// starts with an upper-case letter ("kimdoeLUL", "xqcKEKW").
bool HasEmoteSuffix(std::string_view word, const std::vector<std::string>& names) {
  size_t prefix = 0;
  while (prefix < word.size() && ((word[prefix] >= 'a' && word[prefix] <= 'z') ||
                                  (word[prefix] >= '0' && word[prefix] <= '9')))
    ++prefix;
  if (prefix == 0 || prefix >= word.size() || !(word[prefix] >= 'A' && word[prefix] <= 'Z')) {
    return false;
  }
  const std::string_view rest = word.substr(prefix);
  return rest.size() >= 3 && Contains(names, rest);
}

ReactionKind EmoteReaction(std::string_view word, const ReactionLexicon& lex) {
  if (Contains(lex.laughter_emotes, word) || HasEmoteSuffix(word, lex.laughter_emotes)) {
    return ReactionKind::kLaughter;
  }
  if (Contains(lex.hype_emotes, word) || HasEmoteSuffix(word, lex.hype_emotes)) {
    return ReactionKind::kHype;
  }
  if (Contains(lex.disbelief_emotes, word) || HasEmoteSuffix(word, lex.disbelief_emotes)) {
    return ReactionKind::kDisbelief;
  }
  return ReactionKind::kNone;
}

ReactionKind WordReaction(const std::string& lower, const ReactionLexicon& lex) {
  if (Contains(lex.laughter_words, lower)) return ReactionKind::kLaughter;
  if (Contains(lex.hype_words, lower)) return ReactionKind::kHype;
  if (Contains(lex.disbelief_words, lower)) return ReactionKind::kDisbelief;
  return ReactionKind::kNone;
}

}  // namespace

std::string_view ReactionKindName(ReactionKind kind) {
  switch (kind) {
    case ReactionKind::kLaughter: return "laughter";
    case ReactionKind::kHype: return "hype";
    case ReactionKind::kDisbelief: return "disbelief";
    case ReactionKind::kNone: break;
  }
  return "";
}

ReactionKind RepetitionReaction(std::string_view word, int min_repeat_chars) {
  std::vector<char32_t> cps = Utf8CodePoints(word);
  // "?"-only and "!"-only words first: they are all punctuation.
  if (!cps.empty() && std::all_of(cps.begin(), cps.end(), [](char32_t c) { return c == '?'; })) {
    return ReactionKind::kDisbelief;
  }
  if (cps.size() >= 2 && std::all_of(cps.begin(), cps.end(), [](char32_t c) { return c == '!'; })) {
    return ReactionKind::kHype;
  }
  while (!cps.empty() && IsAsciiPunct(cps.back())) cps.pop_back();
  if (cps.empty() || IsAsciiPunct(cps.front())) return ReactionKind::kNone;
  for (char32_t& c : cps) c = LowerAscii(c);
  const auto n = static_cast<int>(cps.size());
  if (n >= std::max(2, min_repeat_chars) &&
      std::all_of(cps.begin(), cps.end(), [&](char32_t c) { return c == cps[0]; })) {
    return ReactionKind::kLaughter;
  }
  if (n >= 4 && cps[0] != cps[1]) {
    bool alternating = true;
    for (int i = 2; i < n && alternating; ++i)
      alternating = cps[static_cast<size_t>(i)] == cps[static_cast<size_t>(i % 2)];
    if (alternating) return ReactionKind::kLaughter;
  }
  return ReactionKind::kNone;
}

ReactionKind ClassifyReaction(std::string_view text, const ReactionLexicon& lexicon) {
  const std::vector<std::string_view> raw = SpaceSeparatedWords(text);
  ReactionKind found = ReactionKind::kNone;
  for (std::string_view w : raw) {
    ReactionKind k = EmoteReaction(w, lexicon);
    if (k == ReactionKind::kNone) k = RepetitionReaction(w, lexicon.min_repeat_chars);
    if (k != ReactionKind::kNone) {
      // Laughter is the most specific reaction; keep it when a message mixes several.
      if (k == ReactionKind::kLaughter) return k;
      if (found == ReactionKind::kNone) found = k;
    }
  }
  if (found != ReactionKind::kNone) return found;
  if (raw.empty() || static_cast<int>(raw.size()) > lexicon.max_words_for_words) {
    return ReactionKind::kNone;
  }
  const std::vector<std::string> words = ChatWords(text);  // punctuation stripped
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string lower = LowerAsciiString(words[i]);
    if (ReactionKind k = WordReaction(lower, lexicon); k != ReactionKind::kNone) return k;
    if (i + 1 < words.size()) {
      if (ReactionKind k = WordReaction(lower + LowerAsciiString(words[i + 1]), lexicon);
          k != ReactionKind::kNone) {
        return k;
      }
    }
  }
  return ReactionKind::kNone;
}

}  // namespace clipthat::chat
