// Live monitoring as a service end to end on loopback: `clipthat serve` and `clipthat worker
// --roles live` processes, a live HLS stream written in real time by ffmpeg and served over
// HTTP, and a real IRC server (ngircd) for the chat. A user starts a live job; viewers ask for
// a clip in chat; the worker cuts it and uploads it; the user downloads it, sees the job count
// it, and stops monitoring, which the worker learns from its heartbeat. A second flow (SQLite,
// and PostgreSQL with CLIPTHAT_TEST_POSTGRES_URL) shortens the billing period to 5 s: clips
// reach the job's SSE stream, each period costs one credit, a worker SIGKILLed mid-stream is
// replaced and the next lease continues the count, and monitoring stops at a zero balance.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "child_process.h"
#include "command_runner.h"
#include "core/files.h"
#include "store/database.h"

namespace clipthat {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::RunCommand;

constexpr const char* kBin = CLIPTHAT_BIN;

using Child = testing::ChildProcess;

int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t size = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

// A viewer in the IRC channel: a plain client connection that says things.
class Viewer {
 public:
  Viewer(int port, const std::string& nick) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    Send("NICK " + nick + "\r\nUSER " + nick + " 0 * :" + nick + "\r\n");
  }
  ~Viewer() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& text) {
    if (connected_) (void)!::send(fd_, text.data(), text.size(), MSG_NOSIGNAL);
  }

 private:
  int fd_;
  bool connected_ = false;
};

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

// The stream and the chat of a live test: a 40 s test picture with a tone, played `loops`
// more times by ffmpeg writing a sliding HLS playlist in real time, served over HTTP on
// loopback (/hls/index.m3u8), and ngircd on loopback for the chat. `error` says what failed.
class LoopbackLive {
 public:
  LoopbackLive(const fs::path& dir, const std::string& ngircd, int loops) : hls_(dir / "hls") {
    fs::create_directories(hls_);
    const fs::path sample = dir / "stream.mp4";
    auto made = RunCommand({"/usr/bin/ffmpeg",
                            "-loglevel",
                            "error",
                            "-y",
                            "-f",
                            "lavfi",
                            "-i",
                            "testsrc=size=640x360:rate=30",
                            "-f",
                            "lavfi",
                            "-i",
                            "sine=frequency=440",
                            "-t",
                            "40",
                            "-g",
                            "60",
                            "-c:v",
                            "libx264",
                            "-preset",
                            "ultrafast",
                            "-c:a",
                            "aac",
                            sample.string()});
    if (made.exit_code != 0) {
      error = "ffmpeg could not make the stream: " + made.err;
      return;
    }
    producer_ = std::make_unique<Child>(
        std::vector<std::string>{"/usr/bin/ffmpeg", "-loglevel", "error", "-re", "-stream_loop",
                                 std::to_string(loops), "-i", sample.string(), "-c", "copy", "-f",
                                 "hls", "-hls_time", "2", "-hls_list_size", "6", "-hls_flags",
                                 "delete_segments", (hls_ / "index.m3u8").string()},
        dir / "producer.log");
    if (!media_.set_mount_point("/hls", hls_.string())) {
      error = "cannot serve " + hls_.string();
      return;
    }
    media_port_ = media_.bind_to_any_port("127.0.0.1");
    media_thread_ = std::thread([this] { media_.listen_after_bind(); });
    irc_port_ = FreeLoopbackPort();
    const fs::path irc_config = dir / "ngircd.conf";
    std::ofstream(irc_config) << "[Global]\nName = irc.clipthat.test\nInfo = ClipThat test\n"
                              << "AdminInfo1 = ClipThat tests\nAdminInfo2 = loopback\n"
                              << "AdminEMail = tests@clipthat.invalid\nListen = 127.0.0.1\n"
                              << "Ports = " << irc_port_ << "\n"
                              << "PidFile = " << (dir / "ngircd.pid").string() << "\n"
                              << "MotdPhrase = ClipThat test\n[Limits]\nMaxNickLength = 31\n"
                              << "MaxConnectionsIP = 0\n[Options]\nPAM = no\nIdent = no\nDNS = "
                                 "no\n";
    irc_ = std::make_unique<Child>(
        std::vector<std::string>{ngircd, "--nodaemon", "--config", irc_config.string()},
        dir / "ngircd.log");
  }
  ~LoopbackLive() {
    if (media_thread_.joinable()) {
      media_.stop();
      media_thread_.join();
    }
  }
  LoopbackLive(const LoopbackLive&) = delete;
  LoopbackLive& operator=(const LoopbackLive&) = delete;

