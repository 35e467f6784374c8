// The schema's versioned migrations, shared by both backends (portable SQL). Migrate
// (database.h) applies the pending ones in order, each in its own transaction, and records each
// in schema_migrations(version, name, applied_at_ms). A migration, once released, never changes:
// add a new one instead.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace clipthat::store {

struct Migration {
  int version = 0;  // 1, 2, ... in order
  std::string name;
  std::vector<std::string> statements;  // one SQL statement each
};

// Every migration, oldest first.
const std::vector<Migration>& AllMigrations();

// The newest version recorded in schema_migrations (0 for a fresh database).
Result<int> SchemaVersion(Database& db);

}  // namespace clipthat::store
