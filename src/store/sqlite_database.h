// SqliteDatabase: the Database backend on one SQLite file (WAL, foreign keys on, busy timeout),
// with a small pool of connections (readers run in parallel) and a prepared statement cache per
// connection. Open it through OpenDatabase("sqlite:PATH").
#pragma once

#include <memory>
#include <string>

#include "store/connection_pool.h"
#include "store/database.h"

namespace clipthat::store {

namespace internal {
class SqliteConnection;
}

class SqliteDatabase final : public Database {
 public:
  // Opens (creating when missing) the file at `path`; `pool_size` connections at most.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path, int pool_size);
  ~SqliteDatabase() override;

  Result<std::vector<Row>> Query(std::string_view sql,
                                 const std::vector<SqlValue>& params) override;
  Result<std::int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params) override;
  Status Transaction(const std::function<Status(Database& tx)>& fn) override;
  Dialect dialect() const override { return Dialect::kSqlite; }
  Status Ping() override;

 private:
  SqliteDatabase(std::string path, int pool_size);

  std::string path_;
  internal::ConnectionPool<internal::SqliteConnection> pool_;
};

}  // namespace clipthat::store
