#include "store/job_queue.h"

#include <algorithm>

namespace clipthat::store {
namespace {

std::string Str(std::string_view s) { return std::string(s); }

SqlValue OptionalText(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

Result<nlohmann::json> ParseParams(const std::string& text, const std::string& job_id) {
  if (text.empty()) return nlohmann::json::object();
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return DataError("job " + job_id + ": params are not JSON");
  return parsed;
}

// Explains why a report from (attempt, worker) was not taken: the job is missing (NotFound) or
// not held by that attempt and worker (Conflict).
Status NotHolder(Database& db, std::string_view job_id, int attempt, std::string_view worker_id,
                 std::string_view action) {
  auto rows =
      db.Query("SELECT status, attempts, lease_owner FROM jobs WHERE id = $1", {Str(job_id)});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFoundError("job " + Str(job_id) + ": no such job");
  const Row& row = (*rows)[0];
  const std::string status = row.Text("status");
  std::string why;
  if (status != "running") {
    why = "the job is " + status;
  } else if (row.Int("attempts") != attempt) {
    why = "attempt " + std::to_string(attempt) + " is no longer current (now attempt " +
          std::to_string(row.Int("attempts")) + ")";
  } else {
    why = "the lease is held by another worker";
  }
  return ConflictError("job " + Str(job_id) + ": cannot " + Str(action) + " for worker " +
                       Str(worker_id) + ": " + why);
}

constexpr char kHolderCondition[] =
    " WHERE id = $1 AND status = 'running' AND attempts = $2 AND lease_owner = $3";

}  // namespace

JobQueue::JobQueue(Database& db, std::function<std::int64_t()> now_ms)
    : db_(db), now_ms_(std::move(now_ms)) {}

Result<std::string> JobQueue::Enqueue(const NewJob& job) {
  if (job.user_id.empty()) return InvalidArgumentError("enqueue: user_id is empty");
  if (job.kind.empty()) return InvalidArgumentError("enqueue: kind is empty");
  if (job.max_attempts < 1) {
    return InvalidArgumentError("enqueue " + job.kind + ": max_attempts must be >= 1");
  }
  const std::string id = NewId();
  const std::int64_t now = now_ms_();
  const std::string params = job.params.is_null() ? "{}" : job.params.dump();
  Result<std::int64_t> inserted = db_.Execute(
      "INSERT INTO jobs (id, user_id, kind, status, vod_id, clip_id, params, max_attempts, "
      "created_at_ms, updated_at_ms) VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $8)",
      {id, job.user_id, job.kind, OptionalText(job.vod_id), OptionalText(job.clip_id), params,
       static_cast<std::int64_t>(job.max_attempts), now});
  if (!inserted.ok()) return inserted.status().WithPrefix("enqueue " + job.kind + " job");
  return id;
}

Result<int> JobQueue::RequeueExpired() {
  int touched = 0;
  const std::int64_t now = now_ms_();
  // A plain read first: the common case (nothing expired) takes no write lock.
  ASSIGN_OR_RETURN(auto any, db_.Query("SELECT id FROM jobs WHERE status = 'running' AND "
                                       "lease_expires_at_ms < $1 LIMIT 1",
                                       {now}));
  if (any.empty()) return 0;
  Status status = db_.Transaction([&](Database& tx) -> Status {
    touched = 0;
    std::string select =
        "SELECT id, attempts, max_attempts FROM jobs WHERE status = 'running' AND "
        "lease_expires_at_ms < $1 ORDER BY lease_expires_at_ms LIMIT 100";
    if (tx.dialect() == Dialect::kPostgres) select += " FOR UPDATE SKIP LOCKED";
    ASSIGN_OR_RETURN(auto expired, tx.Query(select, {now}));
    for (const Row& row : expired) {
      const std::string id = row.Text("id");
      std::int64_t changed = 0;
      if (row.Int("attempts") >= row.Int("max_attempts")) {
        const std::string error =
            "lease expired on attempt " + row.Text("attempts") + " of " + row.Text("max_attempts");
        ASSIGN_OR_RETURN(
            changed,
            tx.Execute("UPDATE jobs SET status = 'failed', lease_owner = NULL, "
                       "lease_expires_at_ms = NULL, finished_at_ms = $2, updated_at_ms = $2, "
                       "error = CASE WHEN error IS NULL THEN $3 ELSE $3 || '; last error: ' || "
                       "error END WHERE id = $1 AND status = 'running'",
                       {id, now, error}));
      } else {
        ASSIGN_OR_RETURN(changed,
                         tx.Execute("UPDATE jobs SET status = 'queued', lease_owner = NULL, "
                                    "lease_expires_at_ms = NULL, updated_at_ms = $2 "
                                    "WHERE id = $1 AND status = 'running'",
                                    {id, now}));
      }
      touched += static_cast<int>(changed);
    }
    return Status::Ok();
  });
  if (!status.ok()) return status.WithPrefix("requeue expired jobs");
  return touched;
}

Result<std::optional<Lease>> JobQueue::LeaseNext(std::string_view worker_id,
                                                 const std::vector<std::string>& kinds,
                                                 std::int64_t lease_ms) {
  if (worker_id.empty()) return InvalidArgumentError("lease: worker_id is empty");
  if (kinds.empty()) return InvalidArgumentError("lease: no job kinds given");
  if (lease_ms <= 0) return InvalidArgumentError("lease: lease_ms must be > 0");
  RETURN_IF_ERROR(RequeueExpired().status());

  std::vector<SqlValue> kind_params;
  std::string in;
  for (const std::string& kind : kinds) {
    kind_params.emplace_back(kind);
    in += (in.empty() ? "$" : ", $") + std::to_string(kind_params.size());
  }
  // Idle workers poll often: answer "nothing queued" from a plain read, without a write lock.
  ASSIGN_OR_RETURN(auto queued, db_.Query("SELECT id FROM jobs WHERE status = 'queued' AND "
                                          "kind IN (" +
                                              in + ") LIMIT 1",
                                          kind_params));
  if (queued.empty()) return std::optional<Lease>();

  std::optional<Lease> lease;
  Status status = db_.Transaction([&](Database& tx) -> Status {
    lease.reset();
    const std::int64_t now = now_ms_();
    const std::vector<SqlValue>& params = kind_params;
    std::string select = "SELECT id FROM jobs WHERE status = 'queued' AND kind IN (" + in +
                         ") ORDER BY created_at_ms, id LIMIT 1";
    if (tx.dialect() == Dialect::kPostgres) select += " FOR UPDATE SKIP LOCKED";
    ASSIGN_OR_RETURN(auto next, tx.Query(select, params));
    if (next.empty()) return Status::Ok();
    const std::string id = next[0].Text("id");
    ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("UPDATE jobs SET status = 'running', attempts = attempts + 1, "
                 "lease_owner = $2, lease_expires_at_ms = $3, progress = 0, stage = NULL, "
                 "started_at_ms = COALESCE(started_at_ms, $4), updated_at_ms = $4 "
                 "WHERE id = $1 AND status = 'queued' "
                 "RETURNING id, kind, user_id, vod_id, clip_id, params, attempts, "
                 "lease_expires_at_ms",
                 {id, Str(worker_id), now + lease_ms, now}));
    if (rows.empty()) return Status::Ok();  // taken meanwhile (cannot happen under the lock)
    const Row& row = rows[0];
    Lease l;
    l.job_id = row.Text("id");
    l.kind = row.Text("kind");
    l.user_id = row.Text("user_id");
    l.vod_id = row.Text("vod_id");
    l.clip_id = row.Text("clip_id");
    ASSIGN_OR_RETURN(l.params, ParseParams(row.Text("params"), l.job_id));
    l.attempt = static_cast<int>(row.Int("attempts"));
    l.lease_expires_at_ms = row.Int("lease_expires_at_ms");
    lease = std::move(l);
    return Status::Ok();
  });
  if (!status.ok()) return status.WithPrefix("lease for worker " + Str(worker_id));
  return lease;
}

Result<std::int64_t> JobQueue::Renew(std::string_view job_id, int attempt,
                                     std::string_view worker_id, std::int64_t lease_ms,
                                     std::optional<double> progress,
                                     std::optional<std::string> stage) {
  if (lease_ms <= 0) return InvalidArgumentError("renew: lease_ms must be > 0");
  const std::int64_t now = now_ms_();
  const std::int64_t expires = now + lease_ms;
  SqlValue progress_value = std::monostate{};
  if (progress) progress_value = std::clamp(*progress, 0.0, 1.0);
  SqlValue stage_value = std::monostate{};
  if (stage) stage_value = *stage;
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      db_.Execute(std::string("UPDATE jobs SET lease_expires_at_ms = $4, updated_at_ms = $5, "
                              "progress = COALESCE($6, progress), stage = COALESCE($7, stage)") +
                      kHolderCondition,
                  {Str(job_id), static_cast<std::int64_t>(attempt), Str(worker_id), expires, now,
                   progress_value, stage_value}));
  if (changed == 0) return NotHolder(db_, job_id, attempt, worker_id, "renew the lease");
  return expires;
}

