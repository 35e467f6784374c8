#include "store/postgres_database.h"

#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "store/sql_text.h"

namespace clipthat::store {
namespace internal {
namespace {

constexpr int kTransactionAttempts = 5;

// Type OIDs (pg_type.h) of the columns converted to numbers; everything else stays text.
constexpr Oid kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700, kFloat8Oid = 701,
              kNumericOid = 1700;

struct ConnDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnDeleter>;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// libpq does not parse bare "postgres://" style text the same way as keyword strings, but it
// does accept both schemes as URIs.
std::string Redacted(const std::string& url) { return RedactUrl(url); }

}  // namespace

// One PGconn. Used by one thread at a time.
class PgConnection {
 public:
  PgConnection(ConnPtr conn, std::string redacted_url)
      : conn_(std::move(conn)), url_(std::move(redacted_url)) {}
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url) {
    ConnPtr conn(PQconnectdb(url.c_str()));
    if (conn == nullptr) return UnavailableError(Redacted(url) + ": out of memory in libpq");
    if (PQstatus(conn.get()) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn.get());
      while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
        message.pop_back();
      }
      return UnavailableError(Redacted(url) + ": cannot connect: " + message);
    }
    auto pg = std::make_unique<PgConnection>(std::move(conn), Redacted(url));
    // Quiet NOTICEs ("relation already exists, skipping") instead of printing them to stderr.
    PQsetNoticeProcessor(
        pg->conn_.get(), [](void*, const char*) {}, nullptr);
    return pg;
  }

  Result<std::int64_t> Run(std::string_view sql, const std::vector<SqlValue>& params,
                           std::vector<Row>* rows) {
    retryable_ = false;
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const SqlValue& v = params[i];
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        texts[i] = std::to_string(*n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        char buf[40];
        std::snprintf(buf, sizeof(buf), "%.17g", *d);
        texts[i] = buf;
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        texts[i] = *s;
      } else {
        continue;  // NULL
      }
      values[i] = texts[i].c_str();
    }
    const std::string text(sql);
    ResultPtr result(PQexecParams(conn_.get(), text.c_str(), static_cast<int>(params.size()),
                                  nullptr, values.data(), nullptr, nullptr, 0));
    if (result == nullptr) return Broken(sql);
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return Error(sql, result.get());
    }
    if (rows != nullptr && status == PGRES_TUPLES_OK) {
      const int ncols = PQnfields(result.get());
      auto columns = std::make_shared<std::vector<std::string>>();
      std::vector<Oid> types;
      for (int c = 0; c < ncols; ++c) {
        columns->emplace_back(PQfname(result.get(), c));
        types.push_back(PQftype(result.get(), c));
      }
      const int nrows = PQntuples(result.get());
      rows->reserve(rows->size() + nrows);
      for (int r = 0; r < nrows; ++r) {
        std::vector<SqlValue> row;
        row.reserve(ncols);
        for (int c = 0; c < ncols; ++c) {
          if (PQgetisnull(result.get(), r, c)) {
            row.emplace_back(std::monostate{});
            continue;
          }
          const char* value = PQgetvalue(result.get(), r, c);
          const int length = PQgetlength(result.get(), r, c);
          switch (types[c]) {
            case kInt8Oid:
            case kInt2Oid:
            case kInt4Oid:
              row.emplace_back(static_cast<std::int64_t>(std::strtoll(value, nullptr, 10)));
              break;
            case kFloat4Oid:
            case kFloat8Oid:
            case kNumericOid: row.emplace_back(std::strtod(value, nullptr)); break;
            default: row.emplace_back(std::string(value, length)); break;
          }
        }
        rows->emplace_back(columns, std::move(row));
      }
    }
    const char* affected = PQcmdTuples(result.get());
    return static_cast<std::int64_t>(
        affected != nullptr && *affected != '\0' ? std::strtoll(affected, nullptr, 10) : 0);
  }

  bool retryable() const { return retryable_; }
  bool broken() const { return PQstatus(conn_.get()) != CONNECTION_OK; }
  bool in_transaction() const { return PQtransactionStatus(conn_.get()) != PQTRANS_IDLE; }

 private:
  Status Broken(std::string_view sql) {
    return UnavailableError(url_ + ": " + SqlSummary(sql) + ": " + PQerrorMessage(conn_.get()));
  }

  Status Error(std::string_view sql, PGresult* result) {
    const char* state_field = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const std::string state = state_field != nullptr ? state_field : "";
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    std::string message = "postgres: " + SqlSummary(sql) + ": " +
                          (primary != nullptr ? primary : PQresultErrorMessage(result));
    if (!state.empty()) message += " (SQLSTATE " + state + ")";
    retryable_ = state == "40001" || state == "40P01";  // serialization failure, deadlock
    if (broken()) return UnavailableError(url_ + ": " + message);
    if (state == "23505") return AlreadyExistsError(message);
    if (state.rfind("23", 0) == 0 || state.rfind("22", 0) == 0 || state.rfind("42", 0) == 0) {
      return InvalidArgumentError(message);  // constraint, data and syntax errors
    }
    if (retryable_) return UnavailableError(message);
    return IoError(message);
  }

  ConnPtr conn_;
  std::string url_;
  bool retryable_ = false;
};

