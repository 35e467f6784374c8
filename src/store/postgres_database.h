// PostgresDatabase: the Database backend on a PostgreSQL server through libpq, with a pool of
// connections. Statements go through PQexecParams with text parameters. Open it through
// OpenDatabase("postgres://user:password@host:port/db").
#pragma once

#include <memory>
#include <string>

#include "store/connection_pool.h"
#include "store/database.h"

namespace clipthat::store {

namespace internal {
class PgConnection;
}

class PostgresDatabase final : public Database {
 public:
  // Connects once to check `url` (a libpq URI); `pool_size` connections at most.
  static Result<std::unique_ptr<PostgresDatabase>> Open(const std::string& url, int pool_size);
  ~PostgresDatabase() override;

  Result<std::vector<Row>> Query(std::string_view sql,
                                 const std::vector<SqlValue>& params) override;
  Result<std::int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params) override;
  Status Transaction(const std::function<Status(Database& tx)>& fn) override;
  Dialect dialect() const override { return Dialect::kPostgres; }
  Status Ping() override;

 private:
  PostgresDatabase(std::string url, int pool_size);

  std::string url_;
  internal::ConnectionPool<internal::PgConnection> pool_;
};

}  // namespace clipthat::store
