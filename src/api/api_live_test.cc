// Functional tests of live monitoring as a service over real HTTP on loopback, against SQLite and
// (when CLIPTHAT_TEST_POSTGRES_URL is set) PostgreSQL: starting a live job (sources checked by
// the URL address policy, the first minute's credits), the worker's side (lease with the minute
// to charge next, live-minute, live clips and their files, a resumed lease), the user's clips
// and the job's event stream, stopping, and running out of credits.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "api/testing/api_test_server.h"
#include "billing/ledger.h"
#include "store/job_queue.h"
#include "store/testing/migrated_database_test.h"

namespace clipthat::api {
namespace {

using testing::Backend;
using testing::Reply;
using testing::TestServer;

// Users' URLs are judged by the production policy (public addresses only), with names resolved
// here: "internal.example" is a private address, any other name a public one.
void LiveOptions(ApiServerOptions& o) {
  o.allow_private_urls = false;
  o.url_resolver = [](const std::string& host) -> Result<std::vector<IpAddress>> {
    if (auto literal = IpAddress::Parse(host); literal.ok()) return std::vector{*literal};
    ASSIGN_OR_RETURN(IpAddress address,
                     IpAddress::Parse(host == "internal.example" ? "10.0.0.7" : "93.184.216.34"));
    return std::vector{address};
  };
}

class ApiLiveTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CLIPTHAT_API_TEST_SETUP(GetParam());
    t_ = TestServer::Start(GetParam(), LiveOptions);
    ASSERT_NE(t_, nullptr);
    key_ = t_->WorkerKey();
  }

