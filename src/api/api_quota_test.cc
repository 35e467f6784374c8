// Per-user quotas over HTTP, against SQLite and (when CLIPTHAT_TEST_POSTGRES_URL is set)
// PostgreSQL: jobs queued or running, uploads in progress, stored bytes. Each refusal names its
// quota, writes nothing and holds no credits; other users are not affected.
#include <gtest/gtest.h>

#include "api/testing/api_test_server.h"

namespace clipthat::api {
namespace {

using testing::Backend;
using testing::Reply;
using testing::TestServer;

class ApiQuotaTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CLIPTHAT_API_TEST_SETUP(GetParam());
    t_ = TestServer::Start(GetParam(), [](ApiServerOptions& o) {
      o.quota_max_active_jobs = 2;
      o.quota_max_open_uploads = 2;
      o.quota_max_stored_bytes = 1000;
    });
    ASSERT_NE(t_, nullptr);
  }
  Reply CreateUpload(const std::string& token, std::int64_t size_bytes) {
    return t_->Json("POST", "/v1/vods", token,
                    {{"title", "stream"}, {"size_bytes", size_bytes}, {"filename", "a.mp4"}});
  }
  static void ExpectQuota(const Reply& r, int status, const std::string& quota) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "quota_exceeded") << r.body;
    EXPECT_EQ(r.json()["error"]["quota"], quota) << r.body;
    EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("quota"), std::string::npos);
  }
  std::unique_ptr<TestServer> t_;
};

TEST_P(ApiQuotaTest, UploadsInProgressAndStoredBytesAreLimitedPerUser) {
  std::string token = t_->SignUp();
  Reply first = CreateUpload(token, 400);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(CreateUpload(token, 400).status, 201);
  ExpectQuota(CreateUpload(token, 100), 429, "api.quota.max_open_uploads");
  // Another user has quotas of their own.
  EXPECT_EQ(CreateUpload(t_->SignUp(), 400).status, 201);
  // Deleting an upload frees its slot and its bytes.
  std::string first_id = first.json()["id"];
  ASSERT_EQ(t_->Call("DELETE", "/v1/vods/" + first_id, token).status, 204);
  ExpectQuota(CreateUpload(token, 700), 409, "api.quota.max_stored_bytes");
  EXPECT_EQ(CreateUpload(token, 600).status, 201);
  EXPECT_EQ(t_->Call("GET", "/v1/vods", token).json()["items"].size(), 2u);
}

TEST_P(ApiQuotaTest, JobsQueuedOrRunningAreLimitedPerUserBeforeCreditsAreHeld) {
  std::string token = t_->SignUp();
  Reply vod = CreateUpload(token, 10);
  ASSERT_EQ(vod.status, 201) << vod.body;
  std::vector<std::string> clips;
  for (int i = 0; i < 3; ++i) {
    Reply clip = t_->Json("POST", "/v1/clips", token,
                          {{"vod_id", vod.json()["id"]},
                           {"title", "clip " + std::to_string(i)},
                           {"edit_list", {{"start_ms", 0}, {"end_ms", 5000}}}});
    ASSERT_EQ(clip.status, 201) << clip.body;
    clips.push_back(clip.json()["id"]);
  }
  EXPECT_EQ(t_->Call("POST", "/v1/clips/" + clips[0] + "/render", token).status, 202);
  EXPECT_EQ(t_->Call("POST", "/v1/clips/" + clips[1] + "/render", token).status, 202);
  const std::int64_t balance = t_->Call("GET", "/v1/billing", token).json().value("balance", -1);
  ExpectQuota(t_->Call("POST", "/v1/clips/" + clips[2] + "/render", token), 429,
              "api.quota.max_active_jobs");
  EXPECT_EQ(t_->Call("GET", "/v1/billing", token).json().value("balance", -1), balance)
      << "a refused job holds no credits";
  EXPECT_EQ(t_->Call("GET", "/v1/clips/" + clips[2], token).json()["status"], "pending");
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiQuotaTest, ::testing::ValuesIn(testing::TestBackends()),
                         [](const auto& info) {
                           return std::string(store::testing::BackendName(info.param));
                         });

}  // namespace
}  // namespace clipthat::api