  const fs::path& hls() const { return hls_; }
  Child& producer() { return *producer_; }
  int media_port() const { return media_port_; }
  int irc_port() const { return irc_port_; }

  std::string error;

 private:
  fs::path hls_;
  std::unique_ptr<Child> producer_;
  httplib::Server media_;
  std::thread media_thread_;
  int media_port_ = 0;
  int irc_port_ = 0;
  std::unique_ptr<Child> irc_;
};

// `clipthat serve` with a worker key and one signed-up user, as both tests start it.
struct ServedApi {
  std::string worker_key;
  std::unique_ptr<Child> server;
  int port = 0;
  std::unique_ptr<httplib::Client> api;
  httplib::Headers auth;  // the user's
  // GET as the user: the JSON answer of a 200, null otherwise.
  json Get(const std::string& path) const {
    auto r = api->Get(path, auth);
    return r && r->status == 200 ? json::parse(r->body, nullptr, false) : json();
  }
};

void StartApi(const std::vector<std::string>& serve, const fs::path& log, const std::string& email,
              ServedApi* out) {
  std::vector<std::string> key_args = serve;
  key_args.push_back("--create-worker-key");
  auto key = RunCommand(key_args);
  ASSERT_EQ(key.exit_code, 0) << key.err;
  out->worker_key = key.out.substr(0, key.out.find('\n'));
  out->server = std::make_unique<Child>(serve, log);
  out->port = testing::ServedPort(*out->server, std::chrono::seconds(20));
  ASSERT_NE(out->port, 0) << out->server->Log();
  out->api = std::make_unique<httplib::Client>("127.0.0.1", out->port);
  out->api->set_read_timeout(std::chrono::seconds(60));
  auto signup =
      out->api->Post("/v1/auth/signup", json{{"email", email}, {"password", "password-123"}}.dump(),
                     "application/json");
  ASSERT_TRUE(signup && signup->status == 201);
  out->auth = {
      {"Authorization", "Bearer " + json::parse(signup->body)["token"].get<std::string>()}};
}

