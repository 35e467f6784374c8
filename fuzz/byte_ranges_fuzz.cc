// The API's byte-range headers (api/byte_ranges.h): Range on downloads, Content-Range on upload
// chunks. The input's first 8 bytes are an object size, the rest the header. Properties: a Range
// that is unsatisfiable for a size is "bytes=" and unsatisfiable for every smaller size too; an
// accepted Content-Range has 0 <= start <= end < total and reads the same when written back.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "api/byte_ranges.h"
#include "fuzz_check.h"

using clipthat::api::ContentRange;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::uint64_t raw_size = 0;
  if (size >= sizeof raw_size) {
    std::memcpy(&raw_size, data, sizeof raw_size);
    data += sizeof raw_size;
    size -= sizeof raw_size;
  }
  const auto object_size = static_cast<std::int64_t>(raw_size >> 1);  // not negative
  const std::string_view header(reinterpret_cast<const char*>(data), size);

  if (clipthat::api::RangeUnsatisfiable(header, object_size)) {
    FUZZ_CHECK(header.starts_with("bytes="));
    FUZZ_CHECK(clipthat::api::RangeUnsatisfiable(header, object_size / 2));
    FUZZ_CHECK(clipthat::api::RangeUnsatisfiable(header, 0));
  }
  FUZZ_CHECK(!clipthat::api::RangeUnsatisfiable(std::string("x") + std::string(header), 0));

  auto range = clipthat::api::ParseContentRange(header);
  if (range.ok()) {
    FUZZ_CHECK(range->start >= 0 && range->start <= range->end && range->end < range->total);
    const std::string written = "bytes " + std::to_string(range->start) + "-" +
                                std::to_string(range->end) + "/" + std::to_string(range->total);
    auto again = clipthat::api::ParseContentRange(written);
    FUZZ_CHECK(again.ok() && *again == *range);
  }
  return 0;
}