namespace {

class PgTransaction final : public Database {
 public:
  explicit PgTransaction(PgConnection& conn) : conn_(conn) {}
  Result<std::vector<Row>> Query(std::string_view sql,
                                 const std::vector<SqlValue>& params) override {
    std::vector<Row> rows;
    Result<std::int64_t> r = conn_.Run(sql, params, &rows);
    retryable_ = retryable_ || conn_.retryable();
    if (!r.ok()) return r.status();
    return rows;
  }
  Result<std::int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    Result<std::int64_t> r = conn_.Run(sql, params, nullptr);
    retryable_ = retryable_ || conn_.retryable();
    return r;
  }
  Status Transaction(const std::function<Status(Database& tx)>& fn) override { return fn(*this); }
  Dialect dialect() const override { return Dialect::kPostgres; }
  Status Ping() override { return Status::Ok(); }
  bool retryable() const { return retryable_; }

 private:
  PgConnection& conn_;
  bool retryable_ = false;
};

}  // namespace
}  // namespace internal

using internal::PgConnection;

PostgresDatabase::PostgresDatabase(std::string url, int pool_size)
    : url_(url), pool_(pool_size, [url] { return PgConnection::Open(url); }) {}

PostgresDatabase::~PostgresDatabase() = default;

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(const std::string& url,
                                                                 int pool_size) {
  ASSIGN_OR_RETURN(auto first, PgConnection::Open(url));
  auto db = std::unique_ptr<PostgresDatabase>(new PostgresDatabase(url, pool_size));
  db->pool_.Seed(std::move(first));
  return db;
}

Result<std::vector<Row>> PostgresDatabase::Query(std::string_view sql,
                                                 const std::vector<SqlValue>& params) {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  std::vector<Row> rows;
  Result<std::int64_t> r = conn->Run(sql, params, &rows);
  if (conn->broken()) conn.Discard();
  if (!r.ok()) return r.status();
  return rows;
}

Result<std::int64_t> PostgresDatabase::Execute(std::string_view sql,
                                               const std::vector<SqlValue>& params) {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  Result<std::int64_t> r = conn->Run(sql, params, nullptr);
  if (conn->broken()) conn.Discard();
  return r;
}

Status PostgresDatabase::Transaction(const std::function<Status(Database& tx)>& fn) {
  ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
  Status last;
  for (int attempt = 0; attempt < internal::kTransactionAttempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
    last = conn->Run("BEGIN", {}, nullptr).status();
    if (!last.ok()) break;
    internal::PgTransaction tx(*conn);
    Status status;
    try {
      status = fn(tx);
    } catch (...) {
      // An exception from `fn` (callers may throw across it): roll back so the pooled
      // connection goes back clean, then let it continue on its way.
      if (conn->in_transaction()) (void)conn->Run("ROLLBACK", {}, nullptr);
      throw;
    }
    if (status.ok()) {
      status = conn->Run("COMMIT", {}, nullptr).status();
      if (status.ok()) return status;
    }
    const bool retry = tx.retryable() || conn->retryable();
    if (!conn->broken() && conn->in_transaction()) (void)conn->Run("ROLLBACK", {}, nullptr);
    last = status;
    if (!retry || conn->broken()) break;
  }
  if (conn->broken()) conn.Discard();
  return last;
}

Status PostgresDatabase::Ping() { return Query("SELECT 1", {}).status(); }

}  // namespace clipthat::store