Status JobQueue::Complete(std::string_view job_id, int attempt, std::string_view worker_id,
                          const nlohmann::json& result,
                          const std::function<Status(Database& tx)>& on_complete) {
  const std::int64_t now = now_ms_();
  return db_.Transaction([&](Database& tx) -> Status {
    ASSIGN_OR_RETURN(
        std::int64_t changed,
        tx.Execute(
            std::string("UPDATE jobs SET status = 'succeeded', progress = 1, result = $4, "
                        "error = NULL, lease_owner = NULL, lease_expires_at_ms = NULL, "
                        "finished_at_ms = $5, updated_at_ms = $5") +
                kHolderCondition,
            {Str(job_id), static_cast<std::int64_t>(attempt), Str(worker_id), result.dump(), now}));
    if (changed == 0) return NotHolder(tx, job_id, attempt, worker_id, "complete");
    if (on_complete) RETURN_IF_ERROR(on_complete(tx));
    return Status::Ok();
  });
}

Status JobQueue::Fail(std::string_view job_id, int attempt, std::string_view worker_id,
                      std::string_view error, bool retryable) {
  const std::int64_t now = now_ms_();
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      db_.Execute(
          std::string("UPDATE jobs SET error = $4, lease_owner = NULL, lease_expires_at_ms = NULL, "
                      "updated_at_ms = $5, "
                      "status = CASE WHEN $6 = 1 AND attempts < max_attempts THEN 'queued' "
                      "ELSE 'failed' END, "
                      "finished_at_ms = CASE WHEN $6 = 1 AND attempts < max_attempts THEN NULL "
                      "ELSE CAST($5 AS BIGINT) END") +
              kHolderCondition,
          {Str(job_id), static_cast<std::int64_t>(attempt), Str(worker_id), Str(error), now,
           static_cast<std::int64_t>(retryable ? 1 : 0)}));
  if (changed == 0) return NotHolder(db_, job_id, attempt, worker_id, "report failure");
  return Status::Ok();
}

