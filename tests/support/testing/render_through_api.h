// One clip rendered the way production renders it, for tests and benchmarks: a real ApiServer
// (SQLite, a local object store) on loopback, a user who uploads a VOD and asks for a clip of
// [start_ms, end_ms) and has it rendered, and one in-process worker (worker::RunWorker) whose
// render handler runs render::RenderClip on the job's media, as `clipthat worker` does. The object
// store is wrapped to count the bytes the server read of the VOD's media for the worker, which is
// what it sent.
//
//   ASSIGN_OR_RETURN(RenderThroughApiResult run,
//                    RenderThroughApi(vod, 60000, 90000, worker::RenderMediaAccess::kRanged,
//                                     dir));
//   // run.media_bytes_sent, run.clip_path
//
// Header-only; links clipthat_api, clipthat_worker, clipthat_render.
#pragma once

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stop_token>
#include <string>
#include <thread>

#include "api/api_keys.h"
#include "api/api_server.h"
#include "core/files.h"
#include "core/result.h"
#include "core/time_units.h"
#include "formats/edit_list.h"
#include "render/clip_renderer.h"
#include "store/database.h"
#include "store/object_store.h"
#include "store/testing/test_database.h"
#include "worker/worker.h"

namespace clipthat::testing {

// A LocalObjectStore that counts the bytes read of objects whose key holds "/media".
class MediaCountingStore : public store::ObjectStore {
 public:
  explicit MediaCountingStore(std::unique_ptr<store::LocalObjectStore> inner)
      : inner_(std::move(inner)) {}
  Result<std::int64_t> Put(std::string_view key, const store::ByteSource& source) override {
    return inner_->Put(key, source);
  }
  Result<std::int64_t> Append(std::string_view key, std::int64_t offset,
                              std::string_view bytes) override {
    return inner_->Append(key, offset, bytes);
  }
  Result<std::int64_t> Size(std::string_view key) override { return inner_->Size(key); }
  Status Read(std::string_view key, std::int64_t offset, std::int64_t length,
              const store::ByteSink& sink) override {
    const bool media = key.find("/media") != std::string_view::npos;
    return inner_->Read(key, offset, length, [&](std::string_view chunk) {
      Status st = sink(chunk);
      if (st.ok() && media) media_bytes_read += static_cast<std::int64_t>(chunk.size());
      return st;
    });
  }
  Status Remove(std::string_view key) override { return inner_->Remove(key); }
  Status RemovePrefix(std::string_view prefix) override { return inner_->RemovePrefix(prefix); }

  std::atomic<std::int64_t> media_bytes_read{0};

