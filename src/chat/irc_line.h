// IrcLine: one line of the IRC protocol, parsed; and the chat message a PRIVMSG line carries.
//
//   @display-name=Foo;emotes=25:0-4 :foo!foo@foo.tmi.twitch.tv PRIVMSG #chan :Kappa hi
//   \_______________ tags ________/ \_______ prefix ________/ \command/ \_ params _/
//
// A pure parser (no I/O): the live chat client (irc_chat_client.h) feeds it each line it reads.
// Accepted: IRCv3 message tags (`@k=v;k2=v2;k3`, values unescaped: `\:` is ';', `\s` a space,
// `\\` a backslash, `\r` and `\n` CR and LF, a backslash before any other character is that
// character, a lone trailing backslash is dropped); a prefix `:nick!user@host` (or a server
// name); the command (letters, upper-cased, or a three-digit numeric); up to any number of
// middle params and a trailing param after ` :` (which may hold spaces or be empty). Runs of
// spaces between parts are tolerated.
//
// Bounds: a line longer than kMaxIrcLineBytes (8191 bytes of tags plus 512 bytes of message, as
// IRCv3 allows) is refused without being parsed. The 512-byte part is not enforced on its own:
// Twitch sends 500-character messages whose UTF-8 bodies exceed it.
//
// Errors, naming what is wrong ("IRC line: ..."):
//   ResourceExhausted  the line is over kMaxIrcLineBytes
//   DataError          empty line, no command, a command that is neither letters nor 3 digits,
//                      a NUL, CR or LF inside the line, tags or prefix with nothing after them
// Garbage never crashes the parser; every byte sequence gives a line or a Status.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/chat_message.h"
#include "core/result.h"
#include "core/time_units.h"

namespace clipthat::chat {

// The most bytes of one line, without its CR LF: 8191 (tags) + 512 (the rest).
inline constexpr std::size_t kMaxIrcLineBytes = 8191 + 512;

struct IrcLine {
  std::vector<std::pair<std::string, std::string>> tags;  // in line order, values unescaped
  std::string prefix;   // the whole prefix without ':' ("foo!foo@host", "tmi.twitch.tv"); may be ""
  std::string nick;     // prefix up to '!' or '@' (a server name when there is neither)
  std::string user;     // between '!' and '@'; may be ""
  std::string host;     // after '@'; may be ""
  std::string command;  // "PRIVMSG", "PING", "001" (letters upper-cased)
  std::vector<std::string> params;  // middle params, then the trailing one (if any) last
  bool has_trailing = false;        // the last param came after " :"

  // The value of tag `key` (the last one when repeated), or nullptr. A tag without '=' has
  // the empty value.
  const std::string* Tag(std::string_view key) const;
};

// Parses one line. A single trailing "\r\n" or "\n" is removed first.
Result<IrcLine> ParseIrcLine(std::string_view line);

// The chat message of a PRIVMSG line, stamped `time_ms` (the caller's clock: tags such as
// tmi-sent-ts are not read, so a live session's times stay on its own clock).
//   user_name     the prefix nick, lower-cased
//   display_name  the `display-name` tag, else the nick as sent
//   user_id       the `user-id` tag, else the lower-case nick
//   text          the trailing param; a CTCP ACTION (`\x01ACTION waves\x01`, "/me waves") gives
//                 its text ("waves")
//   fragments     from the Twitch `emotes` tag (`id:start-end,start-end/id2:start-end`,
//                 inclusive positions in UTF-8 code points of `text`): text and emote pieces
//                 that together spell `text`. Ranges past the text's end, reversed, malformed or
//                 overlapping an earlier one are ignored. Empty when the tag is absent or empty.
//   emote_count   the emote fragments, else (no markup) the known emote names (emotes.h)
// Errors (DataError): not a PRIVMSG, no target or text param, no nick in the prefix; a CTCP
// other than ACTION (VERSION, PING: not chat).
Result<ChatMessage> ChatMessageFromPrivmsg(const IrcLine& line, TimeMs time_ms);

// The emote fragments of `text` described by an `emotes` tag value (see above); empty when
// `emotes_tag` marks no usable range. Exposed for tests.
std::vector<ChatFragment> SplitEmoteFragments(std::string_view text, std::string_view emotes_tag);

}  // namespace clipthat::chat
