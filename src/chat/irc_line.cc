#include "chat/irc_line.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "chat/emotes.h"

namespace clipthat::chat {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

std::string UnescapeTagValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\') {
      out += v[i];
      continue;
    }
    if (++i == v.size()) break;  // a lone trailing backslash is dropped
    switch (v[i]) {
      case ':': out += ';'; break;
      case 's': out += ' '; break;
      case 'r': out += '\r'; break;
      case 'n': out += '\n'; break;
      default: out += v[i]; break;  // "\\" and any other escaped character
    }
  }
  return out;
}

// The next space-delimited token of `rest` (leading spaces skipped); `rest` moves past it.
std::string_view NextToken(std::string_view& rest) {
  const std::size_t start = rest.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    rest = {};
    return {};
  }
  rest.remove_prefix(start);
  const std::size_t end = std::min(rest.find(' '), rest.size());
  std::string_view token = rest.substr(0, end);
  rest.remove_prefix(end);
  return token;
}

bool IsValidCommand(std::string_view c) {
  if (c.empty()) return false;
  if (c.size() == 3 && std::all_of(c.begin(), c.end(), [](char x) { return x >= '0' && x <= '9'; }))
    return true;
  return std::all_of(c.begin(), c.end(),
                     [](char x) { return (x >= 'A' && x <= 'Z') || (x >= 'a' && x <= 'z'); });
}

// Byte offsets where each UTF-8 code point of `text` starts, plus text.size() at the end. A
// byte that does not start a valid sequence counts as one code point.
std::vector<std::size_t> CodePointOffsets(std::string_view text) {
  std::vector<std::size_t> offsets;
  offsets.reserve(text.size() + 1);
  std::size_t i = 0;
  while (i < text.size()) {
    offsets.push_back(i);
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t len = 1;
    if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
    } else if (b >= 0xE0) {
      len = b <= 0xEF ? 3 : 1;
    } else if (b >= 0xC2) {
      len = 2;
    }
    if (len > 1) {
      if (i + len > text.size()) {
        len = 1;
      } else {
        for (std::size_t k = 1; k < len; ++k) {
          if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
            len = 1;
            break;
          }
        }
      }
    }
    i += len;
  }
  offsets.push_back(text.size());
  return offsets;
}

bool ParseIndex(std::string_view s, std::size_t* out) {
  if (s.empty() || s.size() > 9) return false;
  std::uint32_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return false;
  *out = v;
  return true;
}

struct EmoteRange {
  std::size_t first_cp, last_cp;  // inclusive
  std::string id;
};

}  // namespace

const std::string* IrcLine::Tag(std::string_view key) const {
  for (auto it = tags.rbegin(); it != tags.rend(); ++it) {
    if (it->first == key) return &it->second;
  }
  return nullptr;
}

Result<IrcLine> ParseIrcLine(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxIrcLineBytes) {
    return ResourceExhaustedError("IRC line: " + std::to_string(line.size()) +
                                  " bytes, over the limit of " + std::to_string(kMaxIrcLineBytes));
  }
  if (line.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos) {
    return DataError("IRC line: a NUL, CR or LF inside the line");
  }
  IrcLine out;
  std::string_view rest = line;
  if (!rest.empty() && rest.front() == '@') {
    std::string_view tags = NextToken(rest).substr(1);
    while (!tags.empty()) {
      const std::size_t semi = std::min(tags.find(';'), tags.size());
      std::string_view item = tags.substr(0, semi);
      tags.remove_prefix(std::min(semi + 1, tags.size()));
      const std::size_t eq = item.find('=');
      std::string_view key = item.substr(0, eq);
      if (key.empty()) continue;
      out.tags.emplace_back(std::string(key), eq == std::string_view::npos
                                                  ? std::string()
                                                  : UnescapeTagValue(item.substr(eq + 1)));
    }
  }
  const std::size_t start = rest.find_first_not_of(' ');
  rest.remove_prefix(start == std::string_view::npos ? rest.size() : start);
  if (!rest.empty() && rest.front() == ':') {
    std::string_view prefix = NextToken(rest).substr(1);
    out.prefix = std::string(prefix);
    const std::size_t bang = prefix.find('!');
    const std::size_t at = prefix.find('@');
    const std::size_t nick_end = std::min(bang, at);
    out.nick = std::string(prefix.substr(0, nick_end));
    if (bang != std::string_view::npos) {
      const std::size_t user_end = (at != std::string_view::npos && at > bang) ? at : prefix.size();
      out.user = std::string(prefix.substr(bang + 1, user_end - bang - 1));
    }
    if (at != std::string_view::npos) out.host = std::string(prefix.substr(at + 1));
  }
  std::string_view command = NextToken(rest);
  if (command.empty()) {
    return DataError(line.empty() ? "IRC line: empty" : "IRC line: no command");
  }
  if (!IsValidCommand(command)) {
    return DataError("IRC line: '" + std::string(command.substr(0, 32)) +
                     "' is not an IRC command");
  }
  out.command.reserve(command.size());
  for (char c : command) out.command += AsciiUpper(c);
  while (true) {
    const std::size_t next = rest.find_first_not_of(' ');
    if (next == std::string_view::npos) break;
    rest.remove_prefix(next);
    if (rest.front() == ':') {
      out.params.emplace_back(rest.substr(1));
      out.has_trailing = true;
      break;
    }
    out.params.emplace_back(NextToken(rest));
  }
  return out;
}

