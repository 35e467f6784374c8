// JobQueue: the job queue kept in the database's `jobs` table, with leases.
//
// A worker leases the oldest queued job of its roles, renews the lease while it works (reporting
// progress), and completes or fails it. A lease that is not renewed in time expires: the job goes
// back to the queue (or ends failed when its attempts are used up), so nothing is lost when a
// worker dies. Each lease is one attempt; every report names its attempt and worker, and only the
// current holder of the current attempt is heard, so results are written once.
//
// All methods are safe to call from many threads and processes at once (SQLite: one write
// transaction; PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED). Reports from anyone but the holder
// of the running attempt return kConflict (HTTP 409); an unknown job is kNotFound.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "store/database.h"

namespace clipthat::store {

struct NewJob {
  std::string user_id;
  std::string kind;     // "analyze" | "render"
  std::string vod_id;   // "" for none (stored as NULL)
  std::string clip_id;  // "" for none (stored as NULL)
  nlohmann::json params = nlohmann::json::object();
  int max_attempts = 3;  // >= 1
};

// One attempt at one job, held by one worker until lease_expires_at_ms.
struct Lease {
  std::string job_id;
  std::string kind;
  std::string user_id;
  std::string vod_id;   // "" when the job has none
  std::string clip_id;  // "" when the job has none
  nlohmann::json params = nlohmann::json::object();
  int attempt = 0;  // 1 for the first lease, counting up
  std::int64_t lease_expires_at_ms = 0;
};

class JobQueue {
 public:
  // `db` must outlive the queue; it may be a transaction's `tx` (Enqueue inside a Transaction).
  // `now_ms` is the clock (ms since the epoch); tests pass their own.
  explicit JobQueue(Database& db, std::function<std::int64_t()> now_ms = NowMs);

  // Inserts a queued job; returns its id. Joins the caller's transaction when `db` is one.
  Result<std::string> Enqueue(const NewJob& job);

  // Atomically takes the oldest queued job whose kind is in `kinds`: marks it running,
  // attempts + 1, lease_owner = worker_id, lease until now + lease_ms. Expired leases are
  // returned to the queue first (RequeueExpired). nullopt when nothing is queued.
  Result<std::optional<Lease>> LeaseNext(std::string_view worker_id,
                                         const std::vector<std::string>& kinds,
                                         std::int64_t lease_ms);

  // Extends the lease to now + lease_ms and records progress (0..1, clamped) and stage when given.
  // Returns the new expiry (ms since the epoch).
  Result<std::int64_t> Renew(std::string_view job_id, int attempt, std::string_view worker_id,
                             std::int64_t lease_ms, std::optional<double> progress,
                             std::optional<std::string> stage);

  // Marks the job succeeded with `result` (stored as JSON text, progress 1). `on_complete`, when
  // given, runs in the same transaction after the holder check (write moments and clips there);
  // if it fails nothing is written and its Status is returned. A second Complete, or a Complete
  // for an attempt that is no longer current, is kConflict.
  Status Complete(std::string_view job_id, int attempt, std::string_view worker_id,
                  const nlohmann::json& result,
                  const std::function<Status(Database& tx)>& on_complete = {});

  // Records `error`. With `retryable` and attempts left the job is queued again; otherwise it
  // ends failed with this error.
  Status Fail(std::string_view job_id, int attempt, std::string_view worker_id,
              std::string_view error, bool retryable);

  // Gives the job back (the worker is stopping): queued again, this attempt not counted.
  Status Release(std::string_view job_id, int attempt, std::string_view worker_id);

  // Cancels a queued or running job (a running worker learns it from its next heartbeat: 409).
  // kConflict when the job already finished.
  Status Cancel(std::string_view job_id);

  // Returns every running job whose lease has expired to the queue, or fails it ("lease expired
  // N times; last error: ...") when its attempts are used up. Returns how many were touched.
  Result<int> RequeueExpired();

 private:
  Database& db_;
  std::function<std::int64_t()> now_ms_;
};

}  // namespace clipthat::store
