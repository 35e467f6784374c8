// End to end on loopback: `clipthat serve` and `clipthat worker` processes. A user signs up,
// uploads a generated sample stream in chunks with its chat replay, queues an analysis that
// renders the best moment, and downloads the clip (also by range), checked with ffprobe. Then
// the same with a worker killed (SIGKILL) in the middle of a job: the job is leased again when
// the lease expires and completes, nothing lost or duplicated. Then again on PostgreSQL
// (CLIPTHAT_TEST_POSTGRES_URL; skipped without it), and with the media in S3
// (CLIPTHAT_TEST_S3_URL; skipped without it). The first flow renders with the user's own brand
// template: its uploaded logo must be in the clip's pixels.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "child_process.h"
#include "command_runner.h"
#include "core/files.h"
#include "store/database.h"
#include "store/testing/test_s3.h"

namespace clipthat {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;
using json = nlohmann::json;

constexpr const char* kBin = CLIPTHAT_BIN;
constexpr int kLeaseMs = 3000;
constexpr auto kJobTimeout = std::chrono::seconds(300);

using Child = testing::ChildProcess;

// One generated stream (vod.mp4 + chat.json) shared by every case: it takes a while to make.
class EndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("clipthat-e2e-control");
    auto r = RunCommand({kBin, "sample", "--out", (dir_->path() / "sample").string(), "--duration",
                         "60", "--size", "640x360", "--fps", "30", "--moments", "2", "--seed", "5",
                         "--quiet"});
    sample_exit_ = r.exit_code;
    sample_err_ = r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(sample_exit_, 0) << sample_err_;
    // Analysis without speech keeps the test short; speech has its own tests.
    ::setenv("CLIPTHAT_SPEECH_BACKEND", "none", 1);
  }

  static fs::path Sample(const char* name) { return dir_->path() / "sample" / name; }

  static TempDir* dir_;
  static int sample_exit_;
  static std::string sample_err_;
};

TempDir* EndToEndTest::dir_ = nullptr;
int EndToEndTest::sample_exit_ = -1;
std::string EndToEndTest::sample_err_;

// A running `clipthat serve` with its data folder, a signed-up user and a worker key.
class Deployment {
 public:
  Deployment(const fs::path& dir, const std::string& db_url) : dir_(dir), db_url_(db_url) {
    std::vector<std::string> base = {kBin, "serve",  "--port",
                                     "0",  "--data", (dir / "data").string()};
    if (!db_url.empty()) {
      base.push_back("--db");
      base.push_back(db_url);
    }
    std::vector<std::string> key_args = base;
    key_args.push_back("--create-worker-key");
    auto key = RunCommand(key_args);
    EXPECT_EQ(key.exit_code, 0) << key.err;
    worker_key_ = key.out.substr(0, key.out.find('\n'));
    server_ = std::make_unique<Child>(base, dir / "serve.log");
    port_ = testing::ServedPort(*server_, std::chrono::seconds(10));
    EXPECT_NE(port_, 0) << server_->Log();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(std::chrono::seconds(60));
  }

  std::string api_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::unique_ptr<Child> StartWorker(const std::string& name) {
    fs::create_directories(dir_ / ("scratch-" + name));
    return std::make_unique<Child>(
        std::vector<std::string>{kBin, "worker", "--api", api_url(), "--key", worker_key_,
                                 "--lease-ms", std::to_string(kLeaseMs), "--scratch",
                                 (dir_ / ("scratch-" + name)).string(), "--log-level", "info"},
        dir_ / ("worker-" + name + ".log"));
  }

  httplib::Headers Auth() const { return {{"Authorization", "Bearer " + token_}}; }

  json Call(const std::string& method, const std::string& path, const json& body = nullptr,
            int expected_status = 200) {
    const std::string text = body.is_null() ? "" : body.dump();
    httplib::Result res = method == "GET"    ? client_->Get(path, Auth())
                          : method == "POST" ? client_->Post(path, Auth(), text, "application/json")
                                             : client_->Put(path, Auth(), text, "application/json");
    EXPECT_TRUE(res) << method << " " << path << ": " << httplib::to_string(res.error());
    if (!res) return json();
    EXPECT_EQ(res->status, expected_status) << method << " " << path << ": " << res->body;
    return json::parse(res->body, nullptr, false);
  }