TEST(LiveServiceTest, AWorkerWatchesAStreamCutsAClipChatAskedForAndStopsWhenTheUserStops) {
  const std::string ngircd = "/usr/sbin/ngircd";
  if (!fs::exists(ngircd)) GTEST_SKIP() << "ngircd is not installed (apt-get install ngircd)";
  if (RunCommand({"/usr/bin/ffmpeg", "-version"}).exit_code != 0) {
    GTEST_SKIP() << "ffmpeg is not installed";
  }
  TempDir dir("clipthat-live-service");
  LoopbackLive live(dir.path(), ngircd, 3);
  ASSERT_TRUE(live.error.empty()) << live.error;
  const fs::path& hls = live.hls();
  Child& producer = live.producer();
  const int media_port = live.media_port();
  const int irc_port = live.irc_port();

  // The API (URLs on loopback allowed: everything here is on loopback) and a live worker.
  ::setenv("CLIPTHAT_API_ALLOW__PRIVATE__URLS", "true", 1);
  const std::vector<std::string> serve = {kBin, "serve",  "--port",
                                          "0",  "--data", (dir.path() / "data").string()};
  ServedApi served;
  ASSERT_NO_FATAL_FAILURE(StartApi(serve, dir.path() / "serve.log", "live@example.com", &served));
  const std::string& worker_key = served.worker_key;
  Child& server = *served.server;
  const int port = served.port;
  httplib::Client& api = *served.api;
  const httplib::Headers& auth = served.auth;
  auto get = [&](const std::string& path) { return served.Get(path); };

  const json request = {
      {"source", "http://127.0.0.1:" + std::to_string(media_port) + "/hls/index.m3u8"},
      {"chat", "irc://127.0.0.1:" + std::to_string(irc_port) + "/#clipthat"}};
  auto started = api.Post("/v1/live", auth, request.dump(), "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  const std::string job_id = json::parse(started->body)["id"];

  const fs::path scratch = dir.path() / "scratch";
  fs::create_directories(scratch);
  Child worker({kBin, "worker", "--api", "http://127.0.0.1:" + std::to_string(port), "--key",
                worker_key, "--roles", "live", "--lease-ms", "3000", "--scratch", scratch.string(),
                "--log-level", "info"},
               dir.path() / "worker.log");
  auto diagnostics = [&] {
    return "--- worker ---\n" + worker.Log() + "\n--- serve ---\n" + server.Log() +
           "\n--- producer ---\n" + producer.Log();
  };
  // The session is watching (it has charged its first minute) and its chat is in the channel.
  ASSERT_TRUE(WaitFor(
      [&] {
        const json job = get("/v1/jobs/" + job_id);
        return job.is_object() && job["result"].is_object() &&
               job["result"].value("minutes", 0) >= 1 &&
               worker.Log().find("joined #clipthat") != std::string::npos &&
               fs::exists(hls / "index.m3u8");
      },
      std::chrono::seconds(60)))
      << diagnostics();
  std::this_thread::sleep_for(std::chrono::seconds(6));  // a few seconds of stream buffered

  std::vector<std::unique_ptr<Viewer>> viewers;
  for (const char* nick : {"alice", "bob", "carol", "dave"}) {
    viewers.push_back(std::make_unique<Viewer>(irc_port, nick));
    ASSERT_TRUE(viewers.back()->connected());
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  for (auto& viewer : viewers) viewer->Send("JOIN #clipthat\r\n");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  for (auto& viewer : viewers) {
    viewer->Send("PRIVMSG #clipthat :clip it\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  }

  std::string clip_id;
  ASSERT_TRUE(WaitFor(
      [&] {
        const json job = get("/v1/jobs/" + job_id);
        if (!job.is_object() || !job["result"].is_object() ||
            !job["result"]["last_clip_id"].is_string()) {
          return false;
        }
        clip_id = job["result"]["last_clip_id"];
        return true;
      },
      std::chrono::seconds(120)))
      << diagnostics();
  const json clip = get("/v1/clips/" + clip_id);
  EXPECT_EQ(clip["status"], "ready") << clip.dump();
  EXPECT_EQ(clip["live_job_id"], job_id);
  EXPECT_TRUE(clip["vod_id"].is_null());
  EXPECT_EQ(clip["has_thumbnail"], true);
  auto download = api.Get("/v1/clips/" + clip_id + "/download", auth);
  ASSERT_TRUE(download && download->status == 200);
  ASSERT_GT(download->body.size(), 1000u);
  EXPECT_EQ(download->body.substr(4, 4), "ftyp");
  EXPECT_LT(get("/v1/billing")["balance"].get<std::int64_t>(), 30) << "minutes were charged";

  // Stop: the worker learns it from its heartbeat, stops the session and keeps nothing.
  auto stopped = api.Delete("/v1/live/" + job_id, auth);
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->status, 200) << stopped->body;
  EXPECT_TRUE(WaitFor(
      [&] {
        return worker.Log().find("lease lost") != std::string::npos &&
               std::filesystem::directory_iterator(scratch) ==
                   std::filesystem::directory_iterator();
      },
      std::chrono::seconds(60)))
      << diagnostics();
  EXPECT_EQ(get("/v1/jobs/" + job_id)["status"], "cancelled");
  EXPECT_EQ(worker.Kill(SIGTERM), 0) << diagnostics();
  EXPECT_EQ(server.Kill(SIGTERM), 0);
}

// Sets environment variables for the children started while it lives.
class ScopedEnv {
 public:
  ScopedEnv(std::vector<std::pair<std::string, std::string>> vars) : vars_(std::move(vars)) {
    for (const auto& [k, v] : vars_) ::setenv(k.c_str(), v.c_str(), 1);
  }
  ~ScopedEnv() {
    for (const auto& [k, v] : vars_) ::unsetenv(k.c_str());
  }

 private:
  std::vector<std::pair<std::string, std::string>> vars_;
};

// GET /v1/jobs/{id}/events read in a thread: every event's name and data, until the stream
// ends (the job's final `state`) or the reader is destroyed.
class EventReader {
 public:
  EventReader(int port, const httplib::Headers& auth, const std::string& job_id)
      : client_("127.0.0.1", port) {
    client_.set_read_timeout(std::chrono::seconds(120));
    thread_ = std::thread([this, auth, job_id] {
      std::string buffer;
      auto r = client_.Get(
          "/v1/jobs/" + job_id + "/events", auth, [&](const char* data, std::size_t size) {
            buffer.append(data, size);
            for (std::size_t end; (end = buffer.find("\n\n")) != std::string::npos;) {
              Parse(buffer.substr(0, end));
              buffer.erase(0, end + 2);
            }
            return !closing_.load();
          });
      std::lock_guard lock(mu_);
      ended_ = true;
      status_ = r ? r->status : -1;
    });
  }
  ~EventReader() {
    closing_ = true;
    client_.stop();
    thread_.join();
  }
  std::vector<std::pair<std::string, json>> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  bool ended() const {
    std::lock_guard lock(mu_);
    return ended_;
  }
  int status() const {
    std::lock_guard lock(mu_);
    return status_;
  }

 private:
  void Parse(const std::string& block) {
    std::string name, data;
    std::size_t at = 0;
    while (at < block.size()) {
      std::size_t end = block.find('\n', at);
      if (end == std::string::npos) end = block.size();
      const std::string line = block.substr(at, end - at);
      if (line.rfind("event: ", 0) == 0) name = line.substr(7);
      if (line.rfind("data: ", 0) == 0) data += line.substr(6);
      at = end + 1;
    }
    if (name.empty()) return;  // a keep-alive comment
    std::lock_guard lock(mu_);
    events_.emplace_back(name, json::parse(data, nullptr, false));
  }

  httplib::Client client_;
  std::atomic<bool> closing_{false};
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, json>> events_;
  bool ended_ = false;
  int status_ = 0;
  std::thread thread_;
};

// The billing flow on `db_url` (empty: SQLite under the data folder). A 5 s billing period; the
// user is granted credits with `clipthat admin grant`,
// watches the job's SSE stream, sees a clip, SIGKILLs the worker mid-stream, starts another,
// sees monitoring resume on attempt 2 with the count continued and a second clip, then lets
// the balance run out: the job fails with "no credits left" and the balance is exactly 0.
void RunBillingFlow(const std::string& db_url) {
  const std::string ngircd = "/usr/sbin/ngircd";
  if (!fs::exists(ngircd)) GTEST_SKIP() << "ngircd is not installed (apt-get install ngircd)";
  if (RunCommand({"/usr/bin/ffmpeg", "-version"}).exit_code != 0) {
    GTEST_SKIP() << "ffmpeg is not installed";
  }
  constexpr int kPeriodMs = 5000;
  const auto began = std::chrono::steady_clock::now();
  auto phase = [&](const char* what) {
    std::fprintf(stderr, "[%6.1f s] %s\n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count(),
                 what);
  };
  TempDir dir("clipthat-live-billing");
  LoopbackLive live(dir.path(), ngircd, 5);
  ASSERT_TRUE(live.error.empty()) << live.error;
  const fs::path& hls = live.hls();
  Child& producer = live.producer();
  const int media_port = live.media_port();
  const int irc_port = live.irc_port();

  // No sign-up credits (only what the test grants); the worker charges every 5 s.
  ScopedEnv env({{"CLIPTHAT_API_ALLOW__PRIVATE__URLS", "true"},
                 {"CLIPTHAT_BILLING_SIGNUP__CREDITS", "0"},
                 {"CLIPTHAT_LIVE_BILLING__PERIOD__MS", std::to_string(kPeriodMs)}});
  const std::string data = (dir.path() / "data").string();
  std::vector<std::string> serve = {kBin, "serve", "--port", "0", "--data", data};
  std::vector<std::string> db_args = {"--data", data};
  if (!db_url.empty()) {
    for (auto* args : {&serve, &db_args}) {
      args->push_back("--db");
      args->push_back(db_url);
    }
  }
  ServedApi served;
  ASSERT_NO_FATAL_FAILURE(
      StartApi(serve, dir.path() / "serve.log", "billing@example.com", &served));
  const std::string& worker_key = served.worker_key;
  Child& server = *served.server;
  const int port = served.port;
  httplib::Client& api = *served.api;
  const httplib::Headers& auth = served.auth;
  auto get = [&](const std::string& path) { return served.Get(path); };
  auto balance = [&] {
    const json billing = get("/v1/billing");
    return billing.is_object() ? billing["balance"].get<std::int64_t>() : std::int64_t{-1000};
  };
  std::int64_t granted = 0;
  auto grant = [&](int credits) {
    std::vector<std::string> args = {kBin,
                                     "admin",
                                     "grant",
                                     "billing@example.com",
                                     std::to_string(credits),
                                     "--reason",
                                     "live billing test"};
    args.insert(args.end(), db_args.begin(), db_args.end());
    auto r = RunCommand(args);
    for (int retry = 0; r.exit_code != 0 && retry < 10; ++retry) {  // a busy database
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      r = RunCommand(args);
    }
    if (r.exit_code == 0) granted += credits;
    return r.exit_code == 0 ? std::string() : r.out + r.err;
  };
  // The live_minute values of the ledger's minute charges, oldest first.
  auto charged_minutes = [&] {
    std::vector<std::int64_t> minutes;
    const json page = get("/v1/billing/ledger?limit=100");
    if (!page.is_object()) return minutes;
    for (const json& e : page["items"]) {
      if (!e["live_minute"].is_null()) {
        EXPECT_EQ(e["amount"], -1) << e.dump();
        minutes.push_back(e["live_minute"].get<std::int64_t>());
      }
    }
    std::reverse(minutes.begin(), minutes.end());
    return minutes;
  };
  // Enough for the flow up to the second clip (about 12 periods), then run down.
  auto keep_paying = [] {};
  ASSERT_EQ(grant(18), "");
  ASSERT_EQ(balance(), 18);

  const json request = {
      {"source", "http://127.0.0.1:" + std::to_string(media_port) + "/hls/index.m3u8"},
      {"chat", "irc://127.0.0.1:" + std::to_string(irc_port) + "/#clipthat"}};
  auto started = api.Post("/v1/live", auth, request.dump(), "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  const std::string job_id = json::parse(started->body)["id"];
  EventReader events(port, auth, job_id);
  auto job = [&] { return get("/v1/jobs/" + job_id); };
  auto clip_of = [](const json& j) {
    return j.is_object() && j["result"].is_object() && j["result"]["last_clip_id"].is_string()
               ? j["result"]["last_clip_id"].get<std::string>()
               : std::string();
  };

  const fs::path scratch1 = dir.path() / "scratch1", scratch2 = dir.path() / "scratch2";
  fs::create_directories(scratch1);
  fs::create_directories(scratch2);
  auto worker_args = [&](const fs::path& scratch) {
    return std::vector<std::string>{
        kBin,          "worker",   "--api",     "http://127.0.0.1:" + std::to_string(port),
        "--key",       worker_key, "--roles",   "live",
        "--lease-ms",  "3000",     "--scratch", scratch.string(),
        "--log-level", "info"};
  };
  auto worker1 = std::make_unique<Child>(worker_args(scratch1), dir.path() / "worker1.log");
  std::unique_ptr<Child> worker2;
  auto diagnostics = [&] {
    return "--- worker 1 ---\n" + (worker1 ? worker1->Log() : std::string()) +
           "\n--- worker 2 ---\n" + (worker2 ? worker2->Log() : std::string()) +
           "\n--- serve ---\n" + server.Log() + "\n--- producer ---\n" + producer.Log() +
           "\n--- job ---\n" + job().dump() + "\n--- ledger ---\n" +
           get("/v1/billing/ledger?limit=100").dump();
  };
  auto watching = [&](Child& worker, int attempt, std::size_t more_than) {
    keep_paying();
    const json j = job();
    return j.is_object() && j["attempts"] == attempt && j["status"] == "running" &&
           charged_minutes().size() > more_than &&
           worker.Log().find("joined #clipthat") != std::string::npos &&
           fs::exists(hls / "index.m3u8");
  };
  ASSERT_TRUE(WaitFor([&] { return watching(*worker1, 1, 0); }, std::chrono::seconds(60)))
      << diagnostics();

  phase("watching (worker 1)");
  std::vector<std::unique_ptr<Viewer>> viewers;
  for (const char* nick : {"erin", "frank", "grace", "heidi"}) {
    viewers.push_back(std::make_unique<Viewer>(irc_port, nick));
    ASSERT_TRUE(viewers.back()->connected());
  }
  auto pause = [&](int ms) {
    for (int waited = 0; waited < ms; waited += 500) {
      keep_paying();
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  };
  pause(2000);
  for (auto& viewer : viewers) viewer->Send("JOIN #clipthat\r\n");
  pause(4000);  // a few seconds of stream buffered
  auto burst = [&] {
    for (auto& viewer : viewers) {
      viewer->Send("PRIVMSG #clipthat :clip it\r\n");
      pause(1500);
    }
  };

  // 1. A clip, seen through the SSE stream; every period charged once, one credit each.
  burst();
  std::string clip1;
  ASSERT_TRUE(WaitFor(
      [&] {
        keep_paying();
        for (const auto& [name, j] : events.events()) {
          if (name == "progress" && j["result"].is_object() && j["result"].value("clips", 0) >= 1 &&
              !clip_of(j).empty()) {
            clip1 = clip_of(j);
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds(120)))
      << diagnostics();
  phase("clip 1 seen on the SSE stream");
  EXPECT_EQ(get("/v1/clips/" + clip1)["status"], "ready");
  auto download = api.Get("/v1/clips/" + clip1 + "/download", auth);
  ASSERT_TRUE(download && download->status == 200);
  EXPECT_EQ(download->body.substr(4, 4), "ftyp");
  // Two charged periods at least, then more as the session goes on.
  ASSERT_TRUE(WaitFor(
      [&] {
        keep_paying();
        return charged_minutes().size() >= 2;
      },
      std::chrono::seconds(30)))
      << diagnostics();
  const std::size_t before_growth = charged_minutes().size();
  ASSERT_TRUE(WaitFor(
      [&] {
        keep_paying();
        return charged_minutes().size() > before_growth;
      },
      std::chrono::seconds(30)))
      << diagnostics();
  {
    const std::vector<std::int64_t> minutes = charged_minutes();
    EXPECT_EQ(balance(), granted - static_cast<std::int64_t>(minutes.size()));
  }

  // 2. The worker dies mid-stream; another takes the job over when the lease expires.
  phase("SIGKILL worker 1");
  EXPECT_EQ(worker1->Kill(SIGKILL), -1);
  const std::size_t charged_by_first = charged_minutes().size();
  worker2 = std::make_unique<Child>(worker_args(scratch2), dir.path() / "worker2.log");
  // The job is leased again once the dead worker's lease has expired (its last heartbeat's
  // renewal: today the API's default 30 s, not --lease-ms) and the new worker polls.
  ASSERT_TRUE(
      WaitFor([&] { return watching(*worker2, 2, charged_by_first); }, std::chrono::seconds(90)))
      << diagnostics();
  phase("watching again (worker 2, attempt 2)");
  pause(3000);  // the new session's buffer (it starts with the playlist's segments)
  burst();
  std::string clip2;
  ASSERT_TRUE(WaitFor(
      [&] {
        keep_paying();
        clip2 = clip_of(job());
        return !clip2.empty() && clip2 != clip1;
      },
      std::chrono::seconds(120)))
      << diagnostics();
  phase("clip 2");
  const json second = get("/v1/clips/" + clip2);
  EXPECT_EQ(second["status"], "ready") << second.dump();
  EXPECT_EQ(second["live_job_id"], job_id);
  EXPECT_GE(job()["result"].value("clips", 0), 2) << job().dump();

  // 3. No more credits: the balance runs out and the job fails for good.
  ASSERT_TRUE(WaitFor(
      [&] {
        const json j = job();
        return j.is_object() && j["status"] == "failed";
      },
      std::chrono::seconds(90)))
      << diagnostics();
  phase("failed: no credits left");
  const json ended = job();
  EXPECT_NE(ended["error"].get<std::string>().find("no credits"), std::string::npos)
      << ended.dump();
  EXPECT_EQ(ended["attempts"], 2) << ended.dump();
  EXPECT_EQ(balance(), 0);
  const std::vector<std::int64_t> minutes = charged_minutes();
  EXPECT_EQ(static_cast<std::int64_t>(minutes.size()), granted) << diagnostics();
  const std::set<std::int64_t> distinct(minutes.begin(), minutes.end());
  EXPECT_EQ(distinct.size(), minutes.size()) << "a period charged twice";
  ASSERT_FALSE(minutes.empty());
  EXPECT_EQ(*distinct.rbegin() - *distinct.begin() + 1, static_cast<std::int64_t>(minutes.size()))
      << "the count did not continue from the first worker's";
  // The worker stops monitoring: nothing is left in its scratch folder.
  EXPECT_TRUE(WaitFor([&] { return fs::directory_iterator(scratch2) == fs::directory_iterator(); },
                      std::chrono::seconds(30)))
      << diagnostics();
  EXPECT_EQ(charged_minutes().size(), minutes.size()) << "charged after the job ended";
  // The SSE stream ends with the failed job.
  EXPECT_TRUE(WaitFor([&] { return events.ended(); }, std::chrono::seconds(30)));
  const auto seen = events.events();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().first, "state");
  EXPECT_EQ(seen.back().second["status"], "failed");
  EXPECT_EQ(worker2->Kill(SIGTERM), 0) << diagnostics();
  EXPECT_EQ(server.Kill(SIGTERM), 0);
}

TEST(LiveServiceTest, CreditsPayEachPeriodAKilledWorkersSessionResumesAndZeroStopsIt) {
  RunBillingFlow("");
}

TEST(LiveServiceTest, CreditsPayEachPeriodAKilledWorkersSessionResumesAndZeroStopsItOnPostgres) {
  const char* server = std::getenv("CLIPTHAT_TEST_POSTGRES_URL");
  if (server == nullptr || *server == '\0') {
    GTEST_SKIP() << "CLIPTHAT_TEST_POSTGRES_URL is not set (scripts/test sets it)";
  }
  // A schema of its own on the shared server, dropped afterwards.
  auto admin = store::OpenDatabase(server, 1);
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  const std::string schema = "live_" + store::NewId().substr(0, 16);
  ASSERT_TRUE((*admin)->Execute("CREATE SCHEMA " + schema).ok());
  std::string url = server;
  url += (url.find('?') == std::string::npos ? "?" : "&");
  url += "options=-csearch_path%3D" + schema;
  RunBillingFlow(url);
  EXPECT_TRUE((*admin)->Execute("DROP SCHEMA " + schema + " CASCADE").ok());
}

}  // namespace
}  // namespace clipthat
