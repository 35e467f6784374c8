// The two byte-range headers the API reads, parsed by pure functions (no server needed; the
// fuzz targets in fuzz/ call them directly).
//
// Range (RFC 9110 14.2), on downloads: "bytes=0-499", "bytes=500-", "bytes=-500", several
// separated by commas. The HTTP server serves the ranges; the API only decides when to answer
// 416: RangeUnsatisfiable.
//
// Content-Range, on resumable upload chunks (PUT /v1/vods/{id}/media):
// "bytes START-END/TOTAL", END inclusive, as RFC 9110 14.4 writes a response's. The API accepts
// only that complete form (no "*" for an unknown total).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace clipthat::api {

// True when a "bytes=" Range header is well formed and none of its ranges starts inside an
// object of `size` bytes (answered 416 with "Content-Range: bytes */SIZE"). A malformed header,
// a number longer than 18 digits, or another unit is ignored (false), as RFC 9110 allows.
bool RangeUnsatisfiable(std::string_view header, std::int64_t size);

// One upload chunk's place in the object: bytes start..end (inclusive) of total bytes, with
// 0 <= start <= end < total.
struct ContentRange {
  std::int64_t start = 0;
  std::int64_t end = 0;
  std::int64_t total = 0;
  bool operator==(const ContentRange&) const = default;
};

// Parses "bytes START-END/TOTAL" (decimal, no signs, no spaces inside). InvalidArgument
// "expected 'bytes START-END/TOTAL'" for anything else, "END must be >= START and < TOTAL" for
// numbers out of order. The caller names the header in its answer.
Result<ContentRange> ParseContentRange(std::string_view header);

}  // namespace clipthat::api
