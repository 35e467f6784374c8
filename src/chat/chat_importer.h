// Chat import with format detection: one call for every chat source a user may hand over.
//
// Formats: Twitch chat replay JSON (twitch_json_importer.h: TwitchDownloader, the v5 API's
// comments[] and its variations) and plain text logs (chat_text_importer.h). kAuto looks at
// the content, not the file name: a document starting with '{' is JSON; one starting with '['
// is a text log when its first line reads "[H:MM:SS] user: ...", JSON otherwise.
//
// An empty file (nothing but whitespace) is an empty ChatLog, not an error: the analysis then
// runs without chat signals (documented in docs/moments.md). Errors: NotFound for a missing
// file; DataError naming the file for content that is neither format.
#pragma once

#include <string>
#include <string_view>

#include "chat/chat_message.h"
#include "core/result.h"

namespace clipthat::chat {

enum class ChatFormat { kAuto, kTwitchJson, kTextLog };

Result<ChatLog> ImportChat(const std::string& path, ChatFormat format = ChatFormat::kAuto);

// `origin` names the document in errors.
Result<ChatLog> ParseChat(std::string_view text, std::string_view origin,
                          ChatFormat format = ChatFormat::kAuto);

// The format kAuto would pick for `text` (kAuto for blank text).
ChatFormat DetectChatFormat(std::string_view text);

}  // namespace clipthat::chat
