#include "core/json_document.h"

#include <algorithm>
#include <string>
#include <system_error>

#include "core/files.h"

namespace clipthat {

int JsonNestingDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, whatever it is
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{': deepest = std::max(deepest, ++depth); break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return deepest;
}

Result<nlohmann::json> ParseJsonDocument(std::string_view text, std::string_view origin,
                                         const JsonLimits& limits) {
  const std::string where(origin);
  if (text.size() > limits.max_bytes) {
    return InvalidArgumentError(where + ": " + std::to_string(text.size()) +
                                " bytes is more than the " + std::to_string(limits.max_bytes) +
                                " allowed");
  }
  if (JsonNestingDepth(text) > limits.max_depth) {
    return InvalidArgumentError(where + ": nested deeper than " + std::to_string(limits.max_depth) +
                                " levels");
  }
  // nlohmann's lexer takes a NUL byte for the end of the input and would accept whatever
  // follows it unread ("{}\0<anything>"). JSON has no raw NUL anywhere, not even in strings.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    return InvalidArgumentError(where + ": not JSON: a NUL byte at byte " + std::to_string(nul));
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // A syntax error (parse_error), or a number too large for a double, "1e400" (out_of_range
    // 406). e.what() reads "[json.exception.parse_error.101] parse error at line 1, column 5: ...".
    std::string message = e.what();
    if (const auto at = message.find("] "); at != std::string::npos) message.erase(0, at + 2);
    return InvalidArgumentError(where + ": not JSON: " + message);
  }
}

Result<nlohmann::json> ReadJsonFile(const std::filesystem::path& path, const JsonLimits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > limits.max_bytes) {
    return InvalidArgumentError(path.string() + ": " + std::to_string(size) +
                                " bytes is more than the " + std::to_string(limits.max_bytes) +
                                " allowed");
  }
  ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseJsonDocument(text, path.string(), limits);
}

}  // namespace clipthat
