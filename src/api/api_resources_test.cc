// Functional tests of the API over real HTTP on loopback, against SQLite and (when
// CLIPTHAT_TEST_POSTGRES_URL is set) PostgreSQL: accounts and keys, chunked resumable uploads,
// ranged downloads, URL imports, the worker protocol with the job queue (analyze completion
// creating moments, clips and render jobs; render completion; failures), Server-Sent Events,
// templates and settings, and the OpenAPI document against the route table.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "api/testing/api_test_server.h"
#include "api/url_importer.h"

namespace clipthat::api {
namespace {

using testing::Backend;
using testing::Reply;
using testing::TestServer;

std::string Bytes(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    s[i] = static_cast<char>((i * 131 + seed * 7 + i / 251) & 0xFF);
  return s;
}

class ApiResourcesTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CLIPTHAT_API_TEST_SETUP(GetParam());
    t_ = TestServer::Start(GetParam());
    ASSERT_NE(t_, nullptr);
  }
  Reply PutChunk(const std::string& token, const std::string& vod_id, const std::string& data,
                 std::size_t start, std::size_t total) {
    return t_->Call("PUT", "/v1/vods/" + vod_id + "/media", token, data, "application/octet-stream",
                    {{"Content-Range", "bytes " + std::to_string(start) + "-" +
                                           std::to_string(start + data.size() - 1) + "/" +
                                           std::to_string(total)}});
  }
  nlohmann::json Lease(const std::string& key, const std::string& worker_id, const char* role) {
    Reply r = t_->Json("POST", "/v1/worker/lease", key,
                       {{"worker_id", worker_id}, {"roles", {role}}, {"lease_ms", 30000}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["job"];
  }
  std::unique_ptr<TestServer> t_;
};

TEST_P(ApiResourcesTest, SignupLoginLogoutAndKeys) {
  std::string email = "Mixed.Case-" + store::NewId().substr(0, 8) + "@Example.com";
  Reply signup =
      t_->Json("POST", "/v1/auth/signup", "", {{"email", email}, {"password", "password-123"}});
  ASSERT_EQ(signup.status, 201) << signup.body;
  EXPECT_GT(signup.json()["expires_at_ms"].get<std::int64_t>(), store::NowMs());
  EXPECT_EQ(
      t_->Json("POST", "/v1/auth/signup", "", {{"email", email}, {"password", "password-456"}})
          .status,
      409);
  EXPECT_EQ(
      t_->Json("POST", "/v1/auth/login", "", {{"email", email}, {"password", "wrong-pass"}}).status,
      401);
  Reply login =
      t_->Json("POST", "/v1/auth/login", "", {{"email", email}, {"password", "password-123"}});
  ASSERT_EQ(login.status, 200);
  std::string token = login.json()["token"];
  Reply me = t_->Call("GET", "/v1/me", token);
  ASSERT_EQ(me.status, 200);
  std::string lower = email;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(me.json()["email"], lower);
  EXPECT_FALSE(me.header("X-Request-Id").empty());
  EXPECT_EQ(t_->Call("GET", "/v1/me", token, "", "", {{"X-Request-Id", "trace-42"}})
                .header("X-Request-Id"),
            "trace-42");

  Reply key = t_->Json("POST", "/v1/keys", token, {{"name", "script"}});
  ASSERT_EQ(key.status, 201);
  std::string secret = key.json()["key"];
  EXPECT_EQ(secret.rfind("ck_", 0), 0u);
  Reply list = t_->Call("GET", "/v1/keys", token);
  ASSERT_EQ(list.json()["items"].size(), 1u);
  EXPECT_FALSE(list.json()["items"][0].contains("key"));
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(t_->Call("GET", "/v1/me", secret).json()["email"], lower);
  EXPECT_EQ(t_->Call("DELETE", "/v1/keys/" + key.json()["id"].get<std::string>(), token).status,
            204);
  EXPECT_EQ(t_->Call("GET", "/v1/me", secret).status, 401);
  EXPECT_EQ(t_->Call("POST", "/v1/auth/logout", token).status, 204);
  EXPECT_EQ(t_->Call("GET", "/v1/me", token).status, 401);
  EXPECT_EQ(t_->Call("GET", "/healthz").status, 200);
}

TEST_P(ApiResourcesTest, ChunkedResumableUploadAndRangedDownload) {
  std::string token = t_->SignUp();
  const std::string media = Bytes(300000, 1);
  Reply vod =
      t_->Json("POST", "/v1/vods", token,
               {{"title", "friday"}, {"size_bytes", media.size()}, {"filename", "Friday.MP4"}});
  ASSERT_EQ(vod.status, 201) << vod.body;
  std::string id = vod.json()["id"];
  EXPECT_EQ(vod.json()["upload"]["url"], "/v1/vods/" + id + "/media");
  ASSERT_EQ(PutChunk(token, id, media.substr(0, 100000), 0, media.size()).status, 200);
  // A chunk at the wrong offset is refused and changes nothing.
  Reply skip = PutChunk(token, id, media.substr(200000), 200000, media.size());
  EXPECT_EQ(skip.status, 409) << skip.body;
  EXPECT_NE(skip.body.find("resume from 100000"), std::string::npos) << skip.body;
  Reply again = PutChunk(token, id, media.substr(0, 100000), 0, media.size());
  EXPECT_EQ(again.status, 409);
  // Resume: ask where to continue.
  Reply status = t_->Call("GET", "/v1/vods/" + id, token);
  EXPECT_EQ(status.json()["received_bytes"], 100000);
  EXPECT_EQ(status.json()["status"], "uploading");
  Reply bad_total = PutChunk(token, id, media.substr(100000, 10), 100000, 5);
  EXPECT_EQ(bad_total.status, 422);
  Reply rest = PutChunk(token, id, media.substr(100000), 100000, media.size());
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.json()["status"], "ready");
  EXPECT_EQ(rest.json()["received_bytes"], 300000);

  Reply whole = t_->Call("GET", "/v1/vods/" + id + "/media", token);
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, media);
  Reply part =
      t_->Call("GET", "/v1/vods/" + id + "/media", token, "", "", {{"Range", "bytes=1000-1999"}});
  ASSERT_EQ(part.status, 206);
  EXPECT_EQ(part.body, media.substr(1000, 1000));
  EXPECT_EQ(part.header("Content-Range"), "bytes 1000-1999/300000");
  Reply tail =
      t_->Call("GET", "/v1/vods/" + id + "/media", token, "", "", {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.body, media.substr(media.size() - 10));
  // A range past the end is unsatisfiable: 416 with the real length, never a bogus 206.
  for (const char* range : {"bytes=999999999-", "bytes=300000-", "bytes=300000-300010"}) {
    Reply past = t_->Call("GET", "/v1/vods/" + id + "/media", token, "", "", {{"Range", range}});
    EXPECT_EQ(past.status, 416) << range;
    EXPECT_EQ(past.header("Content-Range"), "bytes */300000") << range;
  }
  Reply last_byte =
      t_->Call("GET", "/v1/vods/" + id + "/media", token, "", "", {{"Range", "bytes=299999-"}});
  EXPECT_EQ(last_byte.status, 206);
  EXPECT_EQ(last_byte.body, media.substr(299999));
  // An end past the object means its last byte; a suffix longer than it means all of it.
  Reply long_end = t_->Call("GET", "/v1/vods/" + id + "/media", token, "", "",
                            {{"Range", "bytes=299000-999999999"}});
  EXPECT_EQ(long_end.status, 206);
  EXPECT_EQ(long_end.header("Content-Range"), "bytes 299000-299999/300000");
  EXPECT_EQ(long_end.body, media.substr(299000));
  Reply long_tail =
      t_->Call("GET", "/v1/vods/" + id + "/media", token, "", "", {{"Range", "bytes=-400000"}});
  EXPECT_EQ(long_tail.status, 206);
  EXPECT_EQ(long_tail.body, media);

  // Chat replay; VOD listing with pagination.
  EXPECT_EQ(
      t_->Call("PUT", "/v1/vods/" + id + "/chat", token, "{not json", "application/json").status,
      400);
  Reply chat =
      t_->Call("PUT", "/v1/vods/" + id + "/chat", token, R"({"comments":[]})", "application/json");
  ASSERT_EQ(chat.status, 200);
  EXPECT_TRUE(chat.json()["has_chat"].get<bool>());
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(
        t_->Json("POST", "/v1/vods", token,
                 {{"title", "v" + std::to_string(i)}, {"size_bytes", 5}, {"filename", "x.mkv"}})
            .status,
        201);
  }
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    Reply page =
        t_->Call("GET", "/v1/vods?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), token);
    ASSERT_EQ(page.status, 200) << page.body;
    const nlohmann::json body = page.json();
    for (const auto& v : body["items"]) EXPECT_TRUE(seen.insert(v["id"]).second);
    cursor = body["next_cursor"].is_null() ? "" : body["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(t_->Call("DELETE", "/v1/vods/" + id, token).status, 204);
  EXPECT_EQ(t_->Call("GET", "/v1/vods/" + id + "/media", token).status, 404);
}

TEST_P(ApiResourcesTest, UrlImportFetchesMediaFromAnHttpServer) {
  const std::string media = Bytes(150000, 3);
  httplib::Server origin;
  origin.Get("/vod.mp4", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(media, "video/mp4");
  });
  origin.Get("/moved",
             [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/vod.mp4"); });
  int port = origin.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { origin.listen_after_bind(); });
  // stop() before the accept loop runs is ignored (the loop would then never end): wait for it.
  for (int i = 0; i < 2500 && !origin.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::string token = t_->SignUp();
  Reply vod = t_->Json("POST", "/v1/vods", token,
                       {{"url", "http://127.0.0.1:" + std::to_string(port) + "/moved"}});
  ASSERT_EQ(vod.status, 201) << vod.body;
  std::string id = vod.json()["id"];
  nlohmann::json state;
  for (int i = 0; i < 200; ++i) {
    state = t_->Call("GET", "/v1/vods/" + id, token).json();
    if (state["status"] != "uploading") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  origin.stop();
  serving.join();
  EXPECT_EQ(state["status"], "ready") << state.dump();
  EXPECT_EQ(t_->Call("GET", "/v1/vods/" + id + "/media", token).body, media);
  Reply twitch = t_->Json("POST", "/v1/vods", token, {{"url", "https://www.twitch.tv/videos/123"}});
  if (UrlImporter::TwitchTool().empty()) {
    EXPECT_EQ(twitch.status, 422);
    EXPECT_NE(twitch.body.find("yt-dlp or streamlink"), std::string::npos) << twitch.body;
  }
}

TEST_P(ApiResourcesTest, WorkerProtocolAnalyzeCreatesMomentsClipsAndRenderJobs) {
  std::string token = t_->SignUp();
  std::string key = t_->WorkerKey();
  const std::string media = Bytes(50000, 5);
  std::string vod_id = t_->ReadyVod(token, media);
  Reply tpl =
      t_->Json("POST", "/v1/templates", token,
               {{"name", "Neon"}, {"document", {{"version", 1}, {"accent_color", "#FF00FF"}}}});
  ASSERT_EQ(tpl.status, 201);
  std::string tpl_id = tpl.json()["id"];
  ASSERT_EQ(t_->Json("PUT", "/v1/settings", token, {{"default_template_id", tpl_id}}).status, 200);
  Reply analyze =
      t_->Json("POST", "/v1/vods/" + vod_id + "/analyze", token, {{"top", 3}, {"render_top", 2}});
  ASSERT_EQ(analyze.status, 202) << analyze.body;
  std::string job_id = analyze.json()["id"];
  EXPECT_EQ(analyze.json()["status"], "queued");
  EXPECT_EQ(t_->Json("POST", "/v1/worker/lease", key, {{"worker_id", "w1"}, {"roles", {"render"}}})
                .status,
            204);

  nlohmann::json job = Lease(key, "w1", "analyze");
  ASSERT_EQ(job["id"], job_id);
  EXPECT_EQ(job["params"]["template_id"], tpl_id);
  int attempt = job["attempt"];
  std::string files = "/v1/worker/jobs/" + job_id + "/files/";
  std::string lease_q = "?worker_id=w1&attempt=" + std::to_string(attempt);
  EXPECT_EQ(t_->Call("GET", files + "media" + lease_q, key).body, media);
  EXPECT_EQ(t_->Call("GET", files + "media?worker_id=w2&attempt=1", key).status, 409);
  EXPECT_EQ(t_->Call("GET", files + "chat" + lease_q, key).status, 404);

  // Server-Sent Events: a progress event arrives after a heartbeat, the state event at the end.
  std::string events;
  std::thread listener([&] {
    httplib::Client c = t_->Client();
    c.Get(("/v1/jobs/" + job_id + "/events").c_str(), {{"Authorization", "Bearer " + token}},
          [&](const char* data, std::size_t n) {
            events.append(data, n);
            return true;
          });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Reply beat = t_->Json(
      "POST", "/v1/worker/jobs/" + job_id + "/heartbeat", key,
      {{"worker_id", "w1"}, {"attempt", attempt}, {"progress", 0.5}, {"stage", "transcribe"}});
  ASSERT_EQ(beat.status, 200) << beat.body;
  EXPECT_GT(beat.json()["lease_expires_at_ms"].get<std::int64_t>(), store::NowMs());
  EXPECT_EQ(t_->Json("POST", "/v1/worker/jobs/" + job_id + "/heartbeat", key,
                     {{"worker_id", "intruder"}, {"attempt", attempt}})
                .status,
            409);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Reply status = t_->Call("GET", "/v1/jobs/" + job_id, token);
  EXPECT_EQ(status.json()["status"], "running");
  EXPECT_DOUBLE_EQ(status.json()["progress"].get<double>(), 0.5);
  EXPECT_EQ(status.json()["stage"], "transcribe");

  nlohmann::json moments = nlohmann::json::array();
  for (int i = 0; i < 3; ++i) {
    moments.push_back({{"id", i + 1},
                       {"start_ms", 10000 * (i + 1)},
                       {"end_ms", 10000 * (i + 1) + 8000},
                       {"score", 3.0 - i},
                       {"title", "moment " + std::to_string(i)},
                       {"words",
                        {{{"text", "clip"},
                          {"start_ms", 10000 * (i + 1) + 100},
                          {"end_ms", 10000 * (i + 1) + 400}}}}});
  }
  nlohmann::json complete = {
      {"worker_id", "w1"},
      {"attempt", attempt},
      {"result",
       {{"moments", moments}, {"duration_ms", 60000}, {"width", 1920}, {"height", 1080}}}};
  Reply done = t_->Json("POST", "/v1/worker/jobs/" + job_id + "/complete", key, complete);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(t_->Json("POST", "/v1/worker/jobs/" + job_id + "/complete", key, complete).status, 409);
  listener.join();
  EXPECT_NE(events.find("event: progress"), std::string::npos) << events;
  EXPECT_NE(events.find("\"progress\":0.5"), std::string::npos) << events;
  EXPECT_NE(events.find("event: state"), std::string::npos) << events;
  EXPECT_NE(events.find("\"status\":\"succeeded\""), std::string::npos) << events;

  Reply listed = t_->Call("GET", "/v1/vods/" + vod_id + "/moments", token);
  ASSERT_EQ(listed.json()["items"].size(), 3u);
  EXPECT_EQ(listed.json()["items"][0]["title"], "moment 0");
  const nlohmann::json analysed = t_->Call("GET", "/v1/vods/" + vod_id, token).json();
  EXPECT_EQ(analysed["duration_ms"], 60000);
  EXPECT_EQ(analysed["width"], 1920);
  EXPECT_EQ(analysed["height"], 1080);
  // Edit lists are now checked against the VOD as analysed: its length and its frame.
  for (const auto& [edit, field] : std::vector<std::pair<nlohmann::json, std::string>>{
           {{{"start_ms", 58000}, {"end_ms", 61000}}, "edit_list.end_ms"},
           {{{"start_ms", 1000},
             {"end_ms", 5000},
             {"layout",
              {{"mode", "split"},
               {"facecam", {{"x", 1800}, {"y", 900}, {"width", 400}, {"height", 300}}}}}},
            "edit_list.layout.facecam"}}) {
    Reply refused = t_->Json("POST", "/v1/clips", token, {{"vod_id", vod_id}, {"edit_list", edit}});
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.json()["error"]["message"].get<std::string>().rfind(field + ":", 0), 0u)
        << refused.body;
  }
  Reply clips = t_->Call("GET", "/v1/clips?vod_id=" + vod_id, token);
  const nlohmann::json clip_list = clips.json();
  ASSERT_EQ(clip_list["items"].size(), 2u);
  for (const auto& summary : clip_list["items"]) {
    EXPECT_FALSE(summary.contains("edit_list"));
    nlohmann::json c =
        t_->Call("GET", "/v1/clips/" + summary["id"].get<std::string>(), token).json();
    EXPECT_EQ(c["status"], "rendering");
    EXPECT_EQ(c["template_id"], tpl_id);
    ASSERT_TRUE(c["edit_list"].is_object()) << c.dump();
    EXPECT_EQ(c["edit_list"].value("/captions/words"_json_pointer, nlohmann::json()).size(), 1u)
        << c.dump();
  }

  // Render: lease, upload the outputs, complete; the clip is ready and downloadable.
  nlohmann::json render = Lease(key, "w2", "render");
  std::string render_id = render["id"];
  std::string clip_id = render["clip_id"];
  EXPECT_EQ(render["params"]["clip_id"], clip_id);
  EXPECT_EQ(render["params"]["template"]["accent_color"], "#FF00FF");
  std::string rq = "?worker_id=w2&attempt=" + std::to_string(render["attempt"].get<int>());
  const std::string mp4 = Bytes(40000, 9), jpg = Bytes(3000, 11);
  EXPECT_EQ(t_->Call("PUT", "/v1/worker/jobs/" + render_id + "/files/clip.mp4" + rq, key, mp4,
                     "video/mp4")
                .status,
            200);
  EXPECT_EQ(t_->Call("PUT", "/v1/worker/jobs/" + render_id + "/files/thumb.jpg" + rq, key, jpg,
                     "image/jpeg")
                .status,
            200);
  EXPECT_EQ(t_->Call("PUT", "/v1/worker/jobs/" + render_id + "/files/evil.sh" + rq, key, "x",
                     "text/plain")
                .status,
            404);
  nlohmann::json render_result = {{"output_key", "clips/" + clip_id + "/clip.mp4"},
                                  {"thumbnail_key", "clips/" + clip_id + "/thumb.jpg"},
                                  {"duration_ms", 8000},
                                  {"size_bytes", mp4.size()}};
  nlohmann::json wrong_key = render_result;
  wrong_key["output_key"] = "vods/" + vod_id + "/media.mp4";
  EXPECT_EQ(t_->Json("POST", "/v1/worker/jobs/" + render_id + "/complete", key,
                     {{"worker_id", "w2"}, {"attempt", render["attempt"]}, {"result", wrong_key}})
                .status,
            422);
  Reply rendered =
      t_->Json("POST", "/v1/worker/jobs/" + render_id + "/complete", key,
               {{"worker_id", "w2"}, {"attempt", render["attempt"]}, {"result", render_result}});
  ASSERT_EQ(rendered.status, 200) << rendered.body;
  Reply clip = t_->Call("GET", "/v1/clips/" + clip_id, token);
  EXPECT_EQ(clip.json()["status"], "ready");
  EXPECT_EQ(t_->Call("GET", "/v1/clips/" + clip_id + "/download", token).body, mp4);
  Reply range = t_->Call("GET", "/v1/clips/" + clip_id + "/download", token, "", "",
                         {{"Range", "bytes=100-199"}});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.body, mp4.substr(100, 100));
  EXPECT_EQ(t_->Call("GET", "/v1/clips/" + clip_id + "/thumbnail", token).body, jpg);

  // The other render job fails for good: the job and its clip end failed with the error, the
  // worker's scratch folder cut from it.
  nlohmann::json second = Lease(key, "w3", "render");
  Reply fail = t_->Json("POST", "/v1/worker/jobs/" + second["id"].get<std::string>() + "/fail", key,
                        {{"worker_id", "w3"},
                         {"attempt", second["attempt"]},
                         {"error", "encoder exploded on /var/tmp/clipthat-job-7/in.mp4"},
                         {"retryable", false}});
  ASSERT_EQ(fail.status, 200) << fail.body;
  Reply failed_job = t_->Call("GET", "/v1/jobs/" + second["id"].get<std::string>(), token);
  EXPECT_EQ(failed_job.json()["status"], "failed");
  EXPECT_EQ(failed_job.json()["error"], "encoder exploded on in.mp4");
  EXPECT_EQ(
      t_->Call("GET", "/v1/clips/" + second["clip_id"].get<std::string>(), token).json()["status"],
      "failed");

  // Re-render after an edit; release puts the job back in the queue.
  Reply patch = t_->Json(
      "PATCH", "/v1/clips/" + clip_id, token,
      {{"title", "better title"},
       {"edit_list", {{"start_ms", 10000}, {"end_ms", 15000}, {"layout", {{"mode", "split"}}}}}});
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(patch.json()["edit_list"]["layout"]["mode"], "split");
  Reply bad_layout = t_->Json(
      "PATCH", "/v1/clips/" + clip_id, token,
      {{"edit_list", {{"start_ms", 0}, {"end_ms", 5000}, {"layout", {{"mode", "grid"}}}}}});
  EXPECT_EQ(bad_layout.status, 422);
  EXPECT_NE(bad_layout.body.find("edit_list.layout.mode"), std::string::npos);
  Reply rerender = t_->Call("POST", "/v1/clips/" + clip_id + "/render", token);
  ASSERT_EQ(rerender.status, 202) << rerender.body;
  EXPECT_EQ(t_->Call("POST", "/v1/clips/" + clip_id + "/render", token).status, 409);
  nlohmann::json third = Lease(key, "w4", "render");
  EXPECT_EQ(third["params"]["edit_list"]["layout"]["mode"], "split");
  // A worker that loses its lease while uploading (here: it is released half-way) stops at its
  // next 1 MiB piece: another attempt may be writing the same clip.
  {
    const std::string piece(768 << 10, 'p');
    int pieces = 0;
    int released = 0;
    httplib::Client c = t_->Client();
    auto put = c.Put(
        ("/v1/worker/jobs/" + third["id"].get<std::string>() +
         "/files/clip.mp4?worker_id=w4&attempt=" + std::to_string(third["attempt"].get<int>()))
            .c_str(),
        {{"Authorization", "Bearer " + key}},
        [&](std::size_t, httplib::DataSink& sink) {
          if (pieces == 2 && released == 0) {
            released =
                t_->Json("POST", "/v1/worker/jobs/" + third["id"].get<std::string>() + "/release",
                         key, {{"worker_id", "w4"}, {"attempt", third["attempt"]}})
                    .status;
          }
          if (pieces == 3) {
            sink.done();
            return true;
          }
          ++pieces;
          return sink.write(piece.data(), piece.size());
        },
        "video/mp4");
    EXPECT_EQ(released, 200);
    // The server answers 409 and closes without reading the rest of the body; a client still
    // writing may see the connection reset before it reads that answer. Either way the upload
    // must not have been accepted (without the check it answers 200).
    if (put) {
      EXPECT_EQ(put->status, 409) << put->body;
    } else {
      EXPECT_EQ(put.error(), httplib::Error::Write) << httplib::to_string(put.error());
    }
  }
  EXPECT_EQ(t_->Call("GET", "/v1/jobs/" + third["id"].get<std::string>(), token).json()["status"],
            "queued");
  Reply cancel = t_->Call("POST", "/v1/jobs/" + third["id"].get<std::string>() + "/cancel", token);
  EXPECT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_EQ(cancel.json()["status"], "cancelled");
  EXPECT_EQ(
      t_->Call("POST", "/v1/jobs/" + third["id"].get<std::string>() + "/cancel", token).status,
      409);
  EXPECT_GE(t_->Call("GET", "/v1/jobs", token).json()["items"].size(), 4u);
}

TEST_P(ApiResourcesTest, OpenApiDocumentsEveryRouteAndDocsPageRendersIt) {
  Reply doc = t_->Call("GET", "/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  nlohmann::json api = doc.json();
  EXPECT_EQ(api["openapi"], "3.0.3");
  const nlohmann::json& schemas = api["components"]["schemas"];
  std::size_t documented = 0;
  for (const auto& [path, methods] : api["paths"].items()) documented += methods.size();
  EXPECT_EQ(documented, t_->server().router().routes().size());
  std::string page = t_->Call("GET", "/docs").body;
  for (const Route& route : t_->server().router().routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(api["paths"].contains(route.path)) << route.path;
    ASSERT_TRUE(api["paths"][route.path].contains(method)) << route.method << " " << route.path;
    const nlohmann::json& op = api["paths"][route.path][method];
    EXPECT_FALSE(op["summary"].get<std::string>().empty()) << route.path;
    EXPECT_FALSE(op["responses"].empty());
    if (route.body == BodyKind::kJson) {
      ASSERT_TRUE(op.contains("requestBody"))
          << route.method << " " << route.path << " has no request schema";
    }
    if (route.access != Access::kPublic) {
      EXPECT_TRUE(op["responses"].contains("401"));
    }
    EXPECT_NE(page.find(route.path), std::string::npos) << route.path;
  }
  // Every $ref names a schema.
  std::function<void(const nlohmann::json&)> check = [&](const nlohmann::json& j) {
    if (j.is_object()) {
      if (j.contains("$ref")) {
        std::string ref = j["$ref"];
        EXPECT_TRUE(schemas.contains(ref.substr(ref.rfind('/') + 1))) << ref;
      }
      for (const auto& [k, v] : j.items()) check(v);
    } else if (j.is_array()) {
      for (const auto& v : j) check(v);
    }
  };
  check(api);
  EXPECT_NE(page.find("<h3 id=\"schema-Clip\">"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiResourcesTest, ::testing::ValuesIn(testing::TestBackends()),
                         [](const auto& info) {
                           return std::string(store::testing::BackendName(info.param));
                         });

}  // namespace
}  // namespace clipthat::api
