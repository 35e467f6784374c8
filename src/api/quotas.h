// Per-user quotas (ApiServerOptions::quota_*; internal to the api module): jobs queued or
// running, VODs being uploaded or imported, bytes of VOD media stored. Each check runs inside a
// transaction that holds the user's credit lock (billing::Ledger::LockBalance), so concurrent
// requests of one user cannot overshoot a quota together. A limit of 0 means no quota.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/api_error.h"
#include "core/result.h"
#include "store/database.h"

namespace clipthat::api {

struct ApiServerOptions;

// A quota the request would exceed.
struct QuotaExceeded {
  std::string quota;       // the configuration key: "api.quota.max_active_jobs"
  std::int64_t limit = 0;  // the configured limit (jobs, uploads or bytes)
  std::int64_t used = 0;   // what the user has now, in the same unit
  std::string message;     // for the user: what is full and what to do

  // 429 quota_exceeded for the jobs and uploads quotas (they free up as work finishes), 409
  // quota_exceeded for stored bytes (delete something first); "quota", "limit" and "used" in
  // the error object.
  ApiError ToError() const;
};

// Whether the user may queue one more job (quota_max_active_jobs: jobs queued or running).
Result<std::optional<QuotaExceeded>> CheckActiveJobsQuota(store::Database& tx,
                                                          const ApiServerOptions& options,
                                                          const std::string& user_id);

// Whether the user may open one more upload or URL import of `new_bytes` bytes (0 when unknown):
// quota_max_open_uploads (VODs still uploading or importing) and quota_max_stored_bytes (the
// media of every VOD, counting an unfinished upload at its announced size).
Result<std::optional<QuotaExceeded>> CheckUploadQuotas(store::Database& tx,
                                                       const ApiServerOptions& options,
                                                       const std::string& user_id,
                                                       std::int64_t new_bytes);

}  // namespace clipthat::api
