// WorkerApiClient: the worker's side of the worker HTTP API (`/v1/worker/...`, served by
// `clipthat serve`): lease, heartbeat, complete, fail, release, and streamed file transfers.
// Requests carry "Authorization: Bearer <worker key>".
//
// Errors map the HTTP answer to a Status that names the request ("POST /v1/worker/lease: ..."):
//   409 -> kConflict (the lease was lost: the worker abandons the job), 404 -> kNotFound,
//   402 -> kResourceExhausted (the user's credits ran out),
//   401 -> kUnauthenticated, 403 -> kPermissionDenied, other 4xx -> kInvalidArgument,
//   5xx, timeouts and connection errors -> kUnavailable (the caller may retry).
// Not thread-safe: use one client per thread (each holds its own connection).
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace httplib {
class Client;
}

namespace clipthat::worker {

// A leased job as the API hands it out.
struct LeasedJob {
  std::string id;
  std::string kind;
  int attempt = 0;
  std::string user_id;
  std::string vod_id;
  std::string clip_id;
  nlohmann::json params = nlohmann::json::object();
  std::int64_t lease_expires_at_ms = 0;
  // Live jobs: the first 0-based minute of monitoring not charged yet (an earlier attempt may
  // have charged some).
  std::int64_t live_next_minute = 0;
};

struct ApiClientOptions {
  std::string api_url;  // "http://host:port"
  std::string api_key;  // worker-scoped key
  int connect_timeout_ms = 5000;
  int timeout_ms = 60000;  // per read/write while transferring
};

class WorkerApiClient {
 public:
  // InvalidArgument when the URL is not http(s)://host[:port].
  static Result<std::unique_ptr<WorkerApiClient>> Create(const ApiClientOptions& options);
  ~WorkerApiClient();
  WorkerApiClient(const WorkerApiClient&) = delete;
  WorkerApiClient& operator=(const WorkerApiClient&) = delete;

  // nullopt when nothing is queued (204).
  Result<std::optional<LeasedJob>> Lease(std::string_view worker_id,
                                         const std::vector<std::string>& roles,
                                         std::int64_t lease_ms);
  // Renews the lease for lease_ms more; returns the new expiry (ms since the epoch).
  // `progress` 0..1.
  Result<std::int64_t> Heartbeat(const LeasedJob& job, std::string_view worker_id, double progress,
                                 std::string_view stage, std::int64_t lease_ms);
  Status Complete(const LeasedJob& job, std::string_view worker_id, const nlohmann::json& result);
  Status Fail(const LeasedJob& job, std::string_view worker_id, std::string_view error,
              bool retryable);
  Status Release(const LeasedJob& job, std::string_view worker_id);

  // Downloads the job's file `name` ("media", "chat") to `path`, resuming with a Range request
  // after a broken transfer. Returns the Content-Type. kNotFound when there is no such file.
  Result<std::string> Download(const LeasedJob& job, std::string_view worker_id,
                               std::string_view name, const std::string& path);
  // Reads bytes [offset_bytes, offset_bytes + length_bytes) of the job's file `name` ("media")
  // with one Range request (retried after a broken transfer, a timeout or a 5xx, up to 4 tries)
  // into `out`, replacing its contents; shorter than asked only at the end of the file, empty at
  // or past it. Returns the file's total size in bytes (from Content-Range). Unsupported when
  // the server ignores Range (answers 200); DataError for a malformed Content-Range.
  Result<std::int64_t> ReadRange(const LeasedJob& job, std::string_view worker_id,
                                 std::string_view name, std::int64_t offset_bytes,
                                 std::int64_t length_bytes, std::string* out);
  // Uploads `path` as the job's file `name` ("clip.mp4", "thumb.jpg"), streamed.
  Status Upload(const LeasedJob& job, std::string_view worker_id, std::string_view name,
                const std::string& path, std::string_view content_type);

  // Live jobs. Charges 0-based minute `minute` of monitoring (once per minute, however often it
  // is sent); returns the balance left. kResourceExhausted when the credits ran out.
  Result<std::int64_t> ChargeLiveMinute(const LeasedJob& job, std::string_view worker_id,
                                        std::int64_t minute);
  // Records a clip the session cut; returns its id. Upload its files next, the thumbnail first:
  // clip.mp4 makes it ready.
  Result<std::string> CreateLiveClip(const LeasedJob& job, std::string_view worker_id,
                                     std::int64_t start_ms, std::int64_t end_ms,
                                     std::string_view reason);
  Status UploadLiveClipFile(const LeasedJob& job, std::string_view worker_id,
                            std::string_view clip_id, std::string_view name,
                            const std::string& path, std::string_view content_type);

  const std::string& api_url() const { return options_.api_url; }

 private:
  explicit WorkerApiClient(ApiClientOptions options);
  Result<nlohmann::json> PostJson(const std::string& path, const nlohmann::json& body,
                                  int* status_out);
  std::string FileQuery(const LeasedJob& job, std::string_view worker_id) const;
  // PUTs the file at `path` to `target` (path and query), streamed.
  Status PutFile(const std::string& target, const std::string& path, std::string_view content_type);

  ApiClientOptions options_;
  std::unique_ptr<httplib::Client> http_;
};

// The parts of a Content-Range answer header: "bytes FIRST-LAST/TOTAL" (satisfied) or
// "bytes */TOTAL" (416; first = last = -1). nullopt when malformed, when FIRST is past the end or
// the total is unknown ("*"); a LAST past the end (as cpp-httplib servers send when the request
// asked past it) is clamped to TOTAL - 1.
struct ContentRange {
  std::int64_t first_byte = -1;
  std::int64_t last_byte = -1;
  std::int64_t total_bytes = 0;
};
std::optional<ContentRange> ParseContentRange(std::string_view header);

// Parses a lease answer's "job" object; DataError names the missing field.
Result<LeasedJob> LeasedJobFromJson(const nlohmann::json& job);

}  // namespace clipthat::worker