 private:
  std::unique_ptr<store::LocalObjectStore> inner_;
};

struct RenderThroughApiResult {
  std::int64_t media_bytes_sent = 0;  // bytes of the VOD the server sent to the worker
  std::int64_t vod_bytes = 0;         // the VOD's size
  std::string clip_path;              // the rendered clip, downloaded through the API
  double render_seconds = 0;          // from the worker's lease to the clip being ready
};

namespace internal {

inline Result<nlohmann::json> CallJson(httplib::Client& client, const std::string& method,
                                       const std::string& path, const std::string& token,
                                       const std::string& body, httplib::Headers headers = {},
                                       const std::string& content_type = "application/json") {
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  httplib::Result r = method == "POST"  ? client.Post(path, headers, body, content_type)
                      : method == "PUT" ? client.Put(path, headers, body, content_type)
                                        : client.Get(path, headers);
  if (!r) return UnavailableError(method + " " + path + ": " + httplib::to_string(r.error()));
  if (r->status < 200 || r->status >= 300) {
    return InternalError(method + " " + path + ": HTTP " + std::to_string(r->status) + ": " +
                         r->body.substr(0, 300));
  }
  if (r->body.empty()) return nlohmann::json::object();
  nlohmann::json parsed = nlohmann::json::parse(r->body, nullptr, false);
  if (parsed.is_discarded()) return nlohmann::json{{"raw", r->body}};
  return parsed;
}

}  // namespace internal

// The render handler of `clipthat worker`, reduced to what a clip needs: the job's edit list on
// the job's media, rendered, the clip uploaded.
inline worker::JobHandler ClipRenderHandler() {
  namespace fs = std::filesystem;
  return [](const worker::JobContext& ctx) -> Result<worker::JobOutput> {
    nlohmann::json edit_json = ctx.job.params["edit_list"];
    edit_json["source"] = ctx.media_path;
    ASSIGN_OR_RETURN(formats::EditList edit, formats::EditListFromJson(edit_json, "edit_list"));
    render::RenderSettings settings;
    settings.write_thumbnail = true;
    settings.preset = "ultrafast";
    ASSIGN_OR_RETURN(
        render::RenderResult rendered,
        render::RenderClip(edit, "edit_list", ctx.scratch_dir + "/clip.mp4", settings));
    worker::JobOutput output;
    output.files.push_back({"clip.mp4", rendered.path, "video/mp4"});
    output.files.push_back({"thumb.jpg", rendered.thumbnail_path, "image/jpeg"});
    std::error_code ec;
    output.result = {{"output_key", "clips/" + ctx.job.clip_id + "/clip.mp4"},
                     {"thumbnail_key", "clips/" + ctx.job.clip_id + "/thumb.jpg"},
                     {"duration_ms", rendered.duration_ms},
                     {"size_bytes", static_cast<std::int64_t>(fs::file_size(rendered.path, ec))}};
    return output;
  };
}

// `edit_list` holds the clip's fields other than start_ms and end_ms (output, layout, ...).
inline Result<RenderThroughApiResult> RenderThroughApi(
    const std::filesystem::path& vod, TimeMs start_ms, TimeMs end_ms,
    worker::RenderMediaAccess access, const std::filesystem::path& work_dir,
    nlohmann::json edit_list = nlohmann::json::object()) {
  namespace fs = std::filesystem;
  ASSIGN_OR_RETURN(auto db,
                   store::testing::TestDatabase::Create(store::testing::Backend::kSqlite, 8));
  RETURN_IF_ERROR(store::Migrate(db->db()));
  ASSIGN_OR_RETURN(auto local, store::LocalObjectStore::Open((work_dir / "objects").string()));
  MediaCountingStore objects(std::move(local));
  api::ApiServerOptions options;
  options.port = 0;
  options.threads = 8;
  options.jwt_secret = "render-through-api-secret-render-through-api-secret";
  options.password_cost = api::PasswordCost::kMinimum;
  api::ApiServer server(options, db->db(), objects, Logger());
  RETURN_IF_ERROR(server.Start());
  struct StopServer {
    api::ApiServer& server;
    ~StopServer() { server.Stop(); }
  } stop_server{server};
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(60, 0);
  client.set_write_timeout(60, 0);

  ASSIGN_OR_RETURN(
      nlohmann::json signup,
      internal::CallJson(
          client, "POST", "/v1/auth/signup", "",
          nlohmann::json{{"email", "render@example.com"}, {"password", "password-123"}}.dump()));
  const std::string token = signup.value("token", "");
  ASSIGN_OR_RETURN(std::string media, ReadFileToString(vod));
  ASSIGN_OR_RETURN(nlohmann::json created,
                   internal::CallJson(client, "POST", "/v1/vods", token,
                                      nlohmann::json{{"title", "stream"},
                                                     {"size_bytes", media.size()},
                                                     {"filename", vod.filename().string()}}
                                          .dump()));
  const std::string vod_id = created["id"];
  constexpr std::size_t kChunkBytes = 8 << 20;
  for (std::size_t at = 0; at < media.size(); at += kChunkBytes) {
    const std::string chunk = media.substr(at, kChunkBytes);
    RETURN_IF_ERROR(
        internal::CallJson(client, "PUT", "/v1/vods/" + vod_id + "/media", token, chunk,
                           {{"Content-Range", "bytes " + std::to_string(at) + "-" +
                                                  std::to_string(at + chunk.size() - 1) + "/" +
                                                  std::to_string(media.size())}},
                           "application/octet-stream")
            .status());
  }
  edit_list["start_ms"] = start_ms;
  edit_list["end_ms"] = end_ms;
  ASSIGN_OR_RETURN(
      nlohmann::json clip,
      internal::CallJson(client, "POST", "/v1/clips", token,
                         nlohmann::json{{"vod_id", vod_id}, {"edit_list", edit_list}}.dump()));
  const std::string clip_id = clip["id"];
  RETURN_IF_ERROR(
      internal::CallJson(client, "POST", "/v1/clips/" + clip_id + "/render", token, "").status());
  ASSIGN_OR_RETURN(std::string worker_key, api::CreateWorkerKey(db->db(), "render-through-api"));

  objects.media_bytes_read = 0;  // from here on, only the worker reads the media
  worker::JobHandlers handlers;
  handlers.render = ClipRenderHandler();
  worker::WorkerOptions worker_options;
  worker_options.api_url = "http://127.0.0.1:" + std::to_string(server.port());
  worker_options.api_key = worker_key;
  worker_options.roles = {"render"};
  worker_options.render_media = access;
  worker_options.scratch_dir = work_dir.string();
  worker_options.idle_poll_min_ms = 20;
  worker_options.idle_poll_max_ms = 100;
  worker_options.log = Logger(std::make_shared<StderrSink>(LogFormat::kHuman), LogLevel::kInfo);
  std::stop_source stop;
  Status worker_status;
  const auto started = std::chrono::steady_clock::now();
  std::jthread worker_thread(
      [&] { worker_status = worker::RunWorker(worker_options, handlers, stop.get_token()); });
  std::string status = "rendering";
  nlohmann::json state;
  for (int i = 0; i < 2400 && (status == "rendering" || status == "pending");
       ++i) {  // 4 minutes at most
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSIGN_OR_RETURN(state, internal::CallJson(client, "GET", "/v1/clips/" + clip_id, token, ""));
    status = state.value("status", "");
  }
  RenderThroughApiResult result;
  result.render_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  stop.request_stop();
  worker_thread.join();
  RETURN_IF_ERROR(worker_status);
  if (status != "ready") return InternalError("clip " + clip_id + " ended " + state.dump());
  result.media_bytes_sent = objects.media_bytes_read.load();
  result.vod_bytes = static_cast<std::int64_t>(media.size());
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  httplib::Result download = client.Get("/v1/clips/" + clip_id + "/download", auth);
  if (!download || download->status != 200) {
    return InternalError("GET /v1/clips/" + clip_id + "/download failed");
  }
  result.clip_path = (work_dir / ("clip-" + clip_id + ".mp4")).string();
  RETURN_IF_ERROR(WriteFileAtomically(result.clip_path, download->body));
  return result;
}

}  // namespace clipthat::testing