  void SignUp() {
    json answer = Call("POST", "/v1/auth/signup",
                       {{"email", "e2e@example.com"}, {"password", "a long enough password"}}, 201);
    if (!answer.is_object() || !answer.contains("token")) {
      answer = Call("POST", "/v1/auth/signup",
                    {{"email", "e2e@example.com"}, {"password", "a long enough password"}});
    }
    ASSERT_TRUE(answer.is_object() && answer.contains("token")) << answer.dump();
    token_ = answer["token"];
  }

  // Uploads the VOD in 1 MiB chunks and its chat; returns the VOD id.
  std::string Upload(const fs::path& vod, const fs::path& chat) {
    const auto media = ReadFileToString(vod);
    EXPECT_TRUE(media.ok());
    json created = Call(
        "POST", "/v1/vods",
        {{"title", "E2E stream"}, {"size_bytes", media->size()}, {"filename", "vod.mp4"}}, 201);
    const std::string id = created["id"];
    constexpr std::size_t kChunk = 1 << 20;
    for (std::size_t start = 0; start < media->size(); start += kChunk) {
      const std::size_t end = std::min(media->size(), start + kChunk) - 1;
      httplib::Headers headers = Auth();
      headers.emplace("Content-Range", "bytes " + std::to_string(start) + "-" +
                                           std::to_string(end) + "/" +
                                           std::to_string(media->size()));
      auto res = client_->Put("/v1/vods/" + id + "/media", headers, media->data() + start,
                              end - start + 1, "application/octet-stream");
      EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
    }
    const auto chat_text = ReadFileToString(chat);
    EXPECT_TRUE(chat_text.ok());
    auto res = client_->Put("/v1/vods/" + id + "/chat", Auth(), *chat_text, "application/json");
    EXPECT_TRUE(res && res->status / 100 == 2) << (res ? res->body : "no answer");
    json got = Call("GET", "/v1/vods/" + id);
    EXPECT_EQ(got["status"], "ready") << got.dump();
    EXPECT_EQ(got["received_bytes"], media->size());
    return id;
  }