Status JobQueue::Release(std::string_view job_id, int attempt, std::string_view worker_id) {
  const std::int64_t now = now_ms_();
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      db_.Execute(std::string("UPDATE jobs SET status = 'queued', attempts = attempts - 1, "
                              "lease_owner = NULL, lease_expires_at_ms = NULL, "
                              "updated_at_ms = $4") +
                      kHolderCondition,
                  {Str(job_id), static_cast<std::int64_t>(attempt), Str(worker_id), now}));
  if (changed == 0) return NotHolder(db_, job_id, attempt, worker_id, "release");
  return Status::Ok();
}

Status JobQueue::Cancel(std::string_view job_id) {
  const std::int64_t now = now_ms_();
  ASSIGN_OR_RETURN(std::int64_t changed,
                   db_.Execute("UPDATE jobs SET status = 'cancelled', lease_owner = NULL, "
                               "lease_expires_at_ms = NULL, finished_at_ms = $2, "
                               "updated_at_ms = $2 "
                               "WHERE id = $1 AND status IN ('queued', 'running')",
                               {Str(job_id), now}));
  if (changed > 0) return Status::Ok();
  ASSIGN_OR_RETURN(auto rows, db_.Query("SELECT status FROM jobs WHERE id = $1", {Str(job_id)}));
  if (rows.empty()) return NotFoundError("job " + Str(job_id) + ": no such job");
  return ConflictError("job " + Str(job_id) + ": cannot cancel: the job is " +
                       rows[0].Text("status"));
}

}  // namespace clipthat::store
