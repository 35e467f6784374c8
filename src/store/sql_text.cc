#include "store/sql_text.h"

#include <cctype>

namespace clipthat::store::internal {

std::string SqlSummary(std::string_view sql) {
  constexpr std::size_t kMaxChars = 60;
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= kMaxChars) {
      out += " ...";
      break;
    }
  }
  return out;
}

std::string DollarToQuestionPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;  // the quote character we are inside, or 0
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      out.push_back(c);
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
      continue;
    }
    if (c == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out.push_back('?');
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace clipthat::store::internal
