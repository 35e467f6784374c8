// Imports a plain text chat log, one message per line:
//
//   [0:01:23] some_user: message text
//   [01:01:23] Some_User: message text
//   [01:23] user: message          (minutes:seconds, for logs under an hour)
//
// as TwitchDownloaderCLI writes with `--timestamp-format Relative` and as many chat loggers
// do. Times are from the start of the VOD. Emotes are recognised by name (chat/emotes.h), since
// a text log has no emote markup. Blank lines are ignored; lines that do not match (a header,
// a system notice) are counted in ChatLog::skipped_count.
//
// Errors (DataError naming the file): "log.txt: not a chat log: no line has the form
// '[H:MM:SS] user: message'" when nothing matched.
#pragma once

#include <string>
#include <string_view>

#include "chat/chat_message.h"
#include "core/result.h"

namespace clipthat::chat {

Result<ChatLog> ParseChatTextLog(std::string_view text, std::string_view origin);

// True when the first non-blank line looks like "[H:MM:SS] user: ..." (for format detection).
bool LooksLikeChatTextLog(std::string_view text);

}  // namespace clipthat::chat
