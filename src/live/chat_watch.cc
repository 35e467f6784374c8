#include "live/chat_watch.h"

#include <algorithm>
#include <unordered_set>

#include "chat/chat_keywords.h"
#include "chat/echo_filter.h"

namespace clipthat::live {

ChatWatch::ChatWatch(const ChatWatchOptions& options) : options_(options) {}

bool ChatWatch::IsEcho(const chat::ChatMessage& msg, const std::string& user) {
  std::string text = chat::NormaliseForEcho(msg.text);
  if (text.size() < options_.echo_min_chars) return false;
  // Forget texts nobody repeated lately, now and then.
  while (!text_order_.empty() &&
         text_order_.front().first < msg.time_ms - options_.echo_window_ms) {
    auto it = texts_.find(text_order_.front().second);
    if (it != texts_.end()) {
      auto& posts = it->second;
      while (!posts.empty() && posts.front().at_ms < msg.time_ms - options_.echo_window_ms) {
        posts.pop_front();
      }
      if (posts.empty()) texts_.erase(it);
    }
    text_order_.pop_front();
  }
  auto& posts = texts_[text];
  while (!posts.empty() && posts.front().at_ms < msg.time_ms - options_.echo_window_ms) {
    posts.pop_front();
  }
  std::unordered_set<std::string> others;
  for (const Seen& s : posts) {
    if (s.user != user) others.insert(s.user);
  }
  if (posts.size() < 64) posts.push_back({msg.time_ms, user});
  text_order_.emplace_back(msg.time_ms, std::move(text));
  return static_cast<int>(others.size()) >= options_.echo_min_other_users;
}

std::optional<ChatTrigger> ChatWatch::Push(const chat::ChatMessage& msg) {
  if (chat::IsIgnoredMessage(msg, options_.filters)) return std::nullopt;
  const TimeMs t = msg.time_ms;
  const std::string& user = msg.user_id.empty() ? msg.user_name : msg.user_id;
  if (first_ms_ < 0) first_ms_ = t;
  if (IsEcho(msg, user)) return std::nullopt;

  // Slide the windows: what leaves the rate window joins the baseline.
  while (!recent_.empty() && recent_.front().at_ms <= t - options_.rate_window_ms) {
    history_.push_back(recent_.front().at_ms);
    recent_.pop_front();
  }
  while (!history_.empty() &&
         history_.front() <= t - options_.rate_window_ms - options_.baseline_ms) {
    history_.pop_front();
  }
  while (!requests_.empty() && requests_.front().at_ms <= t - options_.request_window_ms) {
    requests_.pop_front();
  }

  // A viewer counts at most twice per rate window (one flooding viewer is not a reaction).
  const int from_user = static_cast<int>(
      std::count_if(recent_.begin(), recent_.end(), [&](const Seen& s) { return s.user == user; }));
  if (from_user < 2) {
    recent_.push_back({t, user});
    ++counted_;
  }
  if (chat::IsClipRequest(msg.text) &&
      std::none_of(requests_.begin(), requests_.end(),
                   [&](const Seen& s) { return s.user == user; })) {
    requests_.push_back({t, user});
  }
  if (t < quiet_until_ms_) return std::nullopt;

  if (static_cast<int>(requests_.size()) >= options_.min_requesters) {
    ChatTrigger trig{.at_ms = t,
                     .first_ms = requests_.front().at_ms,
                     .kind = "requests",
                     .phrase = "clip it",
                     .confidence = std::min(1.0, static_cast<double>(requests_.size()) /
                                                     (2.0 * options_.min_requesters)),
                     .viewers = static_cast<int>(requests_.size()),
                     .messages = static_cast<int>(requests_.size())};
    quiet_until_ms_ = t + options_.cooldown_ms;
    requests_.clear();
    return trig;
  }

  // Spike against the stream's own baseline.
  const TimeMs span_ms =
      std::min(options_.baseline_ms, std::max<TimeMs>(0, t - options_.rate_window_ms - first_ms_));
  const double windows = std::max(1.0, static_cast<double>(span_ms) / options_.rate_window_ms);
  double baseline = std::max(1.0, static_cast<double>(history_.size()) / windows);
  if (span_ms < 60000) {
    // Without a minute of history, the pace so far (this window included) is the baseline,
    // and twice the minimum is asked for: a busy channel joined mid-stream is not a spike.
    const double so_far = static_cast<double>(history_.size() + recent_.size()) /
                          (static_cast<double>(t - first_ms_) / options_.rate_window_ms + 1.0);
    baseline = std::max(baseline, so_far);
  }
  double needed = std::max<double>(options_.min_spike_messages, options_.spike_ratio * baseline);
  if (span_ms < 60000) needed = std::max(needed, 2.0 * options_.min_spike_messages);
  const int messages = static_cast<int>(recent_.size());
  if (messages < needed) return std::nullopt;
  std::unordered_set<std::string> chatters;
  for (const Seen& s : recent_) chatters.insert(s.user);
  if (static_cast<int>(chatters.size()) < options_.min_spike_chatters) return std::nullopt;
  ChatTrigger trig{.at_ms = t,
                   .first_ms = recent_.front().at_ms,
                   .kind = "spike",
                   .phrase = "",
                   .confidence = std::min(1.0, messages / baseline / (2.0 * options_.spike_ratio)),
                   .viewers = static_cast<int>(chatters.size()),
                   .messages = messages};
  quiet_until_ms_ = t + options_.cooldown_ms;
  return trig;
}

}  // namespace clipthat::live
