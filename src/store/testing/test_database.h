// Databases for tests: a fresh SQLite file in a temporary folder, or a fresh schema on the
// PostgreSQL server named by CLIPTHAT_TEST_POSTGRES_URL (scripts/test starts one), so that test
// processes running in parallel never see each other's rows. Header-only; tests only.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include "core/files.h"
#include "core/result.h"
#include "store/database.h"

namespace clipthat::store::testing {

enum class Backend { kSqlite, kPostgres };

inline const char* BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// The server URL for PostgreSQL tests, or "" when none is configured (the tests skip).
inline std::string TestPostgresUrl() {
  const char* url = std::getenv("CLIPTHAT_TEST_POSTGRES_URL");
  return url != nullptr ? std::string(url) : std::string();
}

// `url` with libpq's options parameter set so every connection uses `schema`.
inline std::string WithSearchPath(const std::string& url, const std::string& schema) {
  const char separator = url.find('?') == std::string::npos ? '?' : '&';
  return url + separator + "options=-csearch_path%3D" + schema;
}

// Owns one test database; the PostgreSQL schema is dropped on destruction.
class TestDatabase {
 public:
  // Opens a fresh, empty database (Migrate not yet run). kUnavailable for kPostgres when
  // CLIPTHAT_TEST_POSTGRES_URL is unset.
  static Result<std::unique_ptr<TestDatabase>> Create(Backend backend, int pool_size = 8) {
    auto test = std::unique_ptr<TestDatabase>(new TestDatabase());
    if (backend == Backend::kSqlite) {
      test->url_ = "sqlite:" + (test->dir_.path() / "test.db").string();
    } else {
      const std::string server = TestPostgresUrl();
      if (server.empty()) return UnavailableError("CLIPTHAT_TEST_POSTGRES_URL is not set");
      ASSIGN_OR_RETURN(test->admin_, OpenDatabase(server, 1));
      test->schema_ = "test_" + NewId().substr(0, 16);
      RETURN_IF_ERROR(test->admin_->Execute("CREATE SCHEMA " + test->schema_).status());
      test->url_ = WithSearchPath(server, test->schema_);
    }
    ASSIGN_OR_RETURN(test->db_, OpenDatabase(test->url_, pool_size));
    return test;
  }

  ~TestDatabase() {
    db_.reset();
    if (admin_ && !schema_.empty()) {
      (void)admin_->Execute("DROP SCHEMA " + schema_ + " CASCADE");
    }
  }

  Database& db() { return *db_; }
  // A URL that opens this same database again (another pool, as another process would).
  const std::string& url() const { return url_; }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  TestDatabase() : dir_("clipthat-store-test") {}

  TempDir dir_;
  std::string url_;
  std::string schema_;
  std::unique_ptr<Database> admin_;
  std::unique_ptr<Database> db_;
};

}  // namespace clipthat::store::testing
