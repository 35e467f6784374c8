#include "analysis/titles.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

#include "chat/chat_keywords.h"
#include "chat/emotes.h"

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
std::string Core(std::string_view w) {
  size_t b = 0, e = w.size();
  while (b < e && !std::isalnum(static_cast<unsigned char>(w[b]))) ++b;
  while (e > b && !std::isalnum(static_cast<unsigned char>(w[e - 1]))) --e;
  return Lower(w.substr(b, e - b));
}

bool Droppable(std::string_view word) {
  if (IsNonWord(word)) return true;
  if (chat::IsKnownEmote(word)) return true;
  // Emote codes as "Kappa123", ":emote:", and "***" placeholders.
  if (word.find('*') != std::string_view::npos || word.find("::") != std::string_view::npos)
    return true;
  if (word.size() > 2 && word.front() == ':' && word.back() == ':') return true;
  const std::string core = Core(word);
  if (core.empty()) return true;
  return In(kFillers, core) || In(kProfanity, core) ||
         chat::IsKnownEmote(std::string_view(word).substr(0, word.find_first_of(".,!?")));
}

bool IsContent(std::string_view word) {
  const std::string core = Core(word);
  return !core.empty() && !In(kStopwords, core) && !In(kFillers, core) && core.size() > 2;
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    size_t end = pos;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    if (end > pos) words.emplace_back(text.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

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
    if (static_cast<int>(SplitWords(cleaned).size()) < o.min_words || content == 0) continue;
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

std::string FromChat(const Moment& m, const std::vector<chat::ChatMessage>& chat,
                     const TitleOptions& o) {
  auto lo = std::lower_bound(chat.begin(), chat.end(), m.peak_ms - o.chat_window_before_ms,
                             [](const chat::ChatMessage& c, TimeMs t) { return c.time_ms < t; });
  // Phrase -> distinct writers, and the first spelling seen.
  std::map<std::string, std::set<std::string>> writers;
  std::map<std::string, std::string> spelling;
  for (auto it = lo; it != chat.end() && it->time_ms <= m.peak_ms + o.chat_window_after_ms; ++it) {
    if (!it->text.empty() && it->text.front() == '!') continue;
    const std::string cleaned = CleanTitle(it->text, o.max_chars);
    const std::vector<std::string> words = SplitWords(cleaned);
    if (static_cast<int>(words.size()) < o.min_words) continue;
    int real = 0;
    for (const std::string& w : words) real += !In(kChatNoise, Core(w)) && IsContent(w) ? 1 : 0;
    if (real == 0) continue;
    const std::string key = Lower(cleaned);
    writers[key].insert(it->user_name.empty() ? it->user_id : it->user_name);
    spelling.emplace(key, cleaned);
  }
  std::string best;
  size_t best_count = 1;  // one person's line is not the chat's voice
  for (const auto& [key, users] : writers) {
    if (users.size() > best_count) {
      best_count = users.size();
      best = spelling[key];
    }
  }
  return best;
}

std::string Fallback(const Moment& m) {
  std::string what = "Big moment";
  double best = 0;
  for (const auto& [name, value] : m.evidence) {
    if (value <= best) continue;
    best = value;
    if (name == "trigger_phrase") {
      what = "Clip it";
    } else if (name.rfind("chat", 0) == 0) {
      what = "Chat goes wild";
    } else {
      what = "Big reaction";
    }
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
  if (title.empty()) title = Fallback(moment);
  return title;
}

}  // namespace clipthat::analysis
