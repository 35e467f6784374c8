#include "api/pagination.h"

#include <charconv>

#include "api/api_error.h"
#include "api/router.h"
#include "core/crypto.h"

namespace clipthat::api {

PageRequest ParsePageRequest(const Call& call) {
  PageRequest page;
  if (auto limit = call.Query("limit")) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc() || ptr != limit->data() + limit->size() || value < 1 ||
        value > kMaxPageLimit) {
      throw InvalidField("limit", "expected an integer 1.." + std::to_string(kMaxPageLimit));
    }
    page.limit = value;
  }
  if (auto cursor = call.Query("cursor"); cursor && !cursor->empty()) {
    std::optional<std::string> decoded = Base64UrlDecode(*cursor);
    std::size_t colon = decoded ? decoded->find(':') : std::string::npos;
    std::int64_t ms = 0;
    if (colon != std::string::npos) {
      auto [ptr, ec] = std::from_chars(decoded->data(), decoded->data() + colon, ms);
      if (ec != std::errc() || ptr != decoded->data() + colon) colon = std::string::npos;
    }
    if (colon == std::string::npos || decoded->size() - colon - 1 > 64) {
      throw InvalidField("cursor", "not a cursor from a previous page");
    }
    page.after_created_at_ms = ms;
    page.after_id = decoded->substr(colon + 1);
  }
  return page;
}

std::string EncodeCursor(std::int64_t created_at_ms, const std::string& id) {
  return Base64UrlEncode(std::to_string(created_at_ms) + ":" + id);
}

std::string PageSql(const PageRequest& page, std::vector<store::SqlValue>& params,
                    const std::string& prefix) {
  std::string sql;
  if (page.after_created_at_ms) {
    params.emplace_back(*page.after_created_at_ms);
    std::string a = "$" + std::to_string(params.size());
    params.emplace_back(page.after_id);
    std::string b = "$" + std::to_string(params.size());
    sql += " AND (" + prefix + "created_at_ms < " + a + " OR (" + prefix + "created_at_ms = " + a +
           " AND " + prefix + "id < " + b + "))";
  }
  params.emplace_back(static_cast<std::int64_t>(page.limit + 1));
  sql += " ORDER BY " + prefix + "created_at_ms DESC, " + prefix + "id DESC LIMIT $" +
         std::to_string(params.size());
  return sql;
}

}  // namespace clipthat::api
