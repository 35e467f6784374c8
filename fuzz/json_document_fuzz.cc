// ParseJsonDocument (core/json_document.h): every request body and uploaded document goes
// through it. Properties: an accepted document is no deeper than the limit (so copying and
// dumping it cannot exhaust the stack), JsonNestingDepth agrees with the parsed depth, and its
// dump parses back to an equal document.
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_document.h"
#include "fuzz_check.h"

namespace {

// The nesting of a parsed document, walked without recursion.
int ParsedDepth(const nlohmann::json& root) {
  int deepest = 0;
  std::vector<std::pair<const nlohmann::json*, int>> todo = {{&root, 0}};
  while (!todo.empty()) {
    auto [node, depth] = todo.back();
    todo.pop_back();
    if (!node->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    for (const auto& child : *node) todo.emplace_back(&child, depth + 1);
  }
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const clipthat::JsonLimits limits{.max_depth = 16, .max_bytes = 1 << 16};
  auto doc = clipthat::ParseJsonDocument(text, "body", limits);
  if (!doc.ok()) {
    FUZZ_CHECK(doc.status().message().starts_with("body: "));
    return 0;
  }
  FUZZ_CHECK(size <= limits.max_bytes);
  const int depth = ParsedDepth(*doc);
  FUZZ_CHECK(depth <= limits.max_depth);
  FUZZ_CHECK(depth == clipthat::JsonNestingDepth(text));
  const std::string dumped = doc->dump();
  auto again = clipthat::ParseJsonDocument(dumped, "dump", {.max_depth = 16, .max_bytes = 1 << 20});
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *doc);
  return 0;
}