  Reply Start(const std::string& token, const nlohmann::json& body) {
    return t_->Json("POST", "/v1/live", token, body);
  }
  Reply Lease(const std::string& worker_id, std::int64_t lease_ms = 30000) {
    return t_->Json("POST", "/v1/worker/lease", key_,
                    {{"worker_id", worker_id}, {"roles", {"live"}}, {"lease_ms", lease_ms}});
  }
  Reply Minute(const std::string& job_id, const std::string& worker_id, int attempt, int minute) {
    return t_->Json("POST", "/v1/worker/jobs/" + job_id + "/live-minute", key_,
                    {{"worker_id", worker_id}, {"attempt", attempt}, {"minute", minute}});
  }
  Reply LiveClip(const std::string& job_id, const std::string& worker_id, int attempt,
                 std::int64_t start_ms, std::int64_t end_ms) {
    return t_->Json("POST", "/v1/worker/jobs/" + job_id + "/live-clips", key_,
                    {{"worker_id", worker_id},
                     {"attempt", attempt},
                     {"start_ms", start_ms},
                     {"end_ms", end_ms},
                     {"reason", "chat: clip it"}});
  }
  Reply PutLiveFile(const std::string& job_id, const std::string& clip_id, const std::string& name,
                    const std::string& worker_id, int attempt, const std::string& bytes) {
    return t_->Call("PUT",
                    "/v1/worker/jobs/" + job_id + "/live-clips/" + clip_id + "/files/" + name +
                        "?worker_id=" + worker_id + "&attempt=" + std::to_string(attempt),
                    key_, bytes, "application/octet-stream");
  }
  std::int64_t Balance(const std::string& token) {
    Reply r = t_->Call("GET", "/v1/billing", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("balance", std::int64_t{-1});
  }
  nlohmann::json Job(const std::string& token, const std::string& id) {
    Reply r = t_->Call("GET", "/v1/jobs/" + id, token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  std::unique_ptr<TestServer> t_;
  std::string key_;
};

TEST_P(ApiLiveTest, SourcesAreCheckedBeforeAJobIsQueued) {
  std::string token = t_->SignUp();
  const std::vector<nlohmann::json> refused = {
      {{"source", "ftp://example.com/live.m3u8"}},
      {{"source", "http://10.0.0.1/live.m3u8"}},
      {{"source", "http://internal.example/live/index.m3u8"}},
      {{"source", "https://www.twitch.tv/bad-name!"}},
      {{"source", "https://www.twitch.tv/abcdefghijklmnopqrstuvwxyz"}},
      {{"source", "https://www.twitch.tv/videos/123456"}},
      {{"source", "rtmp://example.com/live"}},
      {{"source", "https://example.com/live.m3u8"}, {"chat", "irc://10.0.0.1/#chan"}},
      {{"source", "https://example.com/live.m3u8"}, {"chat", "ircs://irc.example.com/#chan"}},
      {{"source", "https://example.com/live.m3u8"}, {"chat", "http://example.com/#chan"}},
      {{"source", "https://example.com/live.m3u8"}, {"layout", "sideways"}},
      {{"source", "https://example.com/live.m3u8"}, {"template", "no-such-template"}},
      {{"source", "https://example.com/live.m3u8"}, {"duration", 60}},
      {{"chat", "irc://irc.chat.twitch.tv/#chan"}},
  };
  for (const nlohmann::json& body : refused) {
    Reply r = Start(token, body);
    EXPECT_EQ(r.status, 422) << body.dump() << ": " << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "invalid_field") << r.body;
  }
  Reply jobs = t_->Call("GET", "/v1/live", token);
  ASSERT_EQ(jobs.status, 200) << jobs.body;
  EXPECT_TRUE(jobs.json()["items"].empty()) << "nothing refused was queued";

  Reply hls = Start(token, {{"source", "https://cdn.example.com/live/index.m3u8"}});
  EXPECT_EQ(hls.status, 202) << hls.body;
  Reply twitch = Start(token, {{"source", "https://twitch.tv/Some_Streamer?t=1"},
                               {"chat", "irc://irc.chat.twitch.tv/#Some_Streamer"},
                               {"layout", "split"}});
  ASSERT_EQ(twitch.status, 202) << twitch.body;
  EXPECT_EQ(twitch.json()["kind"], "live");
  EXPECT_EQ(twitch.json()["status"], "queued");
  EXPECT_EQ(twitch.json()["params"]["source"], "https://www.twitch.tv/Some_Streamer");
  EXPECT_EQ(twitch.json()["params"]["chat"], "irc://irc.chat.twitch.tv:6667/#some_streamer");
  EXPECT_EQ(twitch.json()["params"]["layout"], "split");
  EXPECT_EQ(Balance(token), 30) << "starting holds nothing: minutes are charged as they begin";
}

TEST_P(ApiLiveTest, AWorkerChargesMinutesCutsClipsAndTheUserGetsThemUntilStopped) {
  std::string user_id;
  std::string token = t_->SignUp(&user_id);
  // Another job kind of the same user stays out of the live list.
  std::string vod = t_->ReadyVod(token, std::string(1000, 'v'));
  store::NewJob analyze;
  analyze.user_id = user_id;
  analyze.kind = "analyze";
  analyze.vod_id = vod;
  ASSERT_TRUE(store::JobQueue(t_->db()).Enqueue(analyze).ok());
  Reply started = Start(token, {{"source", "https://www.twitch.tv/somestreamer"}});
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string job_id = started.json()["id"];
  Reply list = t_->Call("GET", "/v1/live", token);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json()["items"].size(), 1u) << list.body;
  EXPECT_EQ(list.json()["items"][0]["id"], job_id);
  EXPECT_EQ(t_->Call("GET", "/v1/live", t_->SignUp()).json()["items"].size(), 0u);

  Reply lease = Lease("live-1");
  ASSERT_EQ(lease.status, 200) << lease.body;
  const nlohmann::json leased = lease.json()["job"];
  ASSERT_EQ(leased["id"], job_id);
  EXPECT_EQ(leased["kind"], "live");
  EXPECT_EQ(leased["params"]["source"], "https://www.twitch.tv/somestreamer");
  EXPECT_EQ(leased["live"]["next_minute"], 0);
  const int attempt = leased["attempt"];

  ASSERT_EQ(Minute(job_id, "live-1", attempt, 0).status, 200);
  EXPECT_EQ(Balance(token), 29);
  Reply m1 = Minute(job_id, "live-1", attempt, 1);
  ASSERT_EQ(m1.status, 200) << m1.body;
  EXPECT_EQ(m1.json()["balance"], 28);
  EXPECT_EQ(Balance(token), 28);
  EXPECT_EQ(Job(token, job_id)["result"]["minutes"], 2);

  // A clip: recorded, then its files; only the lease holder may.
  EXPECT_EQ(LiveClip(job_id, "live-1", attempt, 5000, 5000).status, 422);
  EXPECT_EQ(LiveClip(job_id, "intruder", attempt, 1000, 5000).status, 409);
  Reply clip = LiveClip(job_id, "live-1", attempt, 61000, 91000);
  ASSERT_EQ(clip.status, 201) << clip.body;
  const std::string clip_id = clip.json()["clip_id"];
  Reply pending = t_->Call("GET", "/v1/clips/" + clip_id, token);
  ASSERT_EQ(pending.status, 200) << pending.body;
  EXPECT_EQ(pending.json()["status"], "rendering");
  EXPECT_TRUE(pending.json()["vod_id"].is_null());
  EXPECT_EQ(pending.json()["live_job_id"], job_id);
  EXPECT_EQ(pending.json()["title"], "chat: clip it");
  EXPECT_EQ(pending.json()["edit_list"]["live"]["start_ms"], 61000);

  // The job's event stream shows the clip once it is ready.
  std::atomic<bool> saw_clip{false};
  std::string events;
  std::thread subscriber([&] {
    httplib::Client c = t_->Client();
    c.Get(("/v1/jobs/" + job_id + "/events").c_str(), {{"Authorization", "Bearer " + token}},
          [&](const char* data, std::size_t size) {
            events.append(data, size);
            if (events.find("\"last_clip_id\":\"" + clip_id + "\"") != std::string::npos) {
              saw_clip = true;
              return false;
            }
            return events.size() < (1 << 20);
          });
  });

  const std::string thumb = "\xff\xd8\xff thumbnail";
  const std::string mp4 = std::string(70000, 'm') + "moov";
  EXPECT_EQ(PutLiveFile(job_id, clip_id, "clip.mp4", "intruder", attempt, mp4).status, 409);
  EXPECT_EQ(PutLiveFile(job_id, clip_id, "other.bin", "live-1", attempt, mp4).status, 404);
  EXPECT_EQ(PutLiveFile(job_id, "no-such-clip", "clip.mp4", "live-1", attempt, mp4).status, 404);
  ASSERT_EQ(PutLiveFile(job_id, clip_id, "thumb.jpg", "live-1", attempt, thumb).status, 200);
  Reply put = PutLiveFile(job_id, clip_id, "clip.mp4", "live-1", attempt, mp4);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["size_bytes"], static_cast<std::int64_t>(mp4.size()));
  subscriber.join();
  EXPECT_TRUE(saw_clip) << events;

