// Database: the one small interface the control plane uses for all its state, with two backends
// sharing one schema (migrations.h): SQLite (the embedded default, one file, WAL) and PostgreSQL
// (libpq, for several machines).
//
//   ASSIGN_OR_RETURN(auto db, store::OpenDatabase("sqlite:/var/lib/clipthat/clipthat.db"));
//   RETURN_IF_ERROR(store::Migrate(*db));
//   ASSIGN_OR_RETURN(auto rows, db->Query("SELECT id, title FROM vods WHERE user_id = $1",
//                                         {user_id}));
//   for (const store::Row& row : rows) Use(row.Text("id"), row.Text("title"));
//
// SQL is written once for both backends: placeholders are $1, $2, ... (SQLite gets them rewritten
// to ?1, ?2, ...), values are always bound as parameters, never spliced into the text. Portable
// SQL only: INSERT ... ON CONFLICT, RETURNING, COALESCE, LIMIT/OFFSET work in both; compare
// BIGINT ms rather than using date functions.
//
// Errors: a failed statement returns a Status naming the backend and the statement's first words
// ("sqlite: UPDATE jobs SET ...: database is locked"); a unique-constraint violation is
// kAlreadyExists, a foreign-key violation kInvalidArgument, a lost connection kUnavailable,
// everything else kIoError. Open errors name the URL without its password.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace clipthat::store {

// A value bound to or read from SQL: NULL, an integer, a real or text.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

// One result row. Columns are looked up by name (as the SELECT list names them, so alias computed
// columns: `SELECT COUNT(*) AS n`) or by index. Conversions are lenient because PostgreSQL
// returns text: Int/Real parse text, Text formats numbers. A column that is not in the row reads
// as NULL.
class Row {
 public:
  Row() = default;
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<SqlValue> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  bool IsNull(std::string_view column) const;
  std::string Text(std::string_view column) const;                    // "" when NULL
  std::int64_t Int(std::string_view column) const;                    // 0 when NULL or not a number
  double Real(std::string_view column) const;                         // 0 when NULL or not a number
  std::optional<std::string> OptText(std::string_view column) const;  // nullopt when NULL
  std::optional<std::int64_t> OptInt(std::string_view column) const;  // nullopt when NULL

  // By position (0-based), the same conversions.
  bool IsNull(std::size_t index) const;
  std::string Text(std::size_t index) const;
  std::int64_t Int(std::size_t index) const;
  double Real(std::size_t index) const;

  bool Has(std::string_view column) const { return Find(column) != nullptr; }
  std::size_t size() const { return values_.size(); }
  const std::string& column_name(std::size_t index) const { return (*columns_)[index]; }
  const SqlValue& value(std::size_t index) const { return values_[index]; }

 private:
  const SqlValue* Find(std::string_view column) const;
  const SqlValue* At(std::size_t index) const;

  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<SqlValue> values_;
};

enum class Dialect { kSqlite, kPostgres };

// Thread-safe: a pool of connections inside; every call checks one out for its duration (SQLite
// readers run in parallel; writers are serialised by SQLite itself with a busy timeout).
class Database {
 public:
  virtual ~Database() = default;

  // Runs one statement and returns its rows (none for statements without a result).
  virtual Result<std::vector<Row>> Query(std::string_view sql,
                                         const std::vector<SqlValue>& params = {}) = 0;

  // Runs one statement; returns the number of rows it inserted, updated or deleted.
  virtual Result<std::int64_t> Execute(std::string_view sql,
                                       const std::vector<SqlValue>& params = {}) = 0;

  // One write transaction on one connection (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN).
  // `fn` gets a Database bound to that connection (use only it inside `fn`, and not after);
  // commit when `fn` returns OK, roll back otherwise and return its Status. The whole
  // transaction (including `fn`, so keep it free of side effects outside the database) is
  // retried a few times on SQLITE_BUSY, serialization failures and deadlocks. Calling
  // Transaction on `tx` itself runs the inner function in the same transaction.
  virtual Status Transaction(const std::function<Status(Database& tx)>& fn) = 0;

  virtual Dialect dialect() const = 0;

  // OK when a connection answers a trivial query (GET /healthz).
  virtual Status Ping() = 0;
};

// Opens a database from a URL:
//   "sqlite:PATH"  a file (created when missing; WAL, foreign keys on, busy timeout 5 s);
//                  "sqlite::memory:" is refused (each pooled connection would see its own db).
//   "postgres://user:password@host:port/db?options..." or "postgresql://..." (libpq URI).
// `pool_size` is the most connections held open at once (>= 1). Errors name the URL without its
// password. The schema is not touched: call Migrate.
Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, int pool_size = 8);

// Brings the schema up to the newest version (src/store/migrations.h): each pending migration
// runs in its own transaction and is recorded in schema_migrations. Safe to call on every start
// and from several processes at once.
Status Migrate(Database& db);

// 16 random bytes from the OS CSPRNG as 32 lowercase hex characters: unguessable ids for rows.
std::string NewId();

// Wall clock, ms since the Unix epoch.
std::int64_t NowMs();

// The URL with any password replaced by "***" (for messages and logs).
std::string RedactUrl(std::string_view url);

}  // namespace clipthat::store
