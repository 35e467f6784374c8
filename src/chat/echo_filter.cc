#include "chat/echo_filter.h"

#include <cctype>
#include <deque>
#include <unordered_map>
#include <utility>

namespace clipthat::chat {

std::string NormaliseForEcho(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t run = 0;
  for (char raw : text) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(raw)));
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (out.empty() || out.back() == ' ') continue;
      out += ' ';
      run = 0;
      continue;
    }
    // Runs of one byte: for multi-byte characters this trims repeated continuation bytes
    // only when whole characters repeat, which is the case the rule is for ("ㅋㅋㅋㅋ").
    run = (!out.empty() && out.back() == c) ? run + 1 : 1;
    if (run > 2 && static_cast<unsigned char>(c) < 0x80) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<bool> MarkEchoes(const ChatLog& log, const EchoOptions& options,
                             const ReactionLexicon& lexicon) {
  std::vector<bool> echo(log.messages.size(), false);
  struct Recent {
    std::deque<std::pair<TimeMs, const std::string*>> posts;  // (time, user) in the window
    std::unordered_map<std::string_view, int> users;          // user -> posts in the window
  };
  std::unordered_map<std::string, Recent> by_text;
  for (size_t i = 0; i < log.messages.size(); ++i) {
    const ChatMessage& m = log.messages[i];
    std::string key = NormaliseForEcho(m.text);
    if (key.size() < options.min_chars) continue;
    if (ClassifyReaction(m.text, lexicon) != ReactionKind::kNone) continue;
    Recent& r = by_text[std::move(key)];
    while (!r.posts.empty() && r.posts.front().first < m.time_ms - options.window_ms) {
      auto it = r.users.find(*r.posts.front().second);
      if (--it->second == 0) r.users.erase(it);
      r.posts.pop_front();
    }
    const std::string& user = m.user_id.empty() ? m.user_name : m.user_id;
    const int others = static_cast<int>(r.users.size()) - (r.users.count(user) ? 1 : 0);
    if (others >= options.min_other_users) echo[i] = true;
    r.posts.emplace_back(m.time_ms, &user);
    ++r.users[user];
  }
  return echo;
}

}  // namespace clipthat::chat
