#include "analysis/exclamations.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace clipthat::analysis {
namespace {

// Phrases, normalised. Multi-word phrases first is not needed: the longest match wins.
const std::vector<std::vector<std::string>>& Phrases() {
  static const std::vector<std::vector<std::string>> kPhrases = [] {
    const char* list[] = {
        // English
        "no way", "oh my god", "oh my gosh", "omg", "oh my", "lets go", "lets goo", "what was that",
        "what the", "what the hell", "are you kidding me", "are you serious",
        "you gotta be kidding", "did you see that", "holy", "holy moly", "holy shit", "wow", "whoa",
        "woah", "insane", "thats insane", "crazy", "thats crazy", "unbelievable", "i cant believe",
        "get in", "clutch", "noo", "yess", "woo", "yes yes", "no no", "oh no", "poggers", "what",
        "dude",
        // Spanish / Portuguese
        "no puede ser", "vamos", "dios mio", "que locura", "increible", "nossa", "meu deus",
        "caramba", "bora", "que isso",
        // French / German
        "mon dieu", "cest pas possible", "oh la la", "incroyable", "allez", "was geht", "krass",
        "alter", "nein nein", "unglaublich", "wahnsinn"};
    std::vector<std::vector<std::string>> out;
    for (const char* p : list) {
      std::istringstream in(NormalizeWordText(p));
      std::vector<std::string> tokens;
      for (std::string t; in >> t;) tokens.push_back(t);
      out.push_back(std::move(tokens));
    }
    // Longest first, so "what the hell" wins over "what".
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return out;
  }();
  return kPhrases;
}

// "what" and "dude" alone are ordinary words; they count only when said as a sentence of
// their own (nothing for 400 ms after) or at the end of the words.
bool NeedsPause(const std::vector<std::string>& phrase) {
  return phrase.size() == 1 && (phrase[0] == "what" || phrase[0] == "dude");
}

std::string Join(const std::vector<std::string>& tokens) {
  std::string out;
  for (const std::string& t : tokens) out += (out.empty() ? "" : " ") + t;
  return out;
}

}  // namespace

std::string NormalizeWordText(const std::string& text) {
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    if (c == '\'') continue;
    char k;
    if (c >= 'A' && c <= 'Z') {
      k = static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      k = static_cast<char>(c);
    } else {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    // "nooooo" -> "noo", "gooo" -> "goo": stretched shouts match one spelling.
    const size_t n = out.size();
    if (n >= 2 && k >= 'a' && k <= 'z' && out[n - 1] == k && out[n - 2] == k) continue;
    out += k;
  }
  return out;
}

ExclamationEvidence FindExclamations(const std::vector<MomentWord>& words, TimeMs peak_ms,
                                     const ExclamationOptions& o) {
  // One token per normalised piece of a word, with that word's times.
  struct Token {
    std::string text;
    TimeMs start_ms, end_ms;
  };
  std::vector<Token> tokens;
  for (const MomentWord& w : words) {
    if (w.confidence < o.min_confidence) continue;
    if (w.start_ms < peak_ms - o.before_ms || w.start_ms > peak_ms + o.after_ms) continue;
    std::istringstream in(NormalizeWordText(w.text));
    for (std::string t; in >> t;) tokens.push_back({t, w.start_ms, w.end_ms});
  }
  std::stable_sort(tokens.begin(), tokens.end(),
                   [](const Token& a, const Token& b) { return a.start_ms < b.start_ms; });

  ExclamationEvidence e;
  std::map<std::string, TimeMs> last_at;
  const auto add = [&](const std::string& phrase, TimeMs at_ms) {
    auto it = last_at.find(phrase);
    if (it != last_at.end() && at_ms - it->second < o.repeat_gap_ms) {
      it->second = at_ms;
      return;
    }
    last_at[phrase] = at_ms;
    e.hits.push_back({phrase, at_ms});
  };
  for (size_t i = 0; i < tokens.size();) {
    // A run of one word: "no no no".
    size_t run = 1;
    while (i + run < tokens.size() && tokens[i + run].text == tokens[i].text) ++run;
    if (o.repeat_run > 1 && static_cast<int>(run) >= o.repeat_run) {
      add(tokens[i].text + " x" + std::to_string(o.repeat_run), tokens[i].start_ms);
      i += run;
      continue;
    }
    size_t matched = 0;
    for (const std::vector<std::string>& phrase : Phrases()) {
      if (i + phrase.size() > tokens.size()) continue;
      bool same = true;
      for (size_t k = 0; k < phrase.size() && same; ++k) same = tokens[i + k].text == phrase[k];
      if (!same) continue;
      if (NeedsPause(phrase)) {
        const bool last = i + 1 == tokens.size();
        if (!last && tokens[i + 1].start_ms - tokens[i].end_ms < 400) continue;
      }
      add(Join(phrase), tokens[i].start_ms);
      matched = phrase.size();
      break;
    }
    i += std::max<size_t>(1, matched);
  }
  e.score = std::min(o.max_score, o.per_hit * static_cast<double>(e.hits.size()));
  return e;
}

}  // namespace clipthat::analysis