  Reply ready = t_->Call("GET", "/v1/clips/" + clip_id, token);
  EXPECT_EQ(ready.json()["status"], "ready") << ready.body;
  EXPECT_EQ(ready.json()["duration_ms"], 30000);
  EXPECT_EQ(ready.json()["has_thumbnail"], true);
  Reply clips = t_->Call("GET", "/v1/clips", token);
  ASSERT_EQ(clips.status, 200) << clips.body;
  ASSERT_EQ(clips.json()["items"].size(), 1u) << clips.body;
  EXPECT_EQ(clips.json()["items"][0]["live_job_id"], job_id);
  EXPECT_TRUE(clips.json()["items"][0]["vod_id"].is_null());
  EXPECT_EQ(t_->Call("GET", "/v1/clips/" + clip_id + "/download", token).body, mp4);
  EXPECT_EQ(t_->Call("GET", "/v1/clips/" + clip_id + "/thumbnail", token).body, thumb);
  EXPECT_EQ(t_->Call("GET", "/v1/clips/" + clip_id + "/download", t_->SignUp()).status, 404);
  const nlohmann::json result = Job(token, job_id)["result"];
  EXPECT_EQ(result["clips"], 1);
  EXPECT_EQ(result["last_clip_id"], clip_id);
  EXPECT_EQ(result["minutes"], 2);
  // A live clip has no VOD to edit against or render again from.
  EXPECT_EQ(t_->Json("PATCH", "/v1/clips/" + clip_id, token,
                     {{"edit_list", {{"start_ms", 0}, {"end_ms", 1000}}}})
                .status,
            409);
  EXPECT_EQ(t_->Call("POST", "/v1/clips/" + clip_id + "/render", token).status, 409);
  EXPECT_EQ(t_->Json("PATCH", "/v1/clips/" + clip_id, token, {{"title", "renamed"}}).status, 200);

