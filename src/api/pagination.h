// Cursor pagination for list routes: newest first, `?limit=1..100` (default 20) and
// `?cursor=<opaque>` from the previous page's "next_cursor". A cursor encodes the last row's
// (created_at_ms, id), so pages stay stable while rows are added.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace clipthat::api {

class Call;

struct PageRequest {
  int limit = 20;
  std::optional<std::int64_t> after_created_at_ms;  // from the cursor
  std::string after_id;
};

inline constexpr int kMaxPageLimit = 100;

// Reads ?limit and ?cursor; 422 naming the parameter when either is malformed.
PageRequest ParsePageRequest(const Call& call);
std::string EncodeCursor(std::int64_t created_at_ms, const std::string& id);

// SQL to append after a WHERE clause: " AND (created_at_ms < $a OR ...) ORDER BY created_at_ms
// DESC, id DESC LIMIT $b", binding into `params` (one more row than the limit is fetched, to know
// whether a next page exists). `prefix` qualifies the columns ("c." or "").
std::string PageSql(const PageRequest& page, std::vector<store::SqlValue>& params,
                    const std::string& prefix = "");

}  // namespace clipthat::api
