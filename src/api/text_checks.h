// Small character-level checks for request fields (ids, colours, URLs), written out by hand:
// they run on every request, and std::regex is slow and trips GCC 12's warnings under the
// sanitizer build.
#pragma once

#include <string>
#include <string_view>

namespace clipthat::api {

// True when `s` has min_size..max_size characters, each accepted by `allowed`.
template <typename Pred>
bool CharsWithin(std::string_view s, std::size_t min_size, std::size_t max_size, Pred allowed) {
  if (s.size() < min_size || s.size() > max_size) return false;
  for (char c : s) {
    if (!allowed(c)) return false;
  }
  return true;
}

bool IsAsciiAlnum(char c);
bool IsHexDigit(char c);

// "#RRGGBB" or "#RRGGBBAA".
bool IsHexColor(std::string_view s);

// An http(s) URL split into its parts: scheme://host[:port][/path]. The host is a name of
// letters, digits, '.' and '-', or an IPv6 literal in brackets; the path has no whitespace and
// no fragment.
struct HttpUrlParts {
  std::string scheme;     // "http" or "https"
  std::string host;       // without the IPv6 brackets
  std::string authority;  // host as written, with ":port" when given
  std::string path;       // "/" when absent
};
bool ParseHttpUrl(std::string_view url, HttpUrlParts* out);

}  // namespace clipthat::api
