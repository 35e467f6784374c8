#include "core/time_units.h"

#include <charconv>
#include <cstdio>
#include <vector>

namespace clipthat {

std::string FormatClock(TimeMs ms) {
  const bool negative = ms < 0;
  if (negative) ms = -ms;
  const long long h = ms / 3'600'000, m = (ms / 60'000) % 60, s = (ms / 1000) % 60,
                  frac = ms % 1000;
  char buf[48];
  if (h > 0) {
    std::snprintf(buf, sizeof buf, "%s%lld:%02lld:%02lld.%03lld", negative ? "-" : "", h, m, s,
                  frac);
  } else {
    std::snprintf(buf, sizeof buf, "%s%02lld:%02lld.%03lld", negative ? "-" : "", m, s, frac);
  }
  return buf;
}

Result<TimeMs> ParseClock(std::string_view text) {
  auto bad = [&] {
    return InvalidArgumentError("'" + std::string(text) +
                                "' is not a time (expected SS[.sss], MM:SS or HH:MM:SS)");
  };
  if (text.empty()) return bad();
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (true) {
    size_t colon = text.find(':', pos);
    parts.push_back(text.substr(pos, colon - pos));
    if (colon == std::string_view::npos) break;
    pos = colon + 1;
  }
  if (parts.size() > 3) return bad();
  TimeMs total = 0;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    long long v = 0;
    auto [p, ec] = std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), v);
    if (ec != std::errc() || p != parts[i].data() + parts[i].size() || v < 0) return bad();
    total = total * 60 + v;
  }
  double secs = 0;
  std::string last(parts.back());
  char* end = nullptr;
  secs = std::strtod(last.c_str(), &end);
  if (last.empty() || end != last.c_str() + last.size() || secs < 0) return bad();
  if (parts.size() > 1 && secs >= 60) return bad();
  return total * 60'000 + SecondsToMs(secs);
}

}  // namespace clipthat
