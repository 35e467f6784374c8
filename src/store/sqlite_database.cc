#include "store/sqlite_database.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>
#include <unordered_map>

#include "core/files.h"
#include "store/sql_text.h"

namespace clipthat::store {
namespace internal {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr std::size_t kStatementCacheSize = 128;
constexpr int kTransactionAttempts = 5;

struct StmtDeleter {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

struct DbDeleter {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbDeleter>;

bool IsBusy(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

// A database path naming a file on disk (not ":memory:", a temporary database or a "file:"
// URI, whose options SQLite reads itself).
bool IsPlainFilePath(const std::string& path) {
  return !path.empty() && path != ":memory:" && !path.starts_with("file:");
}

}  // namespace

// One sqlite3 connection with its statement cache. Used by one thread at a time.
class SqliteConnection {
 public:
  struct Prepared {
    StmtPtr stmt;
    std::shared_ptr<const std::vector<std::string>> columns;
  };

  SqliteConnection(DbPtr db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}
  ~SqliteConnection() {
    cache_.clear();  // statements before the connection
    db_.reset();
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path) {
    // The database holds password hashes and keys: owner only. SQLite gives its -wal and -shm
    // files the database file's mode, so making the file first covers them too.
    if (IsPlainFilePath(path)) {
      RETURN_IF_ERROR(EnsurePrivateFile(path).WithPrefix("sqlite"));
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(
        path.c_str(), &raw,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI,
        nullptr);
    DbPtr db(raw);
    if (rc != SQLITE_OK) {
      return IoError("sqlite:" + path + ": cannot open: " +
                     (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);
    auto conn = std::make_unique<SqliteConnection>(std::move(db), path);
    for (const char* pragma :
         {"PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL"}) {
      char* err = nullptr;
      if (sqlite3_exec(raw, pragma, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string message = err != nullptr ? err : "unknown error";
        sqlite3_free(err);
        return IoError("sqlite:" + path + ": " + pragma + ": " + message);
      }
    }
    return conn;
  }

  // Runs `sql` with `params`; appends rows to `rows` when not null. Returns rows changed.
  Result<std::int64_t> Run(std::string_view sql, const std::vector<SqlValue>& params,
                           std::vector<Row>* rows) {
    last_busy_ = false;
    ASSIGN_OR_RETURN(Prepared * prepared, Prepare(sql));
    sqlite3_stmt* stmt = prepared->stmt.get();
    // Reset and unbind on every exit, so the cached statement holds no pointers into `params`.
    struct ResetGuard {
      sqlite3_stmt* stmt;
      ~ResetGuard() {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
      }
    } guard{stmt};
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected > static_cast<int>(params.size())) {
      return InvalidArgumentError("sqlite: " + SqlSummary(sql) + ": " + std::to_string(expected) +
                                  " parameters expected, " + std::to_string(params.size()) +
                                  " given");
    }
    for (int i = 0; i < expected; ++i) {
      const SqlValue& v = params[i];
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, i + 1, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, i + 1, *d);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, i + 1, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(stmt, i + 1);
      }
      if (rc != SQLITE_OK) return Error(sql, rc);
    }
    const int columns = sqlite3_column_count(stmt);
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Error(sql, rc);
      if (rows == nullptr) continue;
      std::vector<SqlValue> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(stmt, c)); break;
          case SQLITE_NULL: values.emplace_back(std::monostate{}); break;
          default: {
            const auto* text = static_cast<const char*>(sqlite3_column_blob(stmt, c));
            const int size = sqlite3_column_bytes(stmt, c);
            values.emplace_back(std::string(text != nullptr ? text : "", size));
            break;
          }
        }
      }
      rows->emplace_back(prepared->columns, std::move(values));
    }
    return static_cast<std::int64_t>(sqlite3_changes64(db_.get()));
  }

  // Runs a statement without parameters or results (BEGIN, COMMIT, ROLLBACK).
  Status Exec(const char* sql) {
    last_busy_ = false;
    const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return Error(sql, rc);
    return Status::Ok();
  }

  bool last_busy() const { return last_busy_; }
  bool in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

 private:
  Result<Prepared*> Prepare(std::string_view sql) {
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) return &it->second;
    const std::string rewritten = DollarToQuestionPlaceholders(sql);
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_.get(), rewritten.c_str(), static_cast<int>(rewritten.size()),
                           SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    StmtPtr stmt(raw);
    if (rc != SQLITE_OK) return Error(sql, rc);
    if (stmt == nullptr) return InvalidArgumentError("sqlite: empty statement");
    for (const char* p = tail; p != nullptr && *p != '\0'; ++p) {
      if (*p != ';' && !std::isspace(static_cast<unsigned char>(*p))) {
        return InvalidArgumentError("sqlite: " + SqlSummary(sql) +
                                    ": one statement per call, found more after ';'");
      }
    }
    auto columns = std::make_shared<std::vector<std::string>>();
    for (int c = 0; c < sqlite3_column_count(raw); ++c) {
      columns->emplace_back(sqlite3_column_name(raw, c));
    }
    if (cache_.size() >= kStatementCacheSize) cache_.clear();
    auto [pos, inserted] =
        cache_.emplace(std::string(sql), Prepared{std::move(stmt), std::move(columns)});
    return &pos->second;
  }

