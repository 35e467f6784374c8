#include "chat/clip_requests.h"

#include <string_view>
#include <unordered_map>

#include "chat/chat_keywords.h"

namespace clipthat::chat {

std::vector<TimeMs> ClipRequestTimes(const ChatLog& log, const ChatRateOptions& filters,
                                     const ClipRequestOptions& options) {
  std::vector<TimeMs> out;
  std::unordered_map<std::string_view, TimeMs> last_counted;
  for (const ChatMessage& msg : log.messages) {
    if (IsIgnoredMessage(msg, filters) || !IsClipRequest(msg.text)) continue;
    const std::string& user = msg.user_id.empty() ? msg.user_name : msg.user_id;
    auto [it, fresh] = last_counted.try_emplace(user, msg.time_ms);
    if (!fresh) {
      if (msg.time_ms - it->second < options.per_user_gap_ms) continue;
      it->second = msg.time_ms;
    }
    out.push_back(msg.time_ms);
  }
  return out;  // the log is sorted by time, so is this
}

}  // namespace clipthat::chat
