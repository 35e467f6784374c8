// ChatWatch: live chat that asks for a clip. Messages arrive one at a time (IRC, or a replay
// played at its offsets); a trigger opens when
//   - requests: min_requesters distinct viewers ask for a clip ("clip it", "CLIP THAT",
//     "clip", chat_keywords.h's IsClipRequest) within request_window_ms, or
//   - spike: the messages of the last rate_window_ms reach spike_ratio times the stream's own
//     baseline (the mean per rate_window_ms over the baseline_ms before), and at least
//     min_spike_messages from min_spike_chatters distinct viewers. In the first minute, with
//     no baseline yet, the pace so far stands in for it and twice min_spike_messages is asked.
// What real channels send that is not a reaction is left out first: bots and !commands
// (chat_rate.h's IsIgnoredMessage), a viewer's repeats (each counts once per window), and
// echoes (copy-pasta, raid and giveaway lines: the same long text from several viewers,
// echo_filter.h's normal form). After a trigger the watch is quiet for cooldown_ms.
//
// Pure: messages in time order in, triggers out. Not thread-safe.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "chat/chat_message.h"
#include "chat/chat_rate.h"
#include "core/time_units.h"

namespace clipthat::live {

struct ChatWatchOptions {
  int min_requesters = 3;
  TimeMs request_window_ms = 20000;
  TimeMs rate_window_ms = 5000;
  TimeMs baseline_ms = 300000;
  double spike_ratio = 4;
  int min_spike_messages = 12;
  int min_spike_chatters = 8;
  TimeMs cooldown_ms = 30000;
  std::size_t echo_min_chars = 12;
  int echo_min_other_users = 3;
  TimeMs echo_window_ms = 30000;
  chat::ChatRateOptions filters{};
};

struct ChatTrigger {
  TimeMs at_ms = 0;       // the message that completed it
  TimeMs first_ms = 0;    // the first message of the burst (or first request)
  std::string kind;       // "requests" or "spike"
  std::string phrase;     // "clip it" for requests; empty for a spike
  double confidence = 0;  // 0..1: requesters / (2 x min_requesters), or ratio / (2 x spike_ratio)
  int viewers = 0;        // distinct viewers in it
  int messages = 0;
};

class ChatWatch {
 public:
  explicit ChatWatch(const ChatWatchOptions& options = {});

  std::optional<ChatTrigger> Push(const chat::ChatMessage& msg);

  int counted_messages() const { return counted_; }

 private:
  struct Seen {
    TimeMs at_ms;
    std::string user;
  };
  bool IsEcho(const chat::ChatMessage& msg, const std::string& user);

  ChatWatchOptions options_;
  std::deque<Seen> recent_;     // counted messages of the last rate window
  std::deque<Seen> requests_;   // clip requests of the last request window
  std::deque<TimeMs> history_;  // counted messages of the baseline span (times)
  std::unordered_map<std::string, std::deque<Seen>> texts_;  // normalised text -> posts
  std::deque<std::pair<TimeMs, std::string>> text_order_;    // for forgetting texts_
  TimeMs quiet_until_ms_ = -1;
  TimeMs first_ms_ = -1;
  int counted_ = 0;
};

}  // namespace clipthat::live