  Status Error(std::string_view sql, int rc) {
    last_busy_ = IsBusy(rc);
    const std::string message = "sqlite: " + SqlSummary(sql) + ": " + sqlite3_errmsg(db_.get());
    switch (rc) {
      case SQLITE_CONSTRAINT_UNIQUE:
      case SQLITE_CONSTRAINT_PRIMARYKEY: return AlreadyExistsError(message);
      case SQLITE_CONSTRAINT_FOREIGNKEY:
      case SQLITE_CONSTRAINT_NOTNULL:
      case SQLITE_CONSTRAINT_CHECK:
      case SQLITE_MISMATCH:
      case SQLITE_RANGE: return InvalidArgumentError(message);
      default: break;
    }
    if ((rc & 0xff) == SQLITE_ERROR) return InvalidArgumentError(message);  // SQL mistakes
    if (last_busy_) return UnavailableError(message);
    return IoError(message);
  }

  DbPtr db_;
  std::string path_;
  std::unordered_map<std::string, Prepared> cache_;
  bool last_busy_ = false;
};

namespace {

// The Database handed to a Transaction's function: every call runs on the one connection.
class SqliteTransaction final : public Database {
 public:
  explicit SqliteTransaction(SqliteConnection& conn) : conn_(conn) {}

  Result<std::vector<Row>> Query(std::string_view sql,
                                 const std::vector<SqlValue>& params) override {
    std::vector<Row> rows;
    Result<std::int64_t> r = conn_.Run(sql, params, &rows);
    busy_ = busy_ || conn_.last_busy();
    if (!r.ok()) return r.status();
    return rows;
  }
  Result<std::int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    Result<std::int64_t> r = conn_.Run(sql, params, nullptr);
    busy_ = busy_ || conn_.last_busy();
    return r;
  }
  Status Transaction(const std::function<Status(Database& tx)>& fn) override { return fn(*this); }
  Dialect dialect() const override { return Dialect::kSqlite; }
  Status Ping() override { return Status::Ok(); }

  bool busy() const { return busy_; }

 private:
  SqliteConnection& conn_;
  bool busy_ = false;
};

}  // namespace
}  // namespace internal

using internal::SqliteConnection;

SqliteDatabase::SqliteDatabase(std::string path, int pool_size)
    : path_(path), pool_(pool_size, [path] { return SqliteConnection::Open(path); }) {}

SqliteDatabase::~SqliteDatabase() = default;

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                             int pool_size) {
  if (path.empty() || path == ":memory:") {
    return InvalidArgumentError("sqlite:" + path +
                                ": give a file path (an in-memory database is not shared "
                                "between pooled connections)");
  }
  ASSIGN_OR_RETURN(auto first, SqliteConnection::Open(path));
  auto db = std::unique_ptr<SqliteDatabase>(new SqliteDatabase(path, pool_size));
  db->pool_.Seed(std::move(first));
  return db;
}

Result<std::vector<Row>> SqliteDatabase::Query(std::string_view sql,
                                               const std::vector<SqlValue>& params) {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  std::vector<Row> rows;
  RETURN_IF_ERROR(conn->Run(sql, params, &rows).status());
  return rows;
}

Result<std::int64_t> SqliteDatabase::Execute(std::string_view sql,
                                             const std::vector<SqlValue>& params) {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  return conn->Run(sql, params, nullptr);
}

Status SqliteDatabase::Transaction(const std::function<Status(Database& tx)>& fn) {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  Status last;
  for (int attempt = 0; attempt < internal::kTransactionAttempts; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
    }
    last = conn->Exec("BEGIN IMMEDIATE");
    if (!last.ok()) {
      if (conn->last_busy()) continue;
      return last;
    }
    internal::SqliteTransaction tx(*conn);
    Status status;
    try {
      status = fn(tx);
    } catch (...) {
      // An exception from `fn` (callers may throw across it): roll back so the pooled
      // connection goes back clean, then let it continue on its way.
      if (conn->in_transaction()) (void)conn->Exec("ROLLBACK");
      throw;
    }
    if (status.ok()) {
      status = conn->Exec("COMMIT");
      if (status.ok()) return status;
    }
    const bool busy = tx.busy() || conn->last_busy();
    if (conn->in_transaction()) (void)conn->Exec("ROLLBACK");
    last = status;
    if (!busy) return status;
  }
  return last.WithPrefix("sqlite:" + path_ + ": transaction gave up after " +
                         std::to_string(internal::kTransactionAttempts) + " busy retries");
}

Status SqliteDatabase::Ping() { return Query("SELECT 1", {}).status(); }

}  // namespace clipthat::store
