#include "chat/irc_url.h"

#include <algorithm>
#include <charconv>

namespace clipthat::chat {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiLower(s[i]) != prefix[i]) return false;
  }
  return true;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

}  // namespace

std::string IrcTarget::HostPort() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string IrcTarget::ToString() const {
  return std::string(tls ? "ircs://" : "irc://") + HostPort() + "/" + channel;
}

Result<IrcTarget> ParseIrcUrl(std::string_view url) {
  std::string shown(url.substr(0, 200));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  auto bad = [&](const std::string& why) {
    return InvalidArgumentError("chat URL '" + shown + "': " + why);
  };
  IrcTarget target;
  std::string_view rest = url;
  if (StartsWithNoCase(rest, "irc://")) {
    rest.remove_prefix(6);
  } else if (StartsWithNoCase(rest, "ircs://")) {
    rest.remove_prefix(7);
    target.tls = true;
    target.port = 6697;
  } else {
    return bad("not an IRC URL (irc://HOST[:PORT]/#channel or ircs://...)");
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if (authority.find('@') != std::string_view::npos) {
    return bad("a user or password in the URL is not supported (the client is anonymous)");
  }
  std::string_view host, port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("an IPv6 host without its ']'");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after the IPv6 host");
      port = after.substr(1);
      if (port.empty()) return bad("an empty port");
    }
    if (host.empty() ||
        !std::all_of(host.begin(), host.end(), [](char c) { return IsHostChar(c) || c == ':'; })) {
      return bad("the host is not an IPv6 address");
    }
  } else {
    const std::size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return bad("an empty port");
    }
    if (host.empty()) return bad("no host");
    if (!std::all_of(host.begin(), host.end(), IsHostChar)) {
      return bad("the host holds a character a host name cannot have");
    }
  }
  target.host = std::string(host);
  if (!port.empty()) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value < 1 || value > 65535) {
      return bad("the port is not a number from 1 to 65535");
    }
    target.port = value;
  }
  if (path.empty()) return bad("no channel (irc://HOST[:PORT]/#channel)");
  std::string channel;
  if (path.front() == '#') {
    path.remove_prefix(1);
  } else if (StartsWithNoCase(path, "%23")) {
    path.remove_prefix(3);
  }
  if (path.empty()) return bad("an empty channel name");
  if (path.size() > 49) return bad("the channel name is over 50 bytes");
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == ' ' || c == ',' || c == ':' || c == '/' || c == '?') {
      return bad("the channel name holds a space, comma, colon, slash, '?' or control character");
    }
    channel += AsciiLower(c);
  }
  target.channel = "#" + channel;
  return target;
}

}  // namespace clipthat::chat
