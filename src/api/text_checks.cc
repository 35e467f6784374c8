#include "api/text_checks.h"

namespace clipthat::api {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool IsHexColor(std::string_view s) {
  return (s.size() == 7 || s.size() == 9) && s[0] == '#' &&
         CharsWithin(s.substr(1), 6, 8, IsHexDigit);
}

bool ParseHttpUrl(std::string_view url, HttpUrlParts* out) {
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    out->scheme = "http";
    rest = url.substr(7);
  } else if (url.substr(0, 8) == "https://") {
    out->scheme = "https";
    rest = url.substr(8);
  } else {
    return false;
  }
  std::size_t host_end = 0;
  if (!rest.empty() && rest[0] == '[') {
    host_end = rest.find(']');
    if (host_end == std::string_view::npos || host_end < 2) return false;
    const std::string_view literal = rest.substr(1, host_end - 1);
    if (!CharsWithin(literal, 1, 64, [](char c) { return IsHexDigit(c) || c == ':' || c == '.'; }))
      return false;
    out->host = std::string(literal);
    ++host_end;
  } else {
    while (host_end < rest.size() &&
           (IsAsciiAlnum(rest[host_end]) || rest[host_end] == '.' || rest[host_end] == '-')) {
      ++host_end;
    }
    if (host_end == 0) return false;
    out->host = std::string(rest.substr(0, host_end));
  }
  std::size_t authority_end = host_end;
  if (authority_end < rest.size() && rest[authority_end] == ':') {
    std::size_t digits = 0;
    while (authority_end + 1 + digits < rest.size() && rest[authority_end + 1 + digits] >= '0' &&
           rest[authority_end + 1 + digits] <= '9') {
      ++digits;
    }
    if (digits < 1 || digits > 5) return false;
    authority_end += 1 + digits;
  }
  out->authority = std::string(rest.substr(0, authority_end));
  const std::string_view path = rest.substr(authority_end);
  if (path.empty()) {
    out->path = "/";
    return true;
  }
  if (path[0] != '/') return false;
  for (char c : path) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '#')
      return false;
  }
  out->path = std::string(path);
  return true;
}

}  // namespace clipthat::api
