// Reading JSON documents that come from outside: request bodies, uploaded templates and edit
// lists, chat replays, config files, answers of remote servers.
//
// nlohmann::json parses without recursion, but copying, dumping, comparing and visiting a
// parsed document recurse once per level of nesting: a 200 KB body of 100,000 nested arrays
// overflows the stack of whoever touches it next. ParseJsonDocument therefore measures the
// nesting of the text first (one pass, no recursion, strings skipped) and refuses a document
// nested deeper than `max_depth` or longer than `max_bytes` before anything is built. Every
// document accepted from outside goes through it; one owner, one set of limits.
//
//   ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonDocument(body, "body"));
//
// Errors are InvalidArgument and start with `origin`: "template.json: nested deeper than 64
// levels", "body: 70000000 bytes is more than the 67108864 allowed", "edit.json: not JSON:
// syntax error at byte 17 ...", "body: not JSON: a NUL byte at byte 9" (nothing after a NUL is
// ignored: a document with one is refused whole).
#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"

namespace clipthat {

struct JsonLimits {
  int max_depth = 64;                   // levels of [ and {; real documents use under 10
  std::size_t max_bytes = 64ull << 20;  // of text
};

// The deepest nesting of arrays and objects in `text`, counted without parsing (brackets
// inside strings do not count). Malformed text gets a number too; the parser judges it.
int JsonNestingDepth(std::string_view text);

Result<nlohmann::json> ParseJsonDocument(std::string_view text, std::string_view origin,
                                         const JsonLimits& limits = {});

// Reads and parses a file; errors start with its path (NotFound when it is missing, and a
// file over max_bytes is refused before it is read).
Result<nlohmann::json> ReadJsonFile(const std::filesystem::path& path,
                                    const JsonLimits& limits = {});

}  // namespace clipthat