  // Polls the job until it ends; returns its last state.
  json WaitForJob(const std::string& job_id) {
    const auto deadline = std::chrono::steady_clock::now() + kJobTimeout;
    json job;
    while (std::chrono::steady_clock::now() < deadline) {
      job = Call("GET", "/v1/jobs/" + job_id);
      const std::string status = job.value("status", "");
      if (status == "succeeded" || status == "failed" || status == "cancelled") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ADD_FAILURE() << "job " << job_id << " did not finish: " << job.dump();
    return job;
  }

  // Waits until `count` clips of the VOD are ready (or one failed); returns the clip list.
  json WaitForClips(const std::string& vod_id, std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + kJobTimeout;
    json items;
    while (std::chrono::steady_clock::now() < deadline) {
      items = json::array();
      const json listed = Call("GET", "/v1/clips");
      for (const auto& clip : listed["items"]) {
        if (clip["vod_id"] == vod_id) items.push_back(clip);
      }
      std::size_t ready = 0;
      for (const auto& clip : items) {
        if (clip["status"] == "failed") {
          ADD_FAILURE() << "clip failed: " << clip.dump();
          return items;
        }
        if (clip["status"] == "ready") ++ready;
      }
      if (ready >= count) return items;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    ADD_FAILURE() << "clips not ready: " << items.dump();
    return items;
  }

  // Downloads the clip whole and by range; checks it plays (ffprobe: H.264 + AAC, duration).
  void CheckClipDownload(const std::string& clip_id) {
    const fs::path out = dir_ / ("clip-" + clip_id + ".mp4");
    auto whole = client_->Get("/v1/clips/" + clip_id + "/download", Auth());
    ASSERT_TRUE(whole && whole->status == 200) << (whole ? whole->body : "no answer");
    ASSERT_TRUE(WriteFileAtomically(out, whole->body).ok());

    httplib::Headers ranged = Auth();
    ranged.emplace("Range", "bytes=100-199");
    auto part = client_->Get("/v1/clips/" + clip_id + "/download", ranged);
    ASSERT_TRUE(part);
    EXPECT_EQ(part->status, 206);
    EXPECT_EQ(part->body, whole->body.substr(100, 100));
    EXPECT_EQ(part->get_header_value("Content-Range"),
              "bytes 100-199/" + std::to_string(whole->body.size()));

    auto probe = RunCommand({"/usr/bin/ffprobe", "-v", "error", "-print_format", "json",
                             "-show_format", "-show_streams", out.string()});
    ASSERT_EQ(probe.exit_code, 0) << probe.err;
    json info = json::parse(probe.out);
    std::set<std::string> codecs;
    for (const auto& s : info["streams"]) codecs.insert(s["codec_name"].get<std::string>());
    EXPECT_TRUE(codecs.count("h264")) << probe.out;
    EXPECT_TRUE(codecs.count("aac")) << probe.out;
    EXPECT_GT(std::stod(info["format"]["duration"].get<std::string>()), 0.5);
  }

  // Uploads a solid magenta logo and a template that puts it big in the top-left corner;
  // returns the template id.
  std::string CreateLogoTemplate() {
    const fs::path logo = dir_ / "brand.png";
    auto made = RunCommand({"/usr/bin/ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                            "color=c=0xFF00FF:s=64x64", "-frames:v", "1", logo.string()});
    EXPECT_EQ(made.exit_code, 0) << made.err;
    const auto bytes = ReadFileToString(logo);
    EXPECT_TRUE(bytes.ok());
    auto put = client_->Put("/v1/logos/brand.png", Auth(), *bytes, "image/png");
    EXPECT_TRUE(put && put->status == 200) << (put ? put->body : "no answer");
    auto refused = client_->Put("/v1/logos/notes.png", Auth(), "not a picture", "image/png");
    EXPECT_TRUE(refused && refused->status == 422) << (refused ? refused->body : "no answer");
    json created = Call("POST", "/v1/templates",
                        {{"name", "Magenta"},
                         {"document",
                          {{"version", 1},
                           {"captions", {{"preset", "bold"}}},
                           {"logo",
                            {{"path", "brand.png"},
                             {"position", "top-left"},
                             {"width_fraction", 0.3},
                             {"opacity", 1.0},
                             {"margin_px", 48}}}}}},
                        201);
    EXPECT_TRUE(created.contains("id")) << created.dump();
    return created.value("id", "");
  }

  // The template's logo is in the rendered clip: the middle of its 324x324 square at (48, 48)
  // of a 1080x1920 frame is magenta.
  void CheckLogoInClip(const std::string& clip_id) {
    const fs::path clip = dir_ / ("clip-" + clip_id + ".mp4");
    const fs::path frame = dir_ / ("frame-" + clip_id + ".rgb");
    auto grab =
        RunCommand({"/usr/bin/ffmpeg", "-v", "error", "-y", "-ss", "1", "-i", clip.string(),
                    "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", frame.string()});
    ASSERT_EQ(grab.exit_code, 0) << grab.err;
    const auto rgb = ReadFileToString(frame);
    ASSERT_TRUE(rgb.ok());
    ASSERT_EQ(rgb->size(), 1080u * 1920u * 3u);
    double sum[3] = {0, 0, 0};
    int count = 0;
    for (int y = 150; y < 270; ++y) {
      for (int x = 150; x < 270; ++x) {
        for (int c = 0; c < 3; ++c) {
          sum[c] +=
              static_cast<unsigned char>((*rgb)[(static_cast<std::size_t>(y) * 1080 + x) * 3 + c]);
        }
        ++count;
      }
    }
    EXPECT_GT(sum[0] / count, 200) << "red";
    EXPECT_LT(sum[1] / count, 60) << "green";
    EXPECT_GT(sum[2] / count, 200) << "blue";
  }

  std::string ServerLog() const { return server_->Log(); }
  int StopServer() { return server_->Kill(SIGTERM); }

 private:
  fs::path dir_;
  std::string db_url_;
  std::string worker_key_;
  std::string token_;
  int port_ = 0;
  std::unique_ptr<Child> server_;
  std::unique_ptr<httplib::Client> client_;
};

// The whole flow. With `kill_mid_job`, one worker runs first and is SIGKILLed while it holds
// the analysis job; a second worker starts afterwards and finishes the work.
void RunFlow(const fs::path& dir, const std::string& db_url, const fs::path& vod,
             const fs::path& chat, bool kill_mid_job) {
  Deployment d(dir, db_url);
  ASSERT_NO_FATAL_FAILURE(d.SignUp());
  const std::string vod_id = d.Upload(vod, chat);

  std::unique_ptr<Child> first = d.StartWorker("a");
  std::unique_ptr<Child> second;
  if (!kill_mid_job) second = d.StartWorker("b");

  // Without a killed worker, the clip is rendered with the user's own template (and logo).
  json analyze_params = {{"top", 2}, {"render_top", 1}};
  if (!kill_mid_job) analyze_params["template_id"] = d.CreateLogoTemplate();
  json job = d.Call("POST", "/v1/vods/" + vod_id + "/analyze", analyze_params, 202);
  const std::string job_id = job["id"];

  if (kill_mid_job) {
    // Wait until the first worker holds the job, then kill it without any warning.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline &&
           d.Call("GET", "/v1/jobs/" + job_id)["status"] != "running") {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(d.Call("GET", "/v1/jobs/" + job_id)["status"], "running") << first->Log();
    first->Kill(SIGKILL);
    second = d.StartWorker("b");
  }

  job = d.WaitForJob(job_id);
  ASSERT_EQ(job["status"], "succeeded") << job.dump() << "\n" << first->Log() << second->Log();
  if (kill_mid_job) {
    // The killed attempt plus the one that finished (more only if a loaded machine let a lease
    // lapse: that is the mechanism under test too).
    EXPECT_GE(job["attempts"], 2);
  }

  json moments = d.Call("GET", "/v1/vods/" + vod_id + "/moments")["items"];
  ASSERT_GE(moments.size(), 1u);
  EXPECT_LE(moments.size(), 2u);
  std::set<std::int64_t> ranks;
  for (const auto& m : moments) EXPECT_TRUE(ranks.insert(m["rank"].get<std::int64_t>()).second);

  json clips = d.WaitForClips(vod_id, 1);
  EXPECT_EQ(clips.size(), 1u) << "render_top 1: exactly one clip, no duplicates";
  if (clips.size() == 1) {
    d.CheckClipDownload(clips[0]["id"]);
    if (!kill_mid_job) d.CheckLogoInClip(clips[0]["id"]);
  }

  // One analysis and one render job, both succeeded: nothing was queued twice.
  json jobs = d.Call("GET", "/v1/jobs")["items"];
  int analyze = 0, render = 0;
  for (const auto& j : jobs) {
    EXPECT_EQ(j["status"], "succeeded") << j.dump();
    (j["kind"] == "analyze" ? analyze : render) += 1;
  }
  EXPECT_EQ(analyze, 1);
  EXPECT_EQ(render, 1);

  if (::testing::Test::HasFailure()) {
    std::fprintf(stderr, "--- serve log ---\n%s\n--- worker a ---\n%s\n--- worker b ---\n%s\n",
                 d.ServerLog().c_str(), first->Log().c_str(), second->Log().c_str());
  }
  // SIGTERM: the worker stops cleanly (exit 0) and so does the server.
  EXPECT_EQ(second->Kill(SIGTERM), 0) << second->Log();
  if (!kill_mid_job) {
    EXPECT_EQ(first->Kill(SIGTERM), 0) << first->Log();
  }
  EXPECT_EQ(d.StopServer(), 0) << d.ServerLog();
}

// `clipthat admin grant` on the data folder `clipthat serve` uses.
TEST(AdminCommandTest, GrantsAndTakesBackCreditsByEmailAndRefusesANegativeBalance) {
  TempDir dir("clipthat-admin");
  const std::string data = dir.path().string();
  {
    auto db = store::OpenDatabase("sqlite:" + (dir.path() / "clipthat.db").string(), 1);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(store::Migrate(**db).ok());
    ASSERT_TRUE((*db)
                    ->Execute("INSERT INTO users (id, email, password_hash, created_at_ms) "
                              "VALUES ('u1', 'streamer@example.com', 'h', 1)")
                    .ok());
  }
  auto grant = RunCommand({kBin, "admin", "grant", "streamer@example.com", "50", "--reason",
                           "launch bonus", "--data", data});
  ASSERT_EQ(grant.exit_code, 0) << grant.err;
  EXPECT_NE(grant.out.find("+50 credits, balance 50"), std::string::npos) << grant.out;
  auto take = RunCommand(
      {kBin, "admin", "grant", "u1", "-20", "--reason", "duplicate grant", "--data", data});
  ASSERT_EQ(take.exit_code, 0) << take.err;
  EXPECT_NE(take.out.find("balance 30"), std::string::npos) << take.out;
  auto too_much =
      RunCommand({kBin, "admin", "grant", "u1", "-31", "--reason", "oops", "--data", data});
  EXPECT_EQ(too_much.exit_code, 1);
  EXPECT_NE(too_much.err.find("negative balance"), std::string::npos) << too_much.err;
  auto nobody = RunCommand(
      {kBin, "admin", "grant", "nobody@example.com", "5", "--reason", "x", "--data", data});
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_NE(nobody.err.find("no user with id or e-mail 'nobody@example.com'"), std::string::npos)
      << nobody.err;
  EXPECT_EQ(RunCommand({kBin, "admin", "grant", "u1", "5", "--data", data}).exit_code, 2)
      << "--reason is required";
  auto db = store::OpenDatabase("sqlite:" + (dir.path() / "clipthat.db").string(), 1);
  ASSERT_TRUE(db.ok());
  auto rows = (*db)->Query(
      "SELECT kind, amount, reason FROM ledger_entries WHERE user_id = 'u1' ORDER BY amount");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->at(0).Text("kind"), "adjust");
  EXPECT_EQ(rows->at(0).Int("amount"), -20);
  EXPECT_EQ(rows->at(1).Text("kind"), "grant");
  EXPECT_EQ(rows->at(1).Text("reason"), "operator: launch bonus");
}

TEST_F(EndToEndTest, UploadAnalyzeRenderDownloadOnSqlite) {
  TempDir dir("clipthat-e2e-sqlite");
  RunFlow(dir.path(), "", Sample("vod.mp4"), Sample("chat.json"), /*kill_mid_job=*/false);
}

TEST_F(EndToEndTest, KilledWorkerLosesNothing) {
  TempDir dir("clipthat-e2e-kill");
  RunFlow(dir.path(), "", Sample("vod.mp4"), Sample("chat.json"), /*kill_mid_job=*/true);
}

TEST_F(EndToEndTest, KilledWorkerLosesNothingOnPostgres) {
  const char* server = std::getenv("CLIPTHAT_TEST_POSTGRES_URL");
  if (server == nullptr || *server == '\0') {
    GTEST_SKIP() << "CLIPTHAT_TEST_POSTGRES_URL is not set (scripts/test sets it)";
  }
  // A schema of its own on the shared server, dropped afterwards.
  auto admin = store::OpenDatabase(server, 1);
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  const std::string schema = "e2e_" + store::NewId().substr(0, 16);
  ASSERT_TRUE((*admin)->Execute("CREATE SCHEMA " + schema).ok());
  std::string url = server;
  url += (url.find('?') == std::string::npos ? "?" : "&");
  url += "options=-csearch_path%3D" + schema;
  TempDir dir("clipthat-e2e-postgres");
  RunFlow(dir.path(), url, Sample("vod.mp4"), Sample("chat.json"), /*kill_mid_job=*/true);
  EXPECT_TRUE((*admin)->Execute("DROP SCHEMA " + schema + " CASCADE").ok());
}

// The same flow with every object (upload chunks, chat, logo, clip, thumbnail) in an S3 bucket:
// `serve` reads store.url and store.s3.* from its environment.
TEST_F(EndToEndTest, UploadAnalyzeRenderDownloadOnS3) {
  if (store::testing::TestS3Url().empty()) {
    GTEST_SKIP() << "CLIPTHAT_TEST_S3_URL is not set (scripts/test sets it)";
  }
  auto bucket = store::testing::CreateTestBucket();
  ASSERT_TRUE(bucket.ok()) << bucket.status().ToString();
  const std::vector<std::pair<const char*, std::string>> settings = {
      {"CLIPTHAT_STORE_URL", "s3://" + bucket->bucket},
      {"CLIPTHAT_STORE_S3_ENDPOINT", bucket->endpoint},
      {"CLIPTHAT_STORE_S3_REGION", bucket->credentials.region},
      {"CLIPTHAT_STORE_S3_ACCESS__KEY", bucket->credentials.access_key},
      {"CLIPTHAT_STORE_S3_SECRET__KEY", bucket->credentials.secret_key}};
  for (const auto& [name, value] : settings) ::setenv(name, value.c_str(), 1);
  TempDir dir("clipthat-e2e-s3");
  RunFlow(dir.path(), "", Sample("vod.mp4"), Sample("chat.json"), /*kill_mid_job=*/false);
  for (const auto& [name, value] : settings) ::unsetenv(name);
  // Nothing went to the local folder.
  EXPECT_FALSE(fs::exists(dir.path() / "data" / "objects" / "vods"));
  EXPECT_FALSE(fs::exists(dir.path() / "data" / "objects" / "clips"));
}

}  // namespace
}  // namespace clipthat