std::vector<ChatFragment> SplitEmoteFragments(std::string_view text, std::string_view emotes_tag) {
  const std::vector<std::size_t> offsets = CodePointOffsets(text);
  const std::size_t cp_count = offsets.size() - 1;
  std::vector<EmoteRange> ranges;
  // "id:0-4,6-10/id2:12-16"
  while (!emotes_tag.empty()) {
    const std::size_t slash = std::min(emotes_tag.find('/'), emotes_tag.size());
    std::string_view emote = emotes_tag.substr(0, slash);
    emotes_tag.remove_prefix(std::min(slash + 1, emotes_tag.size()));
    const std::size_t colon = emote.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    const std::string id(emote.substr(0, colon));
    std::string_view positions = emote.substr(colon + 1);
    while (!positions.empty()) {
      const std::size_t comma = std::min(positions.find(','), positions.size());
      std::string_view range = positions.substr(0, comma);
      positions.remove_prefix(std::min(comma + 1, positions.size()));
      const std::size_t dash = range.find('-');
      if (dash == std::string_view::npos) continue;
      std::size_t first = 0, last = 0;
      if (!ParseIndex(range.substr(0, dash), &first) || !ParseIndex(range.substr(dash + 1), &last))
        continue;
      if (first > last || last >= cp_count) continue;
      ranges.push_back({first, last, id});
      if (ranges.size() > cp_count) break;  // more ranges than characters: garbage
    }
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const EmoteRange& a, const EmoteRange& b) { return a.first_cp < b.first_cp; });
  std::vector<ChatFragment> fragments;
  std::size_t cursor_cp = 0;  // first code point not yet in a fragment
  for (const EmoteRange& r : ranges) {
    if (r.first_cp < cursor_cp) continue;  // overlaps the previous emote
    if (r.first_cp > cursor_cp) {
      fragments.push_back(
          {std::string(text.substr(offsets[cursor_cp], offsets[r.first_cp] - offsets[cursor_cp])),
           false, ""});
    }
    fragments.push_back({std::string(text.substr(offsets[r.first_cp],
                                                 offsets[r.last_cp + 1] - offsets[r.first_cp])),
                         true, r.id});
    cursor_cp = r.last_cp + 1;
  }
  if (fragments.empty()) return fragments;
  if (cursor_cp < cp_count) {
    fragments.push_back({std::string(text.substr(offsets[cursor_cp])), false, ""});
  }
  return fragments;
}

Result<ChatMessage> ChatMessageFromPrivmsg(const IrcLine& line, TimeMs time_ms) {
  if (line.command != "PRIVMSG") {
    return DataError("IRC " + line.command.substr(0, 32) + ": not a PRIVMSG");
  }
  if (line.params.size() < 2) return DataError("IRC PRIVMSG: no target or no text");
  if (line.nick.empty()) return DataError("IRC PRIVMSG: no sender nick in the prefix");
  std::string_view text = line.params.back();
  if (!text.empty() && text.front() == '\x01') {
    text.remove_prefix(1);
    if (!text.empty() && text.back() == '\x01') text.remove_suffix(1);
    constexpr std::string_view kAction = "ACTION";
    if (text.substr(0, kAction.size()) != kAction ||
        (text.size() > kAction.size() && text[kAction.size()] != ' ')) {
      return DataError("IRC PRIVMSG: a CTCP request, not chat");
    }
    text.remove_prefix(std::min(text.size(), kAction.size() + 1));
  }
  ChatMessage msg;
  msg.time_ms = time_ms;
  msg.user_name = Lower(line.nick);
  const std::string* display = line.Tag("display-name");
  msg.display_name = (display && !display->empty()) ? *display : line.nick;
  const std::string* user_id = line.Tag("user-id");
  msg.user_id = (user_id && !user_id->empty()) ? *user_id : msg.user_name;
  msg.text = std::string(text);
  if (const std::string* emotes = line.Tag("emotes"); emotes && !emotes->empty()) {
    msg.fragments = SplitEmoteFragments(msg.text, *emotes);
  }
  if (msg.fragments.empty()) {
    msg.emote_count = CountKnownEmotes(msg.text);
  } else {
    for (const ChatFragment& f : msg.fragments) msg.emote_count += f.is_emote ? 1 : 0;
  }
  return msg;
}

}  // namespace clipthat::chat
