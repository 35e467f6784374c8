#include "analysis/titles.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "chat/chat_keywords.h"
#include "chat/chat_rate.h"
#include "chat/emotes.h"
#include "chat/reactions.h"
#include "core/text.h"

namespace clipthat::analysis {
namespace {

constexpr std::array<std::string_view, 8> kFillers = {"uh",  "um", "uhm", "erm",
                                                      "hmm", "mm", "ah",  "eh"};
// Whole words only; a title is shown on a public video.
constexpr std::array<std::string_view, 16> kProfanity = {
    "fuck", "fucking", "fucked",  "fucker",       "shit", "shitty", "bitch", "bastard",
    "cunt", "dick",    "asshole", "motherfucker", "wtf",  "fk",     "fking", "retard"};
constexpr std::array<std::string_view, 40> kStopwords = {
    "the",  "a",    "an",  "and", "or",   "but", "so",   "to", "of",   "in",
    "on",   "at",   "it",  "is",  "i",    "you", "we",   "he", "she",  "they",
    "that", "this", "was", "be",  "are",  "oh",  "okay", "ok", "yeah", "like",
    "just", "my",   "me",  "its", "it's", "for", "with", "do", "not",  "what"};
// Chat reactions that are not a title on their own.
constexpr std::array<std::string_view, 12> kChatNoise = {
    "w", "l", "clip", "it", "that", "lol", "lmao", "omg", "pog", "kekw", "lul", "gg"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <size_t N>
bool In(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Recogniser tokens that are not words: "<sil>", "[noise]", "(2)" alternates, "<unk>".
bool IsNonWord(std::string_view w) {
  return w.empty() || w.front() == '<' || w.front() == '[' || w.front() == '(';
}

// The word without surrounding punctuation, lower case.
// Letters of any script count: bytes of multi-byte UTF-8 characters are word characters.
bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || std::isalnum(u) != 0;
}

std::string Core(std::string_view w) {
  size_t b = 0, e = w.size();
  while (b < e && !IsWordByte(w[b])) ++b;
  while (e > b && !IsWordByte(w[e - 1])) --e;
  return Lower(w.substr(b, e - b));
}

// A channel emote code: a lower-case prefix of 3+ letters or digits, then an upper-case
// letter or digit and the emote's name ("kimdoeGT", "xqcL", "lirikN1"). Such words are never
// English; "iPhone" (a one-letter prefix) is kept.
bool IsChannelEmoteCode(std::string_view w) {
  if (w.empty() || !(w[0] >= 'a' && w[0] <= 'z')) return false;
  size_t i = 0;
  while (i < w.size() && ((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9'))) ++i;
  if (i < 3 || i >= w.size()) return false;
  if (!((w[i] >= 'A' && w[i] <= 'Z') || (w[i] >= '0' && w[i] <= '9'))) return false;
  for (size_t k = i; k < w.size(); ++k) {
    if (!std::isalnum(static_cast<unsigned char>(w[k])) && w[k] != '_') return false;
  }
  return true;
}

// Hangul compatibility jamo alone ("ㅇㄷ", "ㅅㅅ", "ㄹㅇ") are chat shorthand for a feeling,
// not words.
bool IsJamoOnly(std::string_view word) {
  const std::vector<char32_t> cps = Utf8CodePoints(word);
  return !cps.empty() && std::all_of(cps.begin(), cps.end(), [](char32_t c) {
    return (c >= 0x3131 && c <= 0x318E) || c == '?' || c == '!' || c == '.';
  });
}

bool Droppable(std::string_view word) {
  if (IsJamoOnly(word)) return true;
  if (IsNonWord(word)) return true;
  if (chat::IsKnownEmote(word)) return true;
  // Emote codes as "Kappa123", ":emote:", and "***" placeholders.
  if (word.find('*') != std::string_view::npos || word.find("::") != std::string_view::npos)
    return true;
  if (word.size() > 2 && word.front() == ':' && word.back() == ':') return true;
  if (IsChannelEmoteCode(word)) return true;
  // Laughter and "???" are reactions, not words of a title ("ㅋㅋㅋㅋ", "hahaha").
  if (chat::RepetitionReaction(word) != chat::ReactionKind::kNone) return true;
  const std::string core = Core(word);
  if (core.empty()) return true;
  return In(kFillers, core) || In(kProfanity, core) ||
         chat::IsKnownEmote(std::string_view(word).substr(0, word.find_first_of(".,!?")));
}

bool IsContent(std::string_view word) {
  const std::string core = Core(word);
  // Three bytes: "gun" in English, one syllable of Korean or Japanese.
  return !core.empty() && !In(kStopwords, core) && !In(kFillers, core) && core.size() > 2;
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  for (std::string_view w : SpaceSeparatedWords(text)) words.emplace_back(w);
  return words;
}

bool HasDistinctWords(const std::string& cleaned, size_t n);

std::string FromTranscript(const Moment& m, const TitleOptions& o) {
  // Phrases: runs of confident words split at pauses.
  std::vector<std::vector<const MomentWord*>> phrases;
  const MomentWord* prev = nullptr;
  for (const MomentWord& w : m.words) {
    if (w.confidence < o.min_word_confidence || IsNonWord(w.text)) continue;
    if (prev == nullptr || w.start_ms - prev->end_ms >= o.phrase_gap_ms) phrases.emplace_back();
    phrases.back().push_back(&w);
    prev = &w;
  }
  std::string best;
  double best_score = 0;
  for (auto& phrase : phrases) {
    // Long phrases: the max_words around the word nearest the peak.
    if (static_cast<int>(phrase.size()) > o.max_words) {
      size_t nearest = 0;
      for (size_t i = 0; i < phrase.size(); ++i) {
        if (std::llabs(phrase[i]->start_ms - m.peak_ms) <
            std::llabs(phrase[nearest]->start_ms - m.peak_ms)) {
          nearest = i;
        }
      }
      const size_t begin = std::min(nearest > static_cast<size_t>(o.max_words / 3)
                                        ? nearest - static_cast<size_t>(o.max_words / 3)
                                        : 0,
                                    phrase.size() - static_cast<size_t>(o.max_words));
      phrase =
          std::vector<const MomentWord*>(phrase.begin() + static_cast<long>(begin),
                                         phrase.begin() + static_cast<long>(begin) + o.max_words);
    }
    std::string text;
    int content = 0;
    double confidence = 0;
    for (const MomentWord* w : phrase) {
      text += (text.empty() ? "" : " ") + w->text;
      content += IsContent(w->text) ? 1 : 0;
      confidence += w->confidence;
    }
    const std::string cleaned = CleanTitle(text, o.max_chars);
    if (static_cast<int>(SplitWords(cleaned).size()) < o.min_words || content == 0 ||
        !HasDistinctWords(cleaned, 2)) {
      continue;
    }
    // A phrase the recogniser was unsure of as a whole is not put in front of viewers.
    if (confidence / static_cast<double>(phrase.size()) < o.min_phrase_confidence) continue;
    const double distance_s =
        static_cast<double>(std::llabs(phrase.front()->start_ms - m.peak_ms)) / 1000.0;
    const double score = (1.0 + content) * (confidence / static_cast<double>(phrase.size())) /
                         (1.0 + distance_s / 5.0);
    if (score > best_score) {
      best_score = score;
      best = cleaned;
    }
  }
  return best;
}

// At least two different words: "Dog dog" or "kimdoeGT kimdoeGT" is not a title.
bool HasDistinctWords(const std::string& cleaned, size_t n) {
  std::set<std::string> seen;
  for (const std::string& w : SplitWords(cleaned)) seen.insert(Core(w));
  seen.erase("");
  return seen.size() >= n;
}

// "WHO IS THIS GUY" -> "who is this guy" (CleanTitle capitalises the first letter): a title
// in capitals reads as shouting. Mixed case is kept as written; "I" stays upper case.
std::string SentenceCase(std::string text) {
  int upper = 0, lower = 0;
  for (char c : text) {
    upper += (c >= 'A' && c <= 'Z') ? 1 : 0;
    lower += (c >= 'a' && c <= 'z') ? 1 : 0;
  }
  if (upper < 3 || lower > 0) return text;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool lone_i =
        text[i] == 'I' && (i == 0 || text[i - 1] == ' ') &&
        (i + 1 == text.size() || !std::isalpha(static_cast<unsigned char>(text[i + 1])));
    if (!lone_i) text[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  return text;
}

// The key lines are compared by: lower case, runs of a letter cut to two, punctuation at the
// ends dropped ("WHO IS THIS GUY???" and "who is this guyyy" are one line).
std::string PhraseKey(const std::string& cleaned) {
  std::string key;
  for (char c : Lower(cleaned)) {
    if (key.size() >= 2 && key[key.size() - 1] == c && key[key.size() - 2] == c &&
        static_cast<unsigned char>(c) < 0x80) {
      continue;
    }
    key += c;
  }
  while (!key.empty() && !IsWordByte(key.back())) key.pop_back();
  return key;
}

// Chat messages of the moment: from a little before its peak to a while after (chat times
// are as in the log; viewers type after the moment).
std::pair<std::vector<chat::ChatMessage>::const_iterator,
          std::vector<chat::ChatMessage>::const_iterator>
ChatOfMoment(const Moment& m, const std::vector<chat::ChatMessage>& chat, const TitleOptions& o) {
  auto lo = std::lower_bound(chat.begin(), chat.end(), m.peak_ms - o.chat_window_before_ms,
                             [](const chat::ChatMessage& c, TimeMs t) { return c.time_ms < t; });
  auto hi = std::upper_bound(lo, chat.end(), m.peak_ms + o.chat_window_after_ms,
                             [](TimeMs t, const chat::ChatMessage& c) { return t < c.time_ms; });
  return {lo, hi};
}

std::string FromChat(const Moment& m, const std::vector<chat::ChatMessage>& chat,
                     const TitleOptions& o) {
  const auto [lo, hi] = ChatOfMoment(m, chat, o);
  // Emotes the replay marks as such (channel emotes have no fixed names).
  std::set<std::string> emotes;
  for (auto it = lo; it != hi; ++it) {
    for (const chat::ChatFragment& f : it->fragments) {
      if (f.is_emote) emotes.insert(f.text);
    }
  }
  const chat::ChatRateOptions filters;
  // Phrase -> distinct writers, and the most common spelling.
  std::map<std::string, std::set<std::string>> writers;
  std::map<std::string, std::map<std::string, int>> spellings;
  for (auto it = lo; it != hi; ++it) {
    if (chat::IsIgnoredMessage(*it, filters)) continue;
    std::string text;
    for (const std::string& w : SplitWords(it->text)) {
      if (!emotes.count(w)) text += (text.empty() ? "" : " ") + w;
    }
    std::string cleaned = SentenceCase(CleanTitle(text, o.max_chars));
    if (!cleaned.empty()) {
      cleaned[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cleaned[0])));
    }
    const std::vector<std::string> words = SplitWords(cleaned);
    if (static_cast<int>(words.size()) < o.min_words || !HasDistinctWords(cleaned, 2)) continue;
    // A word spelled out one character at a time ("캠 핑", a chant split into syllables) is
    // not a line to title with: at least one word must be longer than one character.
    if (std::none_of(words.begin(), words.end(),
                     [](const std::string& w) { return Utf8CodePoints(Core(w)).size() >= 2; })) {
      continue;
    }
    int real = 0;
    for (const std::string& w : words) real += !In(kChatNoise, Core(w)) && IsContent(w) ? 1 : 0;
    if (real == 0 || chat::IsClipRequest(cleaned)) continue;
    // A bare reaction ("no way", "LMAO" once its emotes are gone) says what chat did, which
    // the fallback names; a title is what chat said.
    if (chat::ClassifyReaction(cleaned) != chat::ReactionKind::kNone) continue;
    const std::string key = PhraseKey(cleaned);
    writers[key].insert(it->user_id.empty() ? it->user_name : it->user_id);
    ++spellings[key][cleaned];
  }
  std::string best;
  size_t best_count = o.min_chat_writers - 1;  // one person's line is not the chat's voice
  for (const auto& [key, users] : writers) {
    if (users.size() > best_count) {
      best_count = users.size();
      const auto& forms = spellings[key];
      best = std::max_element(forms.begin(), forms.end(), [](const auto& a, const auto& b) {
               return a.second < b.second;
             })->first;
    }
  }
  return best;
}

// What chat did, in words, from the reactions most viewers typed.
std::string ChatReactionWords(const Moment& m, const std::vector<chat::ChatMessage>& chat,
                              const TitleOptions& o) {
  const auto [lo, hi] = ChatOfMoment(m, chat, o);
  std::map<chat::ReactionKind, std::set<std::string>> by_kind;
  for (auto it = lo; it != hi; ++it) {
    const chat::ReactionKind k = chat::ClassifyReaction(it->text);
    if (k != chat::ReactionKind::kNone)
      by_kind[k].insert(it->user_id.empty() ? it->user_name : it->user_id);
  }
  chat::ReactionKind best = chat::ReactionKind::kNone;
  size_t most = 2;  // a couple of viewers laughing is not "chat"
  for (const auto& [kind, users] : by_kind) {
    if (users.size() > most) {
      most = users.size();
      best = kind;
    }
  }
  switch (best) {
    case chat::ReactionKind::kLaughter: return "Chat can't stop laughing";
    case chat::ReactionKind::kHype: return "Chat goes wild";
    case chat::ReactionKind::kDisbelief: return "Chat can't believe it";
    case chat::ReactionKind::kNone: break;
  }
  return "Chat goes wild";
}

std::string Fallback(const Moment& m, const std::vector<chat::ChatMessage>& chat,
                     const TitleOptions& o) {
  std::string what = "Big moment";
  std::string strongest;
  double best = 0;
  for (const auto& [name, value] : m.evidence) {
    if (value > best) {
      best = value;
      strongest = name;
    }
  }
  if (strongest == "trigger_phrase") {
    what = "Streamer calls for a clip";
  } else if (strongest == "chat_clip_requests") {
    what = "Chat asks for a clip";
  } else if (strongest.rfind("chat", 0) == 0) {
    what = ChatReactionWords(m, chat, o);
  } else if (strongest == "laughter") {
    what = "Streamer cracks up";
  } else if (strongest.rfind("vocal", 0) == 0 || strongest.rfind("voice", 0) == 0 ||
             strongest == "pitch_raise" || strongest == "speech_rate") {
    what = "Streamer loses it";
  } else if (!strongest.empty()) {
    what = "Big reaction";
  }
  const long long s = std::max<TimeMs>(0, m.peak_ms) / 1000;
  char clock[32];
  if (s >= 3600) {
    std::snprintf(clock, sizeof clock, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(clock, sizeof clock, "%lld:%02lld", s / 60, s % 60);
  }
  return what + " at " + clock;
}

}  // namespace

std::string CleanTitle(const std::string& text, size_t max_chars) {
  std::vector<std::string> kept;
  for (std::string& w : SplitWords(text)) {
    if (Droppable(w)) continue;
    // Quotes and brackets would be left unbalanced by the cuts.
    std::erase_if(w,
                  [](char c) { return c == '"' || c == '(' || c == ')' || c == '[' || c == ']'; });
    if (!w.empty()) kept.push_back(std::move(w));
  }
  // Drop repeats of the same word ("no no no no" -> "no no").
  std::vector<std::string> words;
  for (std::string& w : kept) {
    if (words.size() >= 2 && Core(words[words.size() - 1]) == Core(w) &&
        Core(words[words.size() - 2]) == Core(w)) {
      continue;
    }
    words.push_back(std::move(w));
  }
  std::string out;
  for (const std::string& w : words) {
    if (out.size() + (out.empty() ? 0 : 1) + w.size() > max_chars) break;
    out += (out.empty() ? "" : " ") + w;
  }
  // Trailing joiners and commas read broken.
  while (!out.empty()) {
    const size_t space = out.rfind(' ');
    const std::string last = Core(space == std::string::npos ? out : out.substr(space + 1));
    if (out.back() == ',' || out.back() == '-' || out.back() == ':' || out.back() == ';') {
      out.pop_back();
    } else if (space != std::string::npos &&
               (last == "and" || last == "the" || last == "a" || last == "to" || last == "of" ||
                last == "or" || last == "but")) {
      out.erase(space);
    } else {
      break;
    }
  }
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string ExtractiveTitle(const Moment& moment, const std::vector<chat::ChatMessage>& chat,
                            const TitleOptions& options) {
  std::string title = FromTranscript(moment, options);
  if (title.empty()) title = FromChat(moment, chat, options);
  if (title.empty()) title = Fallback(moment, chat, options);
  return title;
}

}  // namespace clipthat::analysis
