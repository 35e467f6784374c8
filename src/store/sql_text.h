// Helpers for SQL text shared by the database backends. Internal.
#pragma once

#include <string>
#include <string_view>

namespace clipthat::store::internal {

// The statement's first words, for error messages: "UPDATE jobs SET status ..." (at most
// about 60 characters, whitespace collapsed).
std::string SqlSummary(std::string_view sql);

// Rewrites $1, $2, ... to ?1, ?2, ... outside quoted strings and identifiers (SQLite's numbered
// parameters); everything else is copied unchanged.
std::string DollarToQuestionPlaceholders(std::string_view sql);

}  // namespace clipthat::store::internal
