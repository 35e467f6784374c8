// Test support for the api module (header-only; tests only): an ApiServer on a loopback port
// over a fresh test database (SQLite file, or a PostgreSQL schema when
// CLIPTHAT_TEST_POSTGRES_URL is set) and a local object store, plus a small JSON client.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api_keys.h"
#include "api/api_server.h"
#include "core/files.h"
#include "store/object_store.h"
#include "store/testing/test_database.h"

namespace clipthat::api::testing {

using store::testing::Backend;

inline constexpr char kTestSecret[] = "test-secret-test-secret-test-secret-0123456789";

struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class TestServer {
 public:
  // Fails the calling test (and returns nullptr) when the database cannot be made.
  static std::unique_ptr<TestServer> Start(Backend backend,
                                           void (*tweak)(ApiServerOptions&) = nullptr) {
    auto t = std::unique_ptr<TestServer>(new TestServer());
    auto db = store::testing::TestDatabase::Create(backend, 12);
    if (!db.ok()) {
      ADD_FAILURE() << db.status().ToString();
      return nullptr;
    }
    t->db_ = std::move(*db);
    Status st = store::Migrate(t->db_->db());
    if (!st.ok()) {
      ADD_FAILURE() << st.ToString();
      return nullptr;
    }
    auto objects = store::LocalObjectStore::Open((t->dir_.path() / "objects").string());
    if (!objects.ok()) {
      ADD_FAILURE() << objects.status().ToString();
      return nullptr;
    }
    t->objects_ = std::move(*objects);
    ApiServerOptions options;
    options.port = 0;
    options.threads = 8;
    options.jwt_secret = kTestSecret;
    options.password_cost = PasswordCost::kMinimum;
    options.allow_private_urls = true;
    options.sse_poll_ms = 50;
    if (tweak) tweak(options);
    t->server_ = std::make_unique<ApiServer>(options, t->db_->db(), *t->objects_, Logger());
    st = t->server_->Start();
    if (!st.ok()) {
      ADD_FAILURE() << st.ToString();
      return nullptr;
    }
    return t;
  }

  ApiServer& server() { return *server_; }
  store::Database& db() { return db_->db(); }
  // Opens this database again (another pool, as a second API server would).
  const std::string& db_url() const { return db_->url(); }
  store::LocalObjectStore& objects() { return *objects_; }
  int port() const { return server_->port(); }

  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(20, 0);
    return c;
  }

  // One request; `token` empty: no Authorization header.
  Reply Call(const std::string& method, const std::string& path, const std::string& token = "",
             const std::string& body = "", const std::string& content_type = "application/json",
             httplib::Headers headers = {}) {
    httplib::Client c = Client();
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    httplib::Result r(nullptr, httplib::Error::Unknown);
    if (method == "GET") {
      r = c.Get(path.c_str(), headers);
    } else if (method == "DELETE") {
      r = body.empty() ? c.Delete(path.c_str(), headers)
                       : c.Delete(path.c_str(), headers, body, content_type.c_str());
    } else if (method == "POST") {
      r = c.Post(path.c_str(), headers, body, content_type.c_str());
    } else if (method == "PUT") {
      r = c.Put(path.c_str(), headers, body, content_type.c_str());
    } else if (method == "PATCH") {
      r = c.Patch(path.c_str(), headers, body, content_type.c_str());
    }
    Reply reply;
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": " << httplib::to_string(r.error());
      return reply;
    }
    reply.status = r->status;
    reply.body = r->body;
    reply.headers = r->headers;
    return reply;
  }
  Reply Json(const std::string& method, const std::string& path, const std::string& token,
             const nlohmann::json& body) {
    return Call(method, path, token, body.dump());
  }

  // Signs up a fresh user; returns the session token.
  std::string SignUp(std::string* user_id = nullptr) {
    std::string email = "user-" + store::NewId().substr(0, 12) + "@example.com";
    Reply r = Json("POST", "/v1/auth/signup", "", {{"email", email}, {"password", "password-123"}});
    EXPECT_EQ(r.status, 201) << r.body;
    if (user_id) *user_id = r.json()["user"]["id"];
    return r.json().value("token", "");
  }
  // Uploads `media` (any bytes) as a new VOD of the token's user, in one chunk, and returns its
  // id: the VOD is then "ready". `filename` picks its extension.
  std::string ReadyVod(const std::string& token, const std::string& media,
                       const std::string& filename = "s.mp4") {
    Reply vod = Json("POST", "/v1/vods", token,
                     {{"title", "stream"}, {"size_bytes", media.size()}, {"filename", filename}});
    EXPECT_EQ(vod.status, 201) << vod.body;
    std::string id = vod.json().value("id", "");
    Reply put = Call("PUT", "/v1/vods/" + id + "/media", token, media, "application/octet-stream",
                     {{"Content-Range", "bytes 0-" + std::to_string(media.size() - 1) + "/" +
                                            std::to_string(media.size())}});
    EXPECT_EQ(put.status, 200) << put.body;
    return id;
  }
  std::string WorkerKey() {
    auto key = CreateWorkerKey(db(), "test worker");
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    return key.ok() ? *key : "";
  }

 private:
  TestServer() : dir_("clipthat-api-test") {}
  TempDir dir_;
  std::unique_ptr<store::testing::TestDatabase> db_;
  std::unique_ptr<store::LocalObjectStore> objects_;
  std::unique_ptr<ApiServer> server_;
};

inline std::vector<Backend> TestBackends() { return {Backend::kSqlite, Backend::kPostgres}; }

// Skips PostgreSQL runs without a server.
#define CLIPTHAT_API_TEST_SETUP(backend)                                              \
  do {                                                                                \
    if ((backend) == ::clipthat::api::testing::Backend::kPostgres &&                  \
        ::clipthat::store::testing::TestPostgresUrl().empty()) {                      \
      GTEST_SKIP() << "CLIPTHAT_TEST_POSTGRES_URL is not set (scripts/test sets it)"; \
    }                                                                                 \
  } while (0)

}  // namespace clipthat::api::testing
