// Clip requests in chat: viewers typing "clip it" / "clip that" / "clip". Each viewer counts
// once per per_user_gap_ms, so one viewer repeating "CLIP IT" ten times is one request, and
// a moment many viewers ask for stands out from one that a single regular keeps asking for.
// Bots and !commands are left out (chat_rate.h's filters).
#pragma once

#include <vector>

#include "chat/chat_message.h"
#include "chat/chat_rate.h"

namespace clipthat::chat {

struct ClipRequestOptions {
  TimeMs per_user_gap_ms = 60000;  // a viewer's next request counts after this long
};

// Times (ms, sorted, as in the log: not moved by any reaction delay) of counted requests.
std::vector<TimeMs> ClipRequestTimes(const ChatLog& log, const ChatRateOptions& filters = {},
                                     const ClipRequestOptions& options = {});

}  // namespace clipthat::chat
