// JobRepository: reads of the `jobs` table for users and workers (the queue itself, with its
// leases, is store::JobQueue).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/pagination.h"
#include "core/result.h"
#include "store/database.h"

namespace clipthat::api {

struct JobRecord {
  std::string id;
  std::string user_id;
  std::string kind;    // "analyze" | "render" | "live"
  std::string status;  // "queued" | "running" | "succeeded" | "failed" | "cancelled"
  std::optional<std::string> vod_id;
  std::optional<std::string> clip_id;
  std::string params;  // JSON text
  double progress = 0;
  std::optional<std::string> stage;
  std::optional<std::string> error;
  std::int64_t attempts = 0;
  std::int64_t max_attempts = 0;
  std::optional<std::string> lease_owner;
  std::optional<std::int64_t> lease_expires_at_ms;
  std::optional<std::string> result;   // JSON text
  std::optional<std::string> timings;  // JSON text
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::optional<std::int64_t> started_at_ms;
  std::optional<std::int64_t> finished_at_ms;

  bool terminal() const {
    return status == "succeeded" || status == "failed" || status == "cancelled";
  }
  nlohmann::json ToJson() const;  // the API's representation (no lease owner)
};

class JobRepository {
 public:
  explicit JobRepository(store::Database& db) : db_(db) {}

  Result<std::optional<JobRecord>> Get(const std::string& id, const std::string& user_id);
  Result<std::optional<JobRecord>> GetAnyUser(const std::string& id);
  // Newest first; `kind` filters when not empty ("live": the live jobs).
  Result<std::vector<JobRecord>> List(const std::string& user_id, const PageRequest& page,
                                      std::optional<std::string>* next_cursor,
                                      const std::string& kind = "");

 private:
  store::Database& db_;
};

}  // namespace clipthat::api
