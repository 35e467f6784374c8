// IrcTarget: where a live chat is read from, parsed from the `--chat` URL of `clipthat live`.
//
//   irc://irc.chat.twitch.tv/#somestreamer        port 6667
//   irc://127.0.0.1:6668/#clipthat                a plain IRC server (ngircd) on loopback
//   irc://[::1]:6667/somestreamer                 a bare channel gets its '#'
//   ircs://irc.chat.twitch.tv/#somestreamer       TLS, port 6697 (parsed; the client refuses it
//                                                 for now: see irc_chat_client.h)
//
// The scheme is case-insensitive; the channel is lower-cased (Twitch channels are the streamer's
// login). `%23` is read as '#', since a shell or browser may encode it. No user, password,
// query or fragment after the channel.
//
// Errors (InvalidArgument, naming the URL): another scheme, no host, a port that is not
// 1..65535, no channel or an empty one, a channel over 50 bytes or holding a space, comma,
// colon, slash, '?' or control character, anything after the channel.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace clipthat::chat {

struct IrcTarget {
  std::string host;     // a name or an address; IPv6 without brackets
  int port = 6667;      // 6667 for irc://, 6697 for ircs:// unless the URL names one
  bool tls = false;     // ircs://
  std::string channel;  // with its '#', lower case: "#clipthat"

  // "irc://host:port/#channel" (IPv6 hosts in brackets), for messages.
  std::string ToString() const;
  // "host:port" (IPv6 hosts in brackets), for messages.
  std::string HostPort() const;
};

Result<IrcTarget> ParseIrcUrl(std::string_view url);

}  // namespace clipthat::chat
