// Live monitoring as a service end to end on loopback: `clipthat serve` and `clipthat worker
// --roles live` processes, a live HLS stream written in real time by ffmpeg and served over
// HTTP, and a real IRC server (ngircd) for the chat. A user starts a live job; viewers ask for
// a clip in chat; the worker cuts it and uploads it; the user downloads it, sees the job count
// it, and stops monitoring, which the worker learns from its heartbeat.
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
#include <nlohmann/json.hpp>
#include <thread>

#include "command_runner.h"
#include "core/files.h"

namespace clipthat {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::RunCommand;

constexpr const char* kBin = CLIPTHAT_BIN;

// A child process with stdout and stderr in a log file; killed (SIGKILL) on destruction when
// still running.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& log) : log_(log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
      std::FILE* out = std::fopen(log.c_str(), "w");
      if (out != nullptr) {
        ::dup2(::fileno(out), STDOUT_FILENO);
        ::dup2(::fileno(out), STDERR_FILENO);
      }
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      std::_Exit(127);
    }
  }
  ~Child() { Kill(SIGKILL); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Sends `signal` and waits up to 60 s for the exit; the exit code (-1 when killed).
  int Kill(int signal) {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, signal);
    for (int i = 0; i < 3000; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    return exit_code_ = -1;
  }
  std::string Log() const {
    auto text = ReadFileToString(log_);
    return text.ok() ? *text : std::string();
  }

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  fs::path log_;
};

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

TEST(LiveServiceTest, AWorkerWatchesAStreamCutsAClipChatAskedForAndStopsWhenTheUserStops) {
  const std::string ngircd = "/usr/sbin/ngircd";
  if (!fs::exists(ngircd)) GTEST_SKIP() << "ngircd is not installed (apt-get install ngircd)";
  if (RunCommand({"/usr/bin/ffmpeg", "-version"}).exit_code != 0) {
    GTEST_SKIP() << "ffmpeg is not installed";
  }
  TempDir dir("clipthat-live-service");
  const fs::path hls = dir.path() / "hls";
  fs::create_directories(hls);
  const fs::path sample = dir.path() / "stream.mp4";
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
  ASSERT_EQ(made.exit_code, 0) << made.err;

  // The live stream: ffmpeg writes a sliding HLS playlist in real time; HTTP serves it.
  Child producer({"/usr/bin/ffmpeg", "-loglevel", "error", "-re", "-stream_loop", "3", "-i",
                  sample.string(), "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_list_size",
                  "6", "-hls_flags", "delete_segments", (hls / "index.m3u8").string()},
                 dir.path() / "producer.log");
  httplib::Server media;
  ASSERT_TRUE(media.set_mount_point("/hls", hls.string()));
  const int media_port = media.bind_to_any_port("127.0.0.1");
  std::thread media_thread([&] { media.listen_after_bind(); });
  struct StopMedia {
    httplib::Server& server;
    std::thread& thread;
    ~StopMedia() {
      server.stop();
      thread.join();
    }
  } stop_media{media, media_thread};

  const int irc_port = FreeLoopbackPort();
  const fs::path irc_config = dir.path() / "ngircd.conf";
  std::ofstream(irc_config) << "[Global]\nName = irc.clipthat.test\nInfo = ClipThat test\n"
                            << "AdminInfo1 = ClipThat tests\nAdminInfo2 = loopback\n"
                            << "AdminEMail = tests@clipthat.invalid\nListen = 127.0.0.1\n"
                            << "Ports = " << irc_port << "\n"
                            << "PidFile = " << (dir.path() / "ngircd.pid").string() << "\n"
                            << "MotdPhrase = ClipThat test\n[Limits]\nMaxNickLength = 31\n"
                            << "MaxConnectionsIP = 0\n[Options]\nPAM = no\nIdent = no\nDNS = no\n";
  Child irc({ngircd, "--nodaemon", "--config", irc_config.string()}, dir.path() / "ngircd.log");

  // The API (URLs on loopback allowed: everything here is on loopback) and a live worker.
  ::setenv("CLIPTHAT_API_ALLOW__PRIVATE__URLS", "true", 1);
  const std::vector<std::string> serve = {kBin, "serve",  "--port",
                                          "0",  "--data", (dir.path() / "data").string()};
  std::vector<std::string> key_args = serve;
  key_args.push_back("--create-worker-key");
  auto key = RunCommand(key_args);
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string worker_key = key.out.substr(0, key.out.find('\n'));
  Child server(serve, dir.path() / "serve.log");
  int port = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string log = server.Log();
        const std::size_t at = log.find("listening on http://127.0.0.1:");
        if (at != std::string::npos) port = std::atoi(log.c_str() + at + 30);
        return port != 0;
      },
      std::chrono::seconds(20)))
      << server.Log();
  httplib::Client api("127.0.0.1", port);
  api.set_read_timeout(std::chrono::seconds(60));
  auto signup =
      api.Post("/v1/auth/signup", R"({"email":"live@example.com","password":"password-123"})",
               "application/json");
  ASSERT_TRUE(signup && signup->status == 201);
  const httplib::Headers auth = {
      {"Authorization", "Bearer " + json::parse(signup->body)["token"].get<std::string>()}};
  auto get = [&](const std::string& path) {
    auto r = api.Get(path, auth);
    return r && r->status == 200 ? json::parse(r->body, nullptr, false) : json();
  };

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

}  // namespace
}  // namespace clipthat
