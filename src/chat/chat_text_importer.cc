#include "chat/chat_text_importer.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "chat/emotes.h"

namespace clipthat::chat {
namespace {

struct ParsedLine {
  TimeMs time_ms = 0;
  std::string_view user;
  std::string_view text;
};

// "[H:MM:SS] user: text", "[HH:MM:SS]", "[MM:SS]"; optional ".mmm" fraction.
std::optional<ParsedLine> ParseLine(std::string_view line) {
  if (line.empty() || line[0] != '[') return std::nullopt;
  const size_t close = line.find(']');
  if (close == std::string_view::npos || close > 16) return std::nullopt;
  std::string_view clock = line.substr(1, close - 1);
  long long fields[3] = {0, 0, 0};
  int count = 0;
  long long fraction_ms = 0;
  size_t i = 0;
  while (i < clock.size() && count < 3) {
    if (!std::isdigit(static_cast<unsigned char>(clock[i]))) return std::nullopt;
    long long v = 0;
    int digits = 0;
    while (i < clock.size() && std::isdigit(static_cast<unsigned char>(clock[i])) && digits < 6) {
      v = v * 10 + (clock[i] - '0');
      ++i;
      ++digits;
    }
    fields[count++] = v;
    if (i < clock.size() && clock[i] == ':') {
      ++i;
    } else if (i < clock.size() && clock[i] == '.') {
      ++i;
      long long scale = 100;
      while (i < clock.size() && std::isdigit(static_cast<unsigned char>(clock[i]))) {
        fraction_ms += (clock[i] - '0') * scale;
        scale /= 10;
        ++i;
      }
      if (i != clock.size()) return std::nullopt;
    } else if (i != clock.size()) {
      return std::nullopt;
    }
  }
  if (i != clock.size() || count < 2) return std::nullopt;
  long long h = 0, m = 0, s = 0;
  if (count == 3) {
    h = fields[0], m = fields[1], s = fields[2];
  } else {
    m = fields[0], s = fields[1];
  }
  if (m > 59 && count == 3) return std::nullopt;
  if (s > 59) return std::nullopt;

  std::string_view rest = line.substr(close + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const size_t colon = rest.find(": ");
  size_t user_end = colon;
  if (colon == std::string_view::npos) {
    if (rest.empty() || rest.back() != ':') return std::nullopt;  // "user:" with empty text
    user_end = rest.size() - 1;
  }
  std::string_view user = rest.substr(0, user_end);
  if (user.empty() || user.find(' ') != std::string_view::npos) return std::nullopt;
  ParsedLine out;
  out.time_ms = ((h * 60 + m) * 60 + s) * 1000 + fraction_ms;
  out.user = user;
  out.text = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 2);
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view TrimLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  // A UTF-8 byte order mark on the first line.
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  return line;
}

}  // namespace

bool LooksLikeChatTextLog(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = TrimLine(text.substr(pos, end - pos));
    if (!line.empty()) return ParseLine(line).has_value();
    pos = end + 1;
  }
  return false;
}

Result<ChatLog> ParseChatTextLog(std::string_view text, std::string_view origin) {
  ChatLog log;
  log.source = std::string(origin);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = TrimLine(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    std::optional<ParsedLine> parsed = ParseLine(line);
    if (!parsed) {
      ++log.skipped_count;
      continue;
    }
    ChatMessage msg;
    msg.time_ms = parsed->time_ms;
    msg.display_name = std::string(parsed->user);
    msg.user_name = Lower(parsed->user);
    msg.text = std::string(parsed->text);
    msg.emote_count = CountKnownEmotes(msg.text);
    log.messages.push_back(std::move(msg));
  }
  if (log.messages.empty() && log.skipped_count > 0) {
    return DataError(log.source +
                     ": not a chat log: no line has the form '[H:MM:SS] user: message'");
  }
  std::stable_sort(
      log.messages.begin(), log.messages.end(),
      [](const ChatMessage& a, const ChatMessage& b) { return a.time_ms < b.time_ms; });
  return log;
}

}  // namespace clipthat::chat
