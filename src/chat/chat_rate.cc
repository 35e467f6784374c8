#include "chat/chat_rate.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace clipthat::chat {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

bool IsIgnoredMessage(const ChatMessage& msg, const ChatRateOptions& options) {
  if (options.skip_commands) {
    auto first = msg.text.find_first_not_of(" \t");
    if (first != std::string::npos && msg.text[first] == '!') return true;
  }
  if (!options.ignored_users.empty()) {
    std::string name = Lower(msg.user_name.empty() ? msg.display_name : msg.user_name);
    for (const std::string& bot : options.ignored_users) {
      if (name == bot) return true;
    }
  }
  return false;
}

ChatRateSeries ComputeChatRate(const ChatLog& log, TimeMs duration_ms,
                               const ChatRateOptions& options) {
  ChatRateSeries out;
  out.bin_ms = std::max<TimeMs>(1, options.bin_ms);
  if (duration_ms <= 0) {
    duration_ms = log.messages.empty() ? 0 : log.messages.back().time_ms + 1;
  }
  const size_t bins = static_cast<size_t>((duration_ms + out.bin_ms - 1) / out.bin_ms);
  out.messages.assign(bins, 0.0);
  out.chatters.assign(bins, 0.0);
  out.emotes.assign(bins, 0.0);
  out.keywords.assign(bins, 0.0);
  out.window_chatters.assign(bins, 0.0);
  out.reactions.assign(bins, 0.0);
  out.window_reactions.assign(bins, 0.0);
  std::vector<std::pair<size_t, const std::string*>> counted;   // (bin, user) for the window
  std::vector<std::pair<size_t, const std::string*>> reacting;  // the same, reactions only
  const std::vector<bool> echo = options.filter_echoes
                                     ? MarkEchoes(log, options.echoes, options.reactions)
                                     : std::vector<bool>(log.messages.size(), false);

  // Messages are sorted, so per-user counts only need to live for the current bin.
  std::unordered_map<std::string, int> per_user;
  std::unordered_map<std::string_view, bool> reacted;  // users already counted as reacting
  size_t current_bin = static_cast<size_t>(-1);
  for (size_t i = 0; i < log.messages.size(); ++i) {
    const ChatMessage& msg = log.messages[i];
    if (msg.time_ms < 0 || msg.time_ms >= duration_ms) continue;
    if (IsIgnoredMessage(msg, options)) continue;
    if (echo[i]) {
      ++out.echoes_dropped;
      continue;
    }
    size_t bin = static_cast<size_t>(msg.time_ms / out.bin_ms);
    if (bin != current_bin) {
      per_user.clear();
      reacted.clear();
      current_bin = bin;
    }
    const std::string& user = msg.user_id.empty() ? msg.user_name : msg.user_id;
    // A reaction counts once per user and bin, even after the user's message cap.
    if (ClassifyReaction(msg.text, options.reactions) != ReactionKind::kNone && !reacted[user]) {
      reacted[user] = true;
      out.reactions[bin] += 1;
      reacting.emplace_back(bin, &user);
    }
    int& count = per_user[user];
    if (count == 0) out.chatters[bin] += 1;
    ++count;
    if (count > options.max_messages_per_user_per_bin) continue;
    out.messages[bin] += 1;
    out.emotes[bin] += std::min(msg.emote_count, options.max_emotes_per_message);
    if (HasKeyword(msg.text, options.keywords)) out.keywords[bin] += 1;
    counted.emplace_back(bin, &user);
  }

  // Distinct users in [bin - half, bin + half]: a sliding window over the counted messages.
  const size_t half =
      static_cast<size_t>(std::max<TimeMs>(0, options.chatters_window_ms / 2) / out.bin_ms);
  auto distinct_in_window = [&](const std::vector<std::pair<size_t, const std::string*>>& posts,
                                std::vector<double>& into) {
    std::unordered_map<std::string_view, int> in_window;
    size_t lo = 0, hi = 0;
    for (size_t bin = 0; bin < bins; ++bin) {
      while (hi < posts.size() && posts[hi].first <= bin + half) ++in_window[*posts[hi++].second];
      while (lo < hi && posts[lo].first + half < bin) {
        auto it = in_window.find(*posts[lo++].second);
        if (--it->second == 0) in_window.erase(it);
      }
      into[bin] = static_cast<double>(in_window.size());
    }
  };
  distinct_in_window(counted, out.window_chatters);
  distinct_in_window(reacting, out.window_reactions);
  return out;
}

}  // namespace clipthat::chat
