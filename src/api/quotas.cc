#include "api/quotas.h"

#include "api/api_server.h"

namespace clipthat::api {

ApiError QuotaExceeded::ToError() const {
  const bool bytes = quota == "api.quota.max_stored_bytes";
  ApiError e(bytes ? 409 : 429, "quota_exceeded", message);
  e.fields = {{"quota", quota}, {"limit", limit}, {"used", used}};
  return e;
}

Result<std::optional<QuotaExceeded>> CheckActiveJobsQuota(store::Database& tx,
                                                          const ApiServerOptions& options,
                                                          const std::string& user_id) {
  const std::int64_t limit = options.quota_max_active_jobs;
  if (limit <= 0) return std::optional<QuotaExceeded>();
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) AS n FROM jobs WHERE user_id = $1 AND "
                                       "status IN ('queued', 'running')",
                                       {user_id}));
  const std::int64_t used = rows.empty() ? 0 : rows[0].Int("n");
  if (used < limit) return std::optional<QuotaExceeded>();
  return std::optional<QuotaExceeded>(
      QuotaExceeded{.quota = "api.quota.max_active_jobs",
                    .limit = limit,
                    .used = used,
                    .message = "quota reached: at most " + std::to_string(limit) +
                               " jobs queued or running per user; retry when some have finished"});
}

Result<std::optional<QuotaExceeded>> CheckUploadQuotas(store::Database& tx,
                                                       const ApiServerOptions& options,
                                                       const std::string& user_id,
                                                       std::int64_t new_bytes) {
  const std::int64_t max_open = options.quota_max_open_uploads;
  const std::int64_t max_bytes = options.quota_max_stored_bytes;
  if (max_open <= 0 && max_bytes <= 0) return std::optional<QuotaExceeded>();
  ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT COALESCE(SUM(CASE WHEN status = 'uploading' THEN 1 ELSE 0 END), 0) AS open, "
               "COALESCE(SUM(CASE WHEN status = 'uploading' AND size_bytes > received_bytes THEN "
               "size_bytes ELSE received_bytes END), 0) AS bytes FROM vods WHERE user_id = $1",
               {user_id}));
  const std::int64_t open = rows.empty() ? 0 : rows[0].Int("open");
  const std::int64_t bytes = rows.empty() ? 0 : rows[0].Int("bytes");
  if (max_open > 0 && open >= max_open) {
    return std::optional<QuotaExceeded>(QuotaExceeded{
        .quota = "api.quota.max_open_uploads",
        .limit = max_open,
        .used = open,
        .message = "quota reached: at most " + std::to_string(max_open) +
                   " uploads or imports in progress per user; finish or delete one first"});
  }
  if (max_bytes > 0 && bytes + new_bytes > max_bytes) {
    return std::optional<QuotaExceeded>(
        QuotaExceeded{.quota = "api.quota.max_stored_bytes",
                      .limit = max_bytes,
                      .used = bytes,
                      .message = "quota reached: at most " + std::to_string(max_bytes) +
                                 " bytes of VOD media per user (" + std::to_string(bytes) +
                                 " stored or announced); delete VODs first"});
  }
  return std::optional<QuotaExceeded>();
}

}  // namespace clipthat::api
