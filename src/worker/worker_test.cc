#include "worker/worker.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/files.h"
#include "media/remote_input.h"

namespace clipthat::worker {
namespace {

// A stand-in for the API's worker routes, speaking the same wire format: it hands out one job,
// serves its media, and records every report.
class StubApi {
 public:
  StubApi() {
    server_.Post("/v1/worker/lease", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      if (req.get_header_value("Authorization") != "Bearer good-key") {
        res.status = 401;
        res.set_content(R"({"error":{"code":"unauthenticated","message":"bad key"}})",
                        "application/json");
        return;
      }
      auto body = nlohmann::json::parse(req.body);
      worker_id = body["worker_id"];
      roles = body["roles"].get<std::vector<std::string>>();
      if (leased_) {
        res.status = 204;
        return;
      }
      leased_ = true;
      nlohmann::json job = {{"id", "job1"},           {"kind", kind},
                            {"attempt", 1},           {"user_id", "u1"},
                            {"vod_id", "v1"},         {"clip_id", nullptr},
                            {"params", {{"top", 2}}}, {"lease_expires_at_ms", 1}};
      if (kind == "live") job["live"] = {{"next_minute", 3}, {"clips", 0}};
      res.set_content(nlohmann::json{{"job", job}}.dump(), "application/json");
    });
    server_.Post(R"(/v1/worker/jobs/job1/(\w+))",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   std::lock_guard lock(mutex_);
                   const std::string action = req.matches[1];
                   auto body = nlohmann::json::parse(req.body);
                   if (body["worker_id"] != worker_id || body["attempt"] != 1) {
                     res.status = 409;
                     return;
                   }
                   if (action == "heartbeat") {
                     heartbeats.push_back(body);
                     if (lose_lease_on_heartbeat) {
                       res.status = 409;
                       res.set_content(R"({"error":{"message":"lease lost"}})", "application/json");
                       return;
                     }
                     res.set_content(R"({"lease_expires_at_ms": 2})", "application/json");
                     return;
                   }
                   reports.push_back({action, body});
                   res.set_content("{}", "application/json");
                 });
    // Live jobs: minutes are paid while paid_minutes lasts, then 402 as the API answers.
    server_.Post("/v1/worker/jobs/job1/live-minute", [this](const httplib::Request& req,
                                                            httplib::Response& res) {
      std::lock_guard lock(mutex_);
      auto body = nlohmann::json::parse(req.body);
      minutes.push_back(body["minute"]);
      if (paid_minutes-- > 0) {
        res.set_content(R"({"charged":true,"balance":7})", "application/json");
        return;
      }
      res.status = 402;
      res.set_content(R"({"error":{"code":"payment_required","message":"not enough credits",)"
                      R"("balance":0,"price":1}})",
                      "application/json");
    });
    server_.Post("/v1/worker/jobs/job1/live-clips",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   std::lock_guard lock(mutex_);
                   live_clips.push_back(nlohmann::json::parse(req.body));
                   res.status = 201;
                   res.set_content(R"({"clip_id":"c)" + std::to_string(live_clips.size()) + "\"}",
                                   "application/json");
                 });
    server_.Put(R"(/v1/worker/jobs/job1/live-clips/(\w+)/files/([\w.]+))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  std::lock_guard lock(mutex_);
                  uploads[std::string(req.matches[1]) + "/" + std::string(req.matches[2])] =
                      req.body;
                  res.set_content("{}", "application/json");
                });
    server_.Get("/v1/worker/jobs/job1/files/media", [this](const httplib::Request& req,
                                                           httplib::Response& res) {
      if (req.get_param_value("attempt") != "1" || req.get_param_value("worker_id").empty()) {
        res.status = 403;
        return;
      }
      {
        std::lock_guard lock(mutex_);
        media_requests.push_back(req.get_header_value("Range"));
      }
      res.set_content(media, "video/mp4");  // httplib answers a Range with 206
    });
    server_.Get("/v1/worker/jobs/job1/files/chat",
                [](const httplib::Request&, httplib::Response& res) {
                  res.status = 404;
                  res.set_content(R"({"error":{"message":"no chat"}})", "application/json");
                });
    server_.Put(R"(/v1/worker/jobs/job1/files/([\w.]+))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  std::lock_guard lock(mutex_);
                  uploads[req.matches[1]] = req.body;
                  res.set_content("{}", "application/json");
                });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs is ignored (the loop would then never end): wait for it.
    for (int i = 0; i < 2500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  ~StubApi() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::pair<std::string, nlohmann::json>> Reports() {
    std::lock_guard lock(mutex_);
    return reports;
  }
  std::vector<nlohmann::json> Heartbeats() {
    std::lock_guard lock(mutex_);
    return heartbeats;
  }

  std::string media = std::string(300'000, 'm') + "end";
  std::string kind = "analyze";
  std::vector<std::string> media_requests;  // the Range header of each media GET
  std::atomic<bool> lose_lease_on_heartbeat{false};
  std::mutex mutex_;
  std::string worker_id;
  std::vector<std::string> roles;
  std::vector<nlohmann::json> heartbeats;
  std::vector<std::pair<std::string, nlohmann::json>> reports;
  std::map<std::string, std::string> uploads;
  int paid_minutes = 0;
  std::vector<std::int64_t> minutes;
  std::vector<nlohmann::json> live_clips;

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  bool leased_ = false;
};

WorkerOptions Options(const StubApi& api, const TempDir& scratch) {
  WorkerOptions options;
  options.api_url = api.url();
  options.api_key = "good-key";
  options.roles = {"analyze"};
  options.lease_ms = 600;  // heartbeats every 200 ms
  options.scratch_dir = scratch.path().string();
  options.idle_poll_min_ms = 20;
  options.idle_poll_max_ms = 50;
  return options;
}

// Runs the worker on a thread until `done` holds (or 20 s pass), then stops it.
Status RunUntil(const WorkerOptions& options, const JobHandlers& handlers,
                const std::function<bool()>& done) {
  std::stop_source stop;
  Status result;
  std::thread thread([&] { result = RunWorker(options, handlers, stop.get_token()); });
  for (int i = 0; i < 2000 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop.request_stop();
  thread.join();
  return result;
}

bool DirIsEmpty(const std::filesystem::path& dir) {
  return std::filesystem::directory_iterator(dir) == std::filesystem::directory_iterator();
}

TEST(WorkerTest, RunsAJobAndReportsItOnce) {
  StubApi api;
  TempDir scratch("clipthat-worker-test");
  std::string seen_media, seen_chat, seen_scratch;
  JobHandlers handlers;
  handlers.analyze = [&](const JobContext& ctx) -> Result<JobOutput> {
    auto media = ReadFileToString(ctx.media_path);
    if (!media.ok()) return media.status();
    seen_media = *media;
    seen_chat = ctx.chat_path;
    seen_scratch = ctx.scratch_dir;
    EXPECT_EQ(ctx.job.params["top"], 2);
    EXPECT_EQ(ctx.job.vod_id, "v1");
    EXPECT_TRUE(ctx.media_path.ends_with(".mp4")) << ctx.media_path;
    ctx.report_progress(0.5, "transcribe");
    std::this_thread::sleep_for(std::chrono::milliseconds(700));  // a few heartbeats
    const std::string out = ctx.scratch_dir + "/moments.json";
    EXPECT_TRUE(WriteFileAtomically(out, "{\"moments\":[]}").ok());
    JobOutput output;
    output.result = {{"moments", nlohmann::json::array()}, {"duration_ms", 90000}};
    output.files.push_back({"moments.json", out, "application/json"});
    return output;
  };
  Status status = RunUntil(Options(api, scratch), handlers, [&] { return !api.Reports().empty(); });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(seen_media, api.media);
  EXPECT_EQ(seen_chat, "");  // 404: the VOD has no chat
  ASSERT_EQ(api.Reports().size(), 1u);
  EXPECT_EQ(api.Reports()[0].first, "complete");
  EXPECT_EQ(api.Reports()[0].second["result"]["duration_ms"], 90000);
  EXPECT_EQ(api.uploads["moments.json"], "{\"moments\":[]}");
  EXPECT_EQ(api.roles, std::vector<std::string>{"analyze"});
  const auto heartbeats = api.Heartbeats();
  ASSERT_GE(heartbeats.size(), 1u);
  EXPECT_DOUBLE_EQ(heartbeats.back()["progress"].get<double>(), 0.5);
  EXPECT_EQ(heartbeats.back()["stage"], "transcribe");
  // Each renewal asks for the worker's own lease length, not the API's default.
  EXPECT_EQ(heartbeats.back()["lease_ms"], 600);
  EXPECT_FALSE(std::filesystem::exists(seen_scratch));  // nothing kept between jobs
  EXPECT_TRUE(DirIsEmpty(scratch.path()));
}

// A long lease renews rarely; a changed progress goes out early so progress bars move. Without
// early reports nothing is sent in the job's second.
TEST(WorkerTest, ChangedProgressGoesOutBeforeTheNextRenewal) {
  for (const std::int64_t report_ms : {std::int64_t{100}, std::int64_t{0}}) {
    SCOPED_TRACE("progress_report_ms " + std::to_string(report_ms));
    StubApi api;
    TempDir scratch("clipthat-worker-test");
    JobHandlers handlers;
    handlers.analyze = [&](const JobContext& ctx) -> Result<JobOutput> {
      ctx.report_progress(0.3, "audio_scan");
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      ctx.report_progress(0.6, "rank");
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      JobOutput output;
      output.result = {{"moments", nlohmann::json::array()}, {"duration_ms", 90000}};
      return output;
    };
    WorkerOptions options = Options(api, scratch);
    options.lease_ms = 60000;  // renewals every 20 s: none during this job
    options.progress_report_ms = report_ms;
    Status status = RunUntil(options, handlers, [&] { return !api.Reports().empty(); });
    ASSERT_TRUE(status.ok()) << status.ToString();
    std::vector<std::pair<double, std::string>> sent;
    for (const auto& h : api.Heartbeats()) {
      EXPECT_EQ(h["lease_ms"], 60000);
      // The download before the handler may or may not outlast one report step.
      if (h["stage"] == "download") continue;
      sent.emplace_back(h["progress"].get<double>(), h["stage"].get<std::string>());
    }
    if (report_ms == 0) {
      EXPECT_TRUE(sent.empty());
      continue;
    }
    const std::vector<std::pair<double, std::string>> expected = {{0.3, "audio_scan"},
                                                                  {0.6, "rank"}};
    EXPECT_EQ(sent, expected);  // each change once, no repeats of an unchanged state
  }
}

TEST(WorkerTest, LiveJobReportsAsItGoesAndEndsForGoodWhenTheCreditsRunOut) {
  StubApi api;
  api.kind = "live";
  api.paid_minutes = 1;
  TempDir scratch("clipthat-worker-test");
  std::string media_path = "unset";
  Status first_minute, second_minute, clip_upload;
  JobHandlers handlers;
  handlers.live = [&](const JobContext& ctx) -> Result<JobOutput> {
    media_path = ctx.media_path;
    ASSIGN_OR_RETURN(auto client, WorkerApiClient::Create(ctx.api));
    first_minute =
        client->ChargeLiveMinute(ctx.job, ctx.worker_id, ctx.job.live_next_minute).status();
    ASSIGN_OR_RETURN(std::string clip_id,
                     client->CreateLiveClip(ctx.job, ctx.worker_id, 1000, 31000, "chat"));
    const std::string mp4 = ctx.scratch_dir + "/clip-01.mp4";
    EXPECT_TRUE(WriteFileAtomically(mp4, "mp4 bytes").ok());
    clip_upload =
        client->UploadLiveClipFile(ctx.job, ctx.worker_id, clip_id, "clip.mp4", mp4, "video/mp4");
    Result<std::int64_t> refused =
        client->ChargeLiveMinute(ctx.job, ctx.worker_id, ctx.job.live_next_minute + 1);
    second_minute = refused.status();
    return refused.status();
  };
  WorkerOptions options = Options(api, scratch);
  options.roles = {"live"};
  Status status = RunUntil(options, handlers, [&] { return !api.Reports().empty(); });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(media_path, "") << "a live job downloads no media";
  EXPECT_TRUE(api.media_requests.empty());
  EXPECT_TRUE(first_minute.ok()) << first_minute.ToString();
  EXPECT_TRUE(clip_upload.ok()) << clip_upload.ToString();
  EXPECT_EQ(second_minute.code(), StatusCode::kResourceExhausted) << second_minute.ToString();
  EXPECT_EQ(api.minutes, (std::vector<std::int64_t>{3, 4})) << "counting on from next_minute";
  ASSERT_EQ(api.live_clips.size(), 1u);
  EXPECT_EQ(api.live_clips[0]["start_ms"], 1000);
  EXPECT_EQ(api.live_clips[0]["end_ms"], 31000);
  EXPECT_EQ(api.uploads["c1/clip.mp4"], "mp4 bytes");
  ASSERT_EQ(api.Reports().size(), 1u);
  EXPECT_EQ(api.Reports()[0].first, "fail");
  EXPECT_EQ(api.Reports()[0].second["retryable"], false) << "no credits: a retry is refused too";
}

TEST(WorkerTest, RenderJobReadsTheMediaByRanges) {
  StubApi api;
  api.kind = "render";
  api.media = std::string(3'000'000, 'a') + "MIDDLE" + std::string(3'000'000, 'z');
  TempDir scratch("clipthat-worker-test");
  std::string middle, tail;
  bool local_file = true;
  JobHandlers handlers;
  handlers.render = [&](const JobContext& ctx) -> Result<JobOutput> {
    local_file = std::filesystem::exists(ctx.media_path);
    ASSIGN_OR_RETURN(std::shared_ptr<media::RemoteInput> input,
                     media::FindRemoteInput(ctx.media_path));
    EXPECT_EQ(input->size_bytes(), static_cast<std::int64_t>(api.media.size()));
    std::string buffer(6, '\0');
    auto span = std::span(reinterpret_cast<std::uint8_t*>(buffer.data()), buffer.size());
    ASSIGN_OR_RETURN(std::size_t got, input->ReadAt(3'000'000, span));
    middle = buffer.substr(0, got);
    ASSIGN_OR_RETURN(got, input->ReadAt(static_cast<std::int64_t>(api.media.size()) - 3, span));
    tail = buffer.substr(0, got);
    EXPECT_EQ(*input->ReadAt(static_cast<std::int64_t>(api.media.size()), span), 0u);  // the end
    return JobOutput{};
  };
  WorkerOptions options = Options(api, scratch);
  options.roles = {"render"};
  Status status = RunUntil(options, handlers, [&] { return !api.Reports().empty(); });
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(api.Reports().size(), 1u);
  EXPECT_EQ(api.Reports()[0].first, "complete") << api.Reports()[0].second.dump();
  EXPECT_FALSE(local_file);
  EXPECT_EQ(middle, "MIDDLE");
  EXPECT_EQ(tail, "zzz");
  std::lock_guard lock(api.mutex_);
  // The first block (the size), the middle one and the last: never the whole file.
  ASSERT_EQ(api.media_requests.size(), 3u);
  for (const std::string& range : api.media_requests) {
    EXPECT_TRUE(range.starts_with("bytes=")) << range;
    EXPECT_FALSE(range.ends_with("-")) << range;  // always bounded
  }
}

TEST(WorkerTest, RenderJobCanDownloadTheWholeMedia) {
  StubApi api;
  api.kind = "render";
  TempDir scratch("clipthat-worker-test");
  std::string seen;
  JobHandlers handlers;
  handlers.render = [&](const JobContext& ctx) -> Result<JobOutput> {
    ASSIGN_OR_RETURN(seen, ReadFileToString(ctx.media_path));
    return JobOutput{};
  };
  WorkerOptions options = Options(api, scratch);
  options.roles = {"render"};
  options.render_media = RenderMediaAccess::kDownload;
  ASSERT_TRUE(RunUntil(options, handlers, [&] { return !api.Reports().empty(); }).ok());
  EXPECT_EQ(seen, api.media);
}

TEST(WorkerTest, ContentRangeIsParsedStrictly) {
  auto whole = ParseContentRange("bytes 0-99/1000");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->first_byte, 0);
  EXPECT_EQ(whole->last_byte, 99);
  EXPECT_EQ(whole->total_bytes, 1000);
  auto unsatisfied = ParseContentRange("bytes */1000");
  ASSERT_TRUE(unsatisfied.has_value());
  EXPECT_EQ(unsatisfied->first_byte, -1);
  EXPECT_EQ(unsatisfied->total_bytes, 1000);
  EXPECT_EQ(ParseContentRange("bytes 5-20/10")->last_byte, 9);  // clamped to the end
  for (const char* bad : {"", "bytes 0-99/*", "bytes 5-4/10", "bytes 10-12/10", "items 0-1/2",
                          "bytes 0-x/10", "bytes 0-99"}) {
    EXPECT_FALSE(ParseContentRange(bad).has_value()) << bad;
  }
}

TEST(WorkerTest, HandlerErrorFailsTheJobWithItsMessage) {
  StubApi api;
  TempDir scratch("clipthat-worker-test");
  JobHandlers handlers;
  handlers.analyze = [](const JobContext&) -> Result<JobOutput> {
    return DataError("vod.mp4: no audio stream");
  };
  ASSERT_TRUE(
      RunUntil(Options(api, scratch), handlers, [&] { return !api.Reports().empty(); }).ok());
  ASSERT_EQ(api.Reports().size(), 1u);
  EXPECT_EQ(api.Reports()[0].first, "fail");
  EXPECT_NE(api.Reports()[0].second["error"].get<std::string>().find("no audio stream"),
            std::string::npos);
  EXPECT_EQ(api.Reports()[0].second["retryable"], false);  // bad input: retrying cannot help
}

TEST(WorkerTest, HandlerExceptionIsARetryableFailure) {
  StubApi api;
  TempDir scratch("clipthat-worker-test");
  JobHandlers handlers;
  handlers.analyze = [](const JobContext&) -> Result<JobOutput> {
    throw std::runtime_error("boom");
  };
  ASSERT_TRUE(
      RunUntil(Options(api, scratch), handlers, [&] { return !api.Reports().empty(); }).ok());
  ASSERT_EQ(api.Reports().size(), 1u);
  EXPECT_EQ(api.Reports()[0].first, "fail");
  EXPECT_EQ(api.Reports()[0].second["retryable"], true);
}

TEST(WorkerTest, LostLeaseAbandonsTheJobSilently) {
  StubApi api;
  api.lose_lease_on_heartbeat = true;
  TempDir scratch("clipthat-worker-test");
  std::atomic<bool> saw_cancel{false};
  JobHandlers handlers;
  handlers.analyze = [&](const JobContext& ctx) -> Result<JobOutput> {
    for (int i = 0; i < 500 && !ctx.cancelled(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    saw_cancel = ctx.cancelled();
    return CancelledError("lease lost");
  };
  ASSERT_TRUE(RunUntil(Options(api, scratch), handlers, [&] { return saw_cancel.load(); }).ok());
  EXPECT_TRUE(saw_cancel);
  EXPECT_TRUE(api.Reports().empty());  // no complete, no fail, no release
}

TEST(WorkerTest, StopReleasesTheRunningJob) {
  StubApi api;
  TempDir scratch("clipthat-worker-test");
  std::atomic<bool> started{false};
  JobHandlers handlers;
  handlers.analyze = [&](const JobContext& ctx) -> Result<JobOutput> {
    started = true;
    while (!ctx.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return CancelledError("stopping");
  };
  ASSERT_TRUE(RunUntil(Options(api, scratch), handlers, [&] { return started.load(); }).ok());
  ASSERT_EQ(api.Reports().size(), 1u);
  EXPECT_EQ(api.Reports()[0].first, "release");
  EXPECT_EQ(api.Reports()[0].second["attempt"], 1);
}

TEST(WorkerTest, RejectedKeyEndsTheWorker) {
  StubApi api;
  TempDir scratch("clipthat-worker-test");
  WorkerOptions options = Options(api, scratch);
  options.api_key = "wrong";
  JobHandlers handlers;
  handlers.analyze = [](const JobContext&) -> Result<JobOutput> { return JobOutput{}; };
  std::stop_source stop;
  Status status = RunWorker(options, handlers, stop.get_token());
  EXPECT_EQ(status.code(), StatusCode::kUnauthenticated) << status.ToString();
  EXPECT_NE(status.message().find("bad key"), std::string::npos);
}

TEST(WorkerTest, RolesNeedHandlers) {
  JobHandlers handlers;
  handlers.analyze = [](const JobContext&) -> Result<JobOutput> { return JobOutput{}; };
  WorkerOptions options;
  options.api_url = "http://127.0.0.1:1";
  options.api_key = "k";
  options.roles = {"analyze", "render"};
  std::stop_source stop;
  EXPECT_EQ(RunWorker(options, handlers, stop.get_token()).code(), StatusCode::kInvalidArgument);
  options.roles = {"analyze"};
  options.api_url = "ftp://x";
  EXPECT_EQ(RunWorker(options, handlers, stop.get_token()).code(), StatusCode::kInvalidArgument);
}

TEST(WorkerTest, UnreachableApiIsRetriedUntilStopped) {
  JobHandlers handlers;
  handlers.analyze = [](const JobContext&) -> Result<JobOutput> { return JobOutput{}; };
  WorkerOptions options;
  options.api_url = "http://127.0.0.1:1";  // refuses connections
  options.api_key = "k";
  options.roles = {"analyze"};
  options.idle_poll_min_ms = 10;
  options.idle_poll_max_ms = 20;
  std::atomic<int> polls{0};
  // Stops after a few failed polls; the worker keeps going and returns OK.
  Status status = RunUntil(options, handlers, [&] { return ++polls > 20; });
  EXPECT_TRUE(status.ok()) << status.ToString();
}

}  // namespace
}  // namespace clipthat::worker
