#include "worker/api_client.h"

#include <httplib.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/json_document.h"

namespace clipthat::worker {
namespace {

constexpr int kDownloadTries = 4;
constexpr std::size_t kUploadChunkBytes = 256 * 1024;
constexpr std::size_t kMaxErrorBodyBytes = 4096;

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

// The server's {"error": {"message"}} when there is one, else the start of the body.
std::string ServerMessage(const std::string& body) {
  Result<nlohmann::json> doc = ParseJsonDocument(body, "answer");
  const nlohmann::json parsed = doc.ok() ? std::move(doc).value() : nlohmann::json();
  if (parsed.is_object() && parsed.contains("error")) {
    const auto& error = parsed["error"];
    if (error.is_object() && error.contains("message") && error["message"].is_string()) {
      return error["message"].get<std::string>();
    }
    if (error.is_string()) return error.get<std::string>();
  }
  return body.substr(0, 200);
}

Status HttpError(std::string_view what, int status, const std::string& body) {
  const std::string message =
      std::string(what) + ": HTTP " + std::to_string(status) + ": " + ServerMessage(body);
  switch (status) {
    case 402: return ResourceExhaustedError(message);  // the user's credits ran out
    case 409: return ConflictError(message);
    case 404: return NotFoundError(message);
    case 401: return UnauthenticatedError(message);
    case 403: return PermissionDeniedError(message);
    default: break;
  }
  if (status >= 400 && status < 500 && status != 408 && status != 429) {
    return InvalidArgumentError(message);
  }
  return UnavailableError(message);
}

Status TransportError(std::string_view what, const std::string& url, httplib::Error error) {
  return UnavailableError(std::string(what) + ": " + url + ": " + httplib::to_string(error));
}

}  // namespace

Result<LeasedJob> LeasedJobFromJson(const nlohmann::json& job) {
  if (!job.is_object()) return DataError("lease answer: \"job\" is not an object");
  LeasedJob out;
  try {
    out.id = job.at("id").get<std::string>();
    out.kind = job.at("kind").get<std::string>();
    out.attempt = job.at("attempt").get<int>();
    auto text = [&](const char* key) {
      return job.contains(key) && job[key].is_string() ? job[key].get<std::string>() : "";
    };
    out.user_id = text("user_id");
    out.vod_id = text("vod_id");
    out.clip_id = text("clip_id");
    if (job.contains("params") && job["params"].is_object()) out.params = job["params"];
    if (job.contains("lease_expires_at_ms") && job["lease_expires_at_ms"].is_number()) {
      out.lease_expires_at_ms = job["lease_expires_at_ms"].get<std::int64_t>();
    }
    const nlohmann::json::json_pointer next_minute("/live/next_minute");
    if (job.contains(next_minute) && job[next_minute].is_number_integer()) {
      out.live_next_minute = job[next_minute].get<std::int64_t>();
    }
  } catch (const nlohmann::json::exception& e) {
    return DataError(std::string("lease answer: ") + e.what());
  }
  if (out.id.empty()) return DataError("lease answer: job id is empty");
  return out;
}

WorkerApiClient::WorkerApiClient(ApiClientOptions options) : options_(std::move(options)) {}
WorkerApiClient::~WorkerApiClient() = default;

Result<std::unique_ptr<WorkerApiClient>> WorkerApiClient::Create(const ApiClientOptions& options) {
  ApiClientOptions o = options;
  while (!o.api_url.empty() && o.api_url.back() == '/') o.api_url.pop_back();
  if (o.api_url.rfind("http://", 0) != 0 && o.api_url.rfind("https://", 0) != 0) {
    return InvalidArgumentError("--api " + options.api_url + ": expected http://host:port");
  }
  if (o.api_key.empty()) return InvalidArgumentError("--key: the worker API key is empty");
  auto client = std::unique_ptr<WorkerApiClient>(new WorkerApiClient(o));
  client->http_ = std::make_unique<httplib::Client>(o.api_url);
  if (!client->http_->is_valid()) {
    return InvalidArgumentError("--api " + options.api_url + ": not a usable URL");
  }
  client->http_->set_bearer_token_auth(o.api_key);
  client->http_->set_connection_timeout(std::chrono::milliseconds(o.connect_timeout_ms));
  client->http_->set_read_timeout(std::chrono::milliseconds(o.timeout_ms));
  client->http_->set_write_timeout(std::chrono::milliseconds(o.timeout_ms));
  client->http_->set_keep_alive(true);
  client->http_->set_decompress(
      false);  // never ask for compressed answers: media is already compressed
  return client;
}

Result<nlohmann::json> WorkerApiClient::PostJson(const std::string& path,
                                                 const nlohmann::json& body, int* status_out) {
  const std::string what = "POST " + path;
  httplib::Result res = http_->Post(path, body.dump(), "application/json");
  if (!res) return TransportError(what, options_.api_url, res.error());
  if (status_out != nullptr) *status_out = res->status;
  if (res->status == 204) return nlohmann::json();
  if (res->status < 200 || res->status >= 300) return HttpError(what, res->status, res->body);
  if (res->body.empty()) return nlohmann::json::object();
  Result<nlohmann::json> parsed = ParseJsonDocument(res->body, what + ": the answer");
  if (!parsed.ok()) return DataError(parsed.status().message());
  return parsed;
}

Result<std::optional<LeasedJob>> WorkerApiClient::Lease(std::string_view worker_id,
                                                        const std::vector<std::string>& roles,
                                                        std::int64_t lease_ms) {
  int status = 0;
  ASSIGN_OR_RETURN(
      nlohmann::json answer,
      PostJson("/v1/worker/lease",
               {{"worker_id", worker_id}, {"roles", roles}, {"lease_ms", lease_ms}}, &status));
  if (status == 204 || answer.is_null() || !answer.contains("job") || answer["job"].is_null()) {
    return std::optional<LeasedJob>();
  }
  ASSIGN_OR_RETURN(LeasedJob job, LeasedJobFromJson(answer["job"]));
  return std::optional<LeasedJob>(std::move(job));
}

Result<std::int64_t> WorkerApiClient::Heartbeat(const LeasedJob& job, std::string_view worker_id,
                                                double progress, std::string_view stage,
                                                std::int64_t lease_ms) {
  // The renewal asks for the lease length the worker leased with: without it the API renews
  // for its default (30 s), and a dead worker's job waits that long for another.
  nlohmann::json body = {{"worker_id", worker_id},
                         {"attempt", job.attempt},
                         {"progress", progress},
                         {"lease_ms", lease_ms}};
  if (!stage.empty()) body["stage"] = stage;
  ASSIGN_OR_RETURN(nlohmann::json answer,
                   PostJson("/v1/worker/jobs/" + job.id + "/heartbeat", body, nullptr));
  if (answer.is_object() && answer.contains("lease_expires_at_ms") &&
      answer["lease_expires_at_ms"].is_number()) {
    return answer["lease_expires_at_ms"].get<std::int64_t>();
  }
  return std::int64_t{0};
}

Status WorkerApiClient::Complete(const LeasedJob& job, std::string_view worker_id,
                                 const nlohmann::json& result) {
  return PostJson("/v1/worker/jobs/" + job.id + "/complete",
                  {{"worker_id", worker_id}, {"attempt", job.attempt}, {"result", result}}, nullptr)
      .status();
}

Status WorkerApiClient::Fail(const LeasedJob& job, std::string_view worker_id,
                             std::string_view error, bool retryable) {
  return PostJson("/v1/worker/jobs/" + job.id + "/fail",
                  {{"worker_id", worker_id},
                   {"attempt", job.attempt},
                   {"error", error},
                   {"retryable", retryable}},
                  nullptr)
      .status();
}

Status WorkerApiClient::Release(const LeasedJob& job, std::string_view worker_id) {
  return PostJson("/v1/worker/jobs/" + job.id + "/release",
                  {{"worker_id", worker_id}, {"attempt", job.attempt}}, nullptr)
      .status();
}

std::string WorkerApiClient::FileQuery(const LeasedJob& job, std::string_view worker_id) const {
  return "?worker_id=" + PercentEncode(worker_id) + "&attempt=" + std::to_string(job.attempt);
}

Result<std::string> WorkerApiClient::Download(const LeasedJob& job, std::string_view worker_id,
                                              std::string_view name, const std::string& path) {
  const std::string target =
      "/v1/worker/jobs/" + job.id + "/files/" + std::string(name) + FileQuery(job, worker_id);
  const std::string what = "GET " + target.substr(0, target.find('?'));
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return IoError(what + ": cannot write " + path);
  std::int64_t received = 0;
  std::string content_type;
  Status last;
  for (int attempt = 0; attempt < kDownloadTries; ++attempt) {
    httplib::Headers headers;
    if (received > 0) headers.emplace("Range", "bytes=" + std::to_string(received) + "-");
    int status = 0;
    std::string error_body;
    bool write_failed = false;
    httplib::Result res = http_->Get(
        target, headers,
        [&](const httplib::Response& response) {
          status = response.status;
          if (status == 200 && received > 0) {
            // The server ignored the Range: start over.
            out.close();
            out.open(path, std::ios::binary | std::ios::trunc);
            received = 0;
          }
          if (status == 200 || status == 206) {
            content_type = response.get_header_value("Content-Type");
          }
          return true;
        },
        [&](const char* data, std::size_t size) {
          if (status != 200 && status != 206) {
            if (error_body.size() < kMaxErrorBodyBytes) error_body.append(data, size);
            return true;
          }
          out.write(data, static_cast<std::streamsize>(size));
          if (!out) {
            write_failed = true;
            return false;
          }
          received += static_cast<std::int64_t>(size);
          return true;
        });
    if (write_failed) return IoError(what + ": writing " + path + " failed");
    if (res && (res->status == 200 || res->status == 206)) {
      out.close();
      if (!out) return IoError(what + ": writing " + path + " failed");
      return content_type;
    }
    if (res) {
      last = HttpError(what, res->status, error_body);
      if (last.code() != StatusCode::kUnavailable) return last;  // 4xx: retrying will not help
    } else {
      last = TransportError(what, options_.api_url, res.error());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
  }
  return last;
}

std::optional<ContentRange> ParseContentRange(std::string_view header) {
  constexpr std::string_view kUnit = "bytes ";
  if (!header.starts_with(kUnit)) return std::nullopt;
  header.remove_prefix(kUnit.size());
  const std::size_t slash = header.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view digits) -> std::optional<std::int64_t> {
    std::int64_t value = 0;
    const char* end = digits.data() + digits.size();
    if (digits.empty() || digits.front() == '-') return std::nullopt;
    const auto [stop, error] = std::from_chars(digits.data(), end, value);
    if (error != std::errc() || stop != end) return std::nullopt;
    return value;
  };

  ContentRange range;
  const std::optional<std::int64_t> total = number(header.substr(slash + 1));
  if (!total) return std::nullopt;
  range.total_bytes = *total;
  const std::string_view span = header.substr(0, slash);
  if (span == "*") return range;
  const std::size_t dash = span.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = number(span.substr(0, dash)), last = number(span.substr(dash + 1));
  if (!first || !last || *last < *first || *first >= range.total_bytes) return std::nullopt;
  range.first_byte = *first;
  // cpp-httplib repeats an asked-for end past the file's end; the bytes sent stop at the end.
  range.last_byte = std::min(*last, range.total_bytes - 1);
  return range;
}

Result<std::int64_t> WorkerApiClient::ReadRange(const LeasedJob& job, std::string_view worker_id,
                                                std::string_view name, std::int64_t offset_bytes,
                                                std::int64_t length_bytes, std::string* out) {
  const std::string target =
      "/v1/worker/jobs/" + job.id + "/files/" + std::string(name) + FileQuery(job, worker_id);
  const std::string range =
      "bytes=" + std::to_string(offset_bytes) + "-" +
      std::to_string(offset_bytes + std::max<std::int64_t>(length_bytes, 1) - 1);
  // Names the request without its query (the lease), never the key.
  const std::string what =
      "GET " + options_.api_url + target.substr(0, target.find('?')) + " (" + range + ")";
  out->clear();
  if (length_bytes <= 0) return InvalidArgumentError(what + ": empty range");
  Status last;
  for (int attempt = 0; attempt < kDownloadTries; ++attempt) {
    out->clear();
    int status = 0;
    std::string error_body;
    httplib::Result res = http_->Get(
        target, httplib::Headers{{"Range", range}},
        [&](const httplib::Response& response) {
          status = response.status;
          return status != 200;  // the whole file is not what was asked for: stop reading it
        },
        [&](const char* data, std::size_t size) {
          if (status != 206) {
            if (error_body.size() < kMaxErrorBodyBytes) error_body.append(data, size);
            return true;
          }
          out->append(data, size);
          return out->size() <= static_cast<std::size_t>(length_bytes);
        });
    if (status == 200) {
      return UnsupportedError(what + ": the server ignored the Range header (answered 200)");
    }
    if (res && (res->status == 206 || res->status == 416)) {
      const auto content_range = ParseContentRange(res->get_header_value("Content-Range"));
      if (!content_range) {
        return DataError(what + ": bad Content-Range \"" + res->get_header_value("Content-Range") +
                         "\"");
      }
      if (res->status == 416) {
        out->clear();  // the offset is at or past the end
        return content_range->total_bytes;
      }
      const std::int64_t want = std::min(length_bytes, content_range->total_bytes - offset_bytes);
      if (content_range->first_byte != offset_bytes ||
          static_cast<std::int64_t>(out->size()) != want) {
        return DataError(what + ": the answer holds bytes " +
                         std::to_string(content_range->first_byte) + "-" +
                         std::to_string(content_range->last_byte) + " (" +
                         std::to_string(out->size()) + " received)");
      }
      return content_range->total_bytes;
    }
    if (res) {
      last = HttpError(what, res->status, error_body);
      if (last.code() != StatusCode::kUnavailable) return last;  // 4xx: retrying will not help
    } else {
      last = UnavailableError(what + ": " + httplib::to_string(res.error()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
  }
  return last;
}

Status WorkerApiClient::Upload(const LeasedJob& job, std::string_view worker_id,
                               std::string_view name, const std::string& path,
                               std::string_view content_type) {
  return PutFile(
      "/v1/worker/jobs/" + job.id + "/files/" + std::string(name) + FileQuery(job, worker_id), path,
      content_type);
}

Result<std::int64_t> WorkerApiClient::ChargeLiveMinute(const LeasedJob& job,
                                                       std::string_view worker_id,
                                                       std::int64_t minute) {
  ASSIGN_OR_RETURN(
      nlohmann::json answer,
      PostJson("/v1/worker/jobs/" + job.id + "/live-minute",
               {{"worker_id", worker_id}, {"attempt", job.attempt}, {"minute", minute}}, nullptr));
  if (answer.is_object() && answer.contains("balance") && answer["balance"].is_number_integer()) {
    return answer["balance"].get<std::int64_t>();
  }
  return DataError("POST /v1/worker/jobs/" + job.id + "/live-minute: no balance in the answer");
}

Result<std::string> WorkerApiClient::CreateLiveClip(const LeasedJob& job,
                                                    std::string_view worker_id,
                                                    std::int64_t start_ms, std::int64_t end_ms,
                                                    std::string_view reason) {
  const std::string path = "/v1/worker/jobs/" + job.id + "/live-clips";
  ASSIGN_OR_RETURN(nlohmann::json answer, PostJson(path,
                                                   {{"worker_id", worker_id},
                                                    {"attempt", job.attempt},
                                                    {"start_ms", start_ms},
                                                    {"end_ms", end_ms},
                                                    {"reason", reason}},
                                                   nullptr));
  if (answer.is_object() && answer.contains("clip_id") && answer["clip_id"].is_string()) {
    return answer["clip_id"].get<std::string>();
  }
  return DataError("POST " + path + ": no clip_id in the answer");
}

Status WorkerApiClient::UploadLiveClipFile(const LeasedJob& job, std::string_view worker_id,
                                           std::string_view clip_id, std::string_view name,
                                           const std::string& path, std::string_view content_type) {
  return PutFile("/v1/worker/jobs/" + job.id + "/live-clips/" + PercentEncode(clip_id) + "/files/" +
                     std::string(name) + FileQuery(job, worker_id),
                 path, content_type);
}

Status WorkerApiClient::PutFile(const std::string& target, const std::string& path,
                                std::string_view content_type) {
  const std::string what = "PUT " + target.substr(0, target.find('?'));
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return IoError(what + ": " + path + ": " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(what + ": cannot read " + path);
  std::vector<char> buffer(kUploadChunkBytes);
  bool read_failed = false;
  httplib::Result res = http_->Put(
      target, httplib::Headers{}, static_cast<std::size_t>(size),
      [&](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        in.seekg(static_cast<std::streamoff>(offset));
        const std::size_t want = std::min(length, buffer.size());
        in.read(buffer.data(), static_cast<std::streamsize>(want));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) {
          read_failed = true;
          return false;
        }
        return sink.write(buffer.data(), got);
      },
      std::string(content_type));
  if (read_failed) return IoError(what + ": reading " + path + " failed");
  if (!res) return TransportError(what, options_.api_url, res.error());
  if (res->status < 200 || res->status >= 300) return HttpError(what, res->status, res->body);
  return Status::Ok();
}

}  // namespace clipthat::worker
