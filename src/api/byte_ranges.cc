#include "api/byte_ranges.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace clipthat::api {
namespace {

// A non-negative decimal that fits in int64 (no sign, no spaces); false otherwise.
bool ParseCount(std::string_view s, std::int64_t* out) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

bool RangeUnsatisfiable(std::string_view header, std::int64_t size) {
  constexpr std::string_view kUnit = "bytes=";
  if (!header.starts_with(kUnit)) return false;  // no Range, or another unit: ignored
  std::string_view specs = header.substr(kUnit.size());
  bool any_spec = false;
  while (!specs.empty()) {
    const std::size_t comma = specs.find(',');
    std::string_view spec = specs.substr(0, comma);
    specs = comma == std::string_view::npos ? std::string_view() : specs.substr(comma + 1);
    while (!spec.empty() && spec.front() == ' ') spec.remove_prefix(1);
    while (!spec.empty() && spec.back() == ' ') spec.remove_suffix(1);
    const std::size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return false;  // malformed: the header is ignored
    const std::string_view first = spec.substr(0, dash), last = spec.substr(dash + 1);
    std::int64_t first_byte = 0, last_byte = 0;
    const auto number = [](std::string_view d, std::int64_t* out) {
      return d.size() <= 18 && ParseCount(d, out);
    };
    if (first.empty()) {  // a suffix: the last N bytes; satisfiable unless N is 0 or size is
      if (!number(last, &last_byte)) return false;
      if (last_byte > 0 && size > 0) return false;
    } else {
      if (!number(first, &first_byte) || (!last.empty() && !number(last, &last_byte))) {
        return false;
      }
      if (!last.empty() && last_byte < first_byte) return false;  // invalid: header ignored
      if (first_byte < size) return false;                        // this one is satisfiable
    }
    any_spec = true;
  }
  return any_spec;
}

Result<ContentRange> ParseContentRange(std::string_view header) {
  constexpr std::string_view kPrefix = "bytes ";
  ContentRange r;
  const std::size_t dash = header.find('-'), slash = header.find('/');
  if (!header.starts_with(kPrefix) || dash == std::string_view::npos ||
      slash == std::string_view::npos || dash > slash ||
      !ParseCount(header.substr(kPrefix.size(), dash - kPrefix.size()), &r.start) ||
      !ParseCount(header.substr(dash + 1, slash - dash - 1), &r.end) ||
      !ParseCount(header.substr(slash + 1), &r.total)) {
    return InvalidArgumentError("expected 'bytes START-END/TOTAL'");
  }
  if (r.end < r.start || r.end >= r.total) {
    return InvalidArgumentError("END must be >= START and < TOTAL");
  }
  return r;
}

}  // namespace clipthat::api