  // Stopping: only the owner, only a live job; the worker learns it from its heartbeat.
  EXPECT_EQ(t_->Call("DELETE", "/v1/live/" + job_id, t_->SignUp()).status, 404);
  EXPECT_EQ(t_->Call("DELETE", "/v1/live/no-such-job", token).status, 404);
  Reply stopped = t_->Call("DELETE", "/v1/live/" + job_id, token);
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  EXPECT_EQ(stopped.json()["status"], "cancelled");
  EXPECT_EQ(t_->Json("POST", "/v1/worker/jobs/" + job_id + "/heartbeat", key_,
                     {{"worker_id", "live-1"}, {"attempt", attempt}})
                .status,
            409);
  EXPECT_EQ(Minute(job_id, "live-1", attempt, 2).status, 409);
  EXPECT_EQ(LiveClip(job_id, "live-1", attempt, 1000, 5000).status, 409);
  EXPECT_EQ(t_->Call("DELETE", "/v1/live/" + job_id, token).status, 409);
  EXPECT_EQ(Balance(token), 28);
  EXPECT_EQ(t_->Call("GET", "/v1/clips/" + clip_id, token).json()["status"], "ready")
      << "clips already cut stay";
}

TEST_P(ApiLiveTest, AResumedLeaseContinuesTheMinuteCount) {
  std::string token = t_->SignUp();
  Reply started = Start(token, {{"source", "https://cdn.example.com/live/index.m3u8"}});
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string job_id = started.json()["id"];
  Reply first = Lease("live-1", 1000);
  ASSERT_EQ(first.status, 200) << first.body;
  const int attempt = first.json()["job"]["attempt"];
  ASSERT_EQ(Minute(job_id, "live-1", attempt, 0).status, 200);
  ASSERT_EQ(Minute(job_id, "live-1", attempt, 1).status, 200);
  EXPECT_EQ(Balance(token), 28);

  // The first worker dies: its lease runs out and another worker takes the job over.
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  Reply second = Lease("live-2");
  ASSERT_EQ(second.status, 200) << second.body;
  const nlohmann::json resumed = second.json()["job"];
  EXPECT_EQ(resumed["id"], job_id);
  EXPECT_EQ(resumed["attempt"], attempt + 1);
  EXPECT_EQ(resumed["live"]["next_minute"], 2) << resumed.dump();
  EXPECT_EQ(Minute(job_id, "live-1", attempt, 2).status, 409) << "the old lease is gone";
  Reply again = Minute(job_id, "live-2", attempt + 1, 0);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(Balance(token), 28) << "minute 0 is not charged twice";
  ASSERT_EQ(Minute(job_id, "live-2", attempt + 1, 2).status, 200);
  EXPECT_EQ(Balance(token), 27);

  // The source ends: the result keeps the worker's summary and the server's counts.
  Reply done =
      t_->Json("POST", "/v1/worker/jobs/" + job_id + "/complete", key_,
               {{"worker_id", "live-2"},
                {"attempt", attempt + 1},
                {"result",
                 {{"watched_ms", 180000}, {"stopped_because", "end of source"}, {"minutes", 99}}}});
  ASSERT_EQ(done.status, 200) << done.body;
  const nlohmann::json job = Job(token, job_id);
  EXPECT_EQ(job["status"], "succeeded");
  EXPECT_EQ(job["result"]["watched_ms"], 180000);
  EXPECT_EQ(job["result"]["stopped_because"], "end of source");
  EXPECT_EQ(job["result"]["minutes"], 3);
  EXPECT_EQ(job["result"]["clips"], 0);
  EXPECT_EQ(Balance(token), 27);
}

