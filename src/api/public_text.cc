#include "api/public_text.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace clipthat::api {
namespace {

// Words only database errors use: compared lower-cased, and SQL keywords as written.
constexpr std::array<std::string_view, 9> kDatabaseWords = {
    "sqlite",        "postgres",       "sqlstate",    "constraint", "syntax error",
    "no such table", "no such column", "relation \"", "violates"};
constexpr std::array<std::string_view, 5> kSqlKeywords = {"SELECT ", "INSERT INTO ", "UPDATE ",
                                                          "DELETE FROM ", " WHERE "};

bool MentionsDatabase(std::string_view message) {
  std::string lower(message);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto in = [](std::string_view text) {
    return [text](std::string_view word) { return text.find(word) != std::string_view::npos; };
  };
  return std::any_of(kDatabaseWords.begin(), kDatabaseWords.end(), in(lower)) ||
         std::any_of(kSqlKeywords.begin(), kSqlKeywords.end(), in(message));
}

bool IsPathChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' ||
         c == '-' || c == '+' || c == '~' || c == '@' || c == '%';
}

}  // namespace

std::optional<std::string> PublicText(std::string_view message) {
  if (MentionsDatabase(message)) return std::nullopt;
  std::string out;
  out.reserve(message.size());
  std::size_t i = 0;
  while (i < message.size()) {
    // An absolute path starts with '/' at the start of the text or after a separator (not
    // "//", a URL's authority), and has at least one more '/': keep what follows its last '/'.
    const bool starts_path = message[i] == '/' && (i == 0 || !IsPathChar(message[i - 1])) &&
                             (i + 1 == message.size() || message[i + 1] != '/');
    if (starts_path) {
      std::size_t end = i;
      while (end < message.size() && IsPathChar(message[end])) ++end;
      const std::string_view path = message.substr(i, end - i);
      const std::size_t last_slash = path.rfind('/');
      if (last_slash != 0) {
        out.append(path.substr(last_slash + 1));
        i = end;
        continue;
      }
    }
    out += message[i++];
  }
  return out;
}

}  // namespace clipthat::api
