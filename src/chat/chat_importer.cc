#include "chat/chat_importer.h"

#include <cctype>

#include "chat/chat_text_importer.h"
#include "chat/twitch_json_importer.h"
#include "core/files.h"

namespace clipthat::chat {

ChatFormat DetectChatFormat(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t first = 0;
  while (first < text.size() && std::isspace(static_cast<unsigned char>(text[first]))) ++first;
  if (first == text.size()) return ChatFormat::kAuto;
  if (text[first] == '{') return ChatFormat::kTwitchJson;
  if (LooksLikeChatTextLog(text)) return ChatFormat::kTextLog;
  return ChatFormat::kTwitchJson;
}

Result<ChatLog> ParseChat(std::string_view text, std::string_view origin, ChatFormat format) {
  if (format == ChatFormat::kAuto) {
    format = DetectChatFormat(text);
    if (format == ChatFormat::kAuto) {
      ChatLog empty;
      empty.source = std::string(origin);
      return empty;
    }
    if (format == ChatFormat::kTwitchJson) {
      auto log = ParseTwitchChatJson(text, origin);
      // Say what else was tried, so a user with a text log in another layout knows.
      if (!log.ok() && log.status().message().find(": not JSON") != std::string::npos) {
        return DataError(log.status().message() +
                         "; not a '[H:MM:SS] user: message' text log either");
      }
      return log;
    }
  }
  if (format == ChatFormat::kTextLog) return ParseChatTextLog(text, origin);
  return ParseTwitchChatJson(text, origin);
}

Result<ChatLog> ImportChat(const std::string& path, ChatFormat format) {
  ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseChat(text, path, format);
}

}  // namespace clipthat::chat