TEST_P(ApiLiveTest, MonitoringNeedsCreditsForEachMinute) {
  std::string user_id;
  std::string token = t_->SignUp(&user_id);
  ASSERT_OK(billing::Ledger().Grant(t_->db(), user_id, -30, "test: empty the balance"));
  Reply refused = Start(token, {{"source", "https://www.twitch.tv/somestreamer"}});
  EXPECT_EQ(refused.status, 402) << refused.body;
  EXPECT_EQ(refused.json()["error"]["code"], "payment_required");
  EXPECT_EQ(refused.json()["error"]["price"], 1);
  EXPECT_EQ(refused.json()["error"]["balance"], 0);
  EXPECT_TRUE(t_->Call("GET", "/v1/live", token).json()["items"].empty());

  ASSERT_OK(billing::Ledger().Grant(t_->db(), user_id, 1, "test: one minute"));
  Reply started = Start(token, {{"source", "https://www.twitch.tv/somestreamer"}});
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string job_id = started.json()["id"];
  Reply lease = Lease("live-1");
  ASSERT_EQ(lease.status, 200) << lease.body;
  const int attempt = lease.json()["job"]["attempt"];
  ASSERT_EQ(Minute(job_id, "live-1", attempt, 0).status, 200);
  Reply broke = Minute(job_id, "live-1", attempt, 1);
  EXPECT_EQ(broke.status, 402) << broke.body;
  EXPECT_EQ(broke.json()["error"]["balance"], 0);
  EXPECT_EQ(Balance(token), 0);
  // The worker stops and fails the job for good with the reason.
  Reply failed = t_->Json("POST", "/v1/worker/jobs/" + job_id + "/fail", key_,
                          {{"worker_id", "live-1"},
                           {"attempt", attempt},
                           {"error", "no credits left"},
                           {"retryable", false}});
  ASSERT_EQ(failed.status, 200) << failed.body;
  const nlohmann::json job = Job(token, job_id);
  EXPECT_EQ(job["status"], "failed");
  EXPECT_EQ(job["error"], "no credits left");
  EXPECT_EQ(job["result"]["minutes"], 1);
}

TEST_P(ApiLiveTest, LiveJobsCountAgainstTheActiveJobsQuota) {
  t_.reset();
  t_ = TestServer::Start(GetParam(), [](ApiServerOptions& o) {
    LiveOptions(o);
    o.quota_max_active_jobs = 1;
  });
  ASSERT_NE(t_, nullptr);
  std::string token = t_->SignUp();
  ASSERT_EQ(Start(token, {{"source", "https://www.twitch.tv/one"}}).status, 202);
  Reply second = Start(token, {{"source", "https://www.twitch.tv/two"}});
  EXPECT_EQ(second.status, 429) << second.body;
  EXPECT_EQ(second.json()["error"]["code"], "quota_exceeded");
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiLiveTest, ::testing::ValuesIn(testing::TestBackends()),
                         [](const auto& info) { return store::testing::BackendName(info.param); });

}  // namespace
}  // namespace clipthat::api
