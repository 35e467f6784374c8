// Security properties of the API, over real HTTP on loopback, against SQLite and (when
// CLIPTHAT_TEST_POSTGRES_URL is set) PostgreSQL: authentication on every route, token
// tampering, ownership (no existence leaks), body limits, validation, SQL metacharacters,
// path traversal, login throttling.
#include <gtest/gtest.h>

#include "api/jwt.h"
#include "api/testing/api_test_server.h"
#include "api/testing/raw_connection.h"
#include "core/base64.h"
#include "core/crypto.h"
#include "formats/brand_template.h"
#include "formats/edit_list.h"
#include "formats/moments_document.h"

namespace clipthat::api {
namespace {

using testing::Backend;
using testing::Reply;
using testing::TestServer;

std::string PercentEncode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class ApiSecurityTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CLIPTHAT_API_TEST_SETUP(GetParam());
    t_ = TestServer::Start(GetParam(), [](ApiServerOptions& o) {
      o.login_throttle.free_failures = 3;
      o.max_upload_chunk_bytes = 64 << 10;
    });
    ASSERT_NE(t_, nullptr);
  }
  // A path for `route` with its parameters filled in.
  static std::string Concrete(const Route& route, const std::string& id) {
    std::string path;
    for (const auto& seg : route.segments) {
      path += "/";
      path += seg == "{name}" ? "media" : (seg.front() == '{' ? id : seg);
    }
    return path;
  }
  std::unique_ptr<TestServer> t_;
};

TEST_P(ApiSecurityTest, EveryProtectedRouteRefusesMissingExpiredTamperedAndRevokedTokens) {
  std::string user_id;
  std::string token = t_->SignUp(&user_id);
  JwtCodec codec(testing::kTestSecret);
  std::int64_t now_s = store::NowMs() / 1000;
  std::string expired = codec.Sign({user_id, "jti-expired", now_s - 7200, now_s - 3600});
  std::string wrong_key = JwtCodec("another-secret-another-secret-another-secret")
                              .Sign({user_id, "j", now_s, now_s + 600});
  // Payload changed (another user id), signature kept.
  std::size_t dot1 = token.find('.'), dot2 = token.rfind('.');
  std::string forged_payload = Base64UrlEncode(
      nlohmann::json({{"sub", "someone-else"}, {"jti", "x"}, {"iat", now_s}, {"exp", now_s + 600}})
          .dump());
  std::string payload_changed = token.substr(0, dot1 + 1) + forged_payload + token.substr(dot2);
  std::string signature_changed =
      token.substr(0, token.size() - 2) + (token.substr(token.size() - 2) == "AA" ? "BA" : "AA");
  std::string alg_none = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                         token.substr(dot1 + 1, dot2 - dot1 - 1) + ".";
  std::vector<std::pair<std::string, std::string>> bad = {{"missing", ""},
                                                          {"expired", expired},
                                                          {"wrong key", wrong_key},
                                                          {"payload changed", payload_changed},
                                                          {"signature changed", signature_changed},
                                                          {"alg none", alg_none},
                                                          {"garbage", "abc.def"},
                                                          {"unknown api key", "ck_nope"}};
  int checked = 0;
  for (const Route& route : t_->server().router().routes()) {
    if (route.access == Access::kPublic) continue;
    std::string path = Concrete(route, store::NewId());
    for (const auto& [what, credential] : bad) {
      Reply r = t_->Call(route.method, path, credential);
      EXPECT_EQ(r.status, 401) << what << ": " << route.method << " " << path << " " << r.body;
      EXPECT_EQ(r.json()["error"]["code"], "unauthenticated") << r.body;
      ++checked;
    }
  }
  EXPECT_GT(checked, 200);

  EXPECT_EQ(t_->Call("GET", "/v1/me", token).status, 200);
  EXPECT_EQ(t_->Call("POST", "/v1/auth/logout", token).status, 204);
  Reply after = t_->Call("GET", "/v1/me", token);
  EXPECT_EQ(after.status, 401);
  EXPECT_NE(after.body.find("revoked"), std::string::npos) << after.body;
}

TEST_P(ApiSecurityTest, WorkerAndUserCredentialsStayOnTheirOwnRoutes) {
  std::string token = t_->SignUp();
  std::string worker_key = t_->WorkerKey();
  for (const Route& route : t_->server().router().routes()) {
    if (route.access == Access::kPublic) continue;
    std::string path = Concrete(route, store::NewId());
    const std::string& wrong = route.access == Access::kUser ? worker_key : token;
    Reply r = t_->Call(route.method, path, wrong);
    EXPECT_EQ(r.status, 403) << route.method << " " << path << " " << r.body;
  }
  // Users cannot mint worker keys.
  Reply r = t_->Json("POST", "/v1/keys", token, {{"name", "w"}, {"scope", "worker"}});
  EXPECT_EQ(r.status, 403) << r.body;
}

TEST_P(ApiSecurityTest, AnotherUsersIdsAreNotFoundAndLeakNothing) {
  std::string alice = t_->SignUp();
  std::string bob = t_->SignUp();
  const std::string secret_title = "alice-private-title-8472";
  Reply vod = t_->Json("POST", "/v1/vods", alice,
                       {{"title", secret_title}, {"size_bytes", 10}, {"filename", "a.mp4"}});
  ASSERT_EQ(vod.status, 201) << vod.body;
  std::string vod_id = vod.json()["id"];
  Reply clip = t_->Json("POST", "/v1/clips", alice,
                        {{"vod_id", vod_id},
                         {"title", secret_title},
                         {"edit_list", {{"start_ms", 0}, {"end_ms", 5000}}}});
  ASSERT_EQ(clip.status, 201) << clip.body;
  std::string clip_id = clip.json()["id"];
  Reply tpl = t_->Json("POST", "/v1/templates", alice,
                       {{"name", secret_title}, {"document", {{"version", 1}}}});
  ASSERT_EQ(tpl.status, 201) << tpl.body;
  std::string tpl_id = tpl.json()["id"];
  Reply key = t_->Json("POST", "/v1/keys", alice, {{"name", secret_title}});
  ASSERT_EQ(key.status, 201);
  std::string key_id = key.json()["id"];

  std::vector<std::pair<std::string, std::string>> probes = {
      {"GET", "/v1/vods/" + vod_id},
      {"DELETE", "/v1/vods/" + vod_id},
      {"GET", "/v1/vods/" + vod_id + "/media"},
      {"GET", "/v1/vods/" + vod_id + "/moments"},
      {"POST", "/v1/vods/" + vod_id + "/analyze"},
      {"GET", "/v1/clips/" + clip_id},
      {"DELETE", "/v1/clips/" + clip_id},
      {"POST", "/v1/clips/" + clip_id + "/render"},
      {"GET", "/v1/clips/" + clip_id + "/download"},
      {"GET", "/v1/templates/" + tpl_id},
      {"DELETE", "/v1/templates/" + tpl_id},
      {"DELETE", "/v1/keys/" + key_id}};
  for (const auto& [method, path] : probes) {
    Reply r = t_->Call(method, path, bob);
    EXPECT_EQ(r.status, 404) << method << " " << path << " " << r.body;
    EXPECT_EQ(r.body.find(secret_title), std::string::npos) << r.body;
  }
  Reply patch = t_->Json("PATCH", "/v1/clips/" + clip_id, bob, {{"title", "mine now"}});
  EXPECT_EQ(patch.status, 404);
  Reply put = t_->Json("PUT", "/v1/templates/" + tpl_id, bob,
                       {{"name", "x"}, {"document", {{"version", 1}}}});
  EXPECT_EQ(put.status, 404);
  Reply chunk = t_->Call("PUT", "/v1/vods/" + vod_id + "/media", bob, "0123456789",
                         "application/octet-stream", {{"Content-Range", "bytes 0-9/10"}});
  EXPECT_EQ(chunk.status, 404);
  // Bob cannot point his own clip or settings at Alice's rows either.
  Reply steal = t_->Json("POST", "/v1/clips", bob,
                         {{"vod_id", vod_id}, {"edit_list", {{"start_ms", 0}, {"end_ms", 5000}}}});
  EXPECT_EQ(steal.status, 422);
  EXPECT_EQ(t_->Json("PUT", "/v1/settings", bob, {{"default_template_id", tpl_id}}).status, 422);
  // Bob's lists hold nothing of Alice's; Alice's rows are intact.
  for (const char* list : {"/v1/vods", "/v1/clips", "/v1/templates", "/v1/keys", "/v1/jobs"}) {
    Reply r = t_->Call("GET", list, bob);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.json()["items"].empty()) << list << " " << r.body;
  }
  EXPECT_EQ(t_->Call("GET", "/v1/clips/" + clip_id, alice).json()["title"], secret_title);
}

TEST_P(ApiSecurityTest, BodiesAreLimitedParsedAndValidatedWithTheFieldNamed) {
  std::string token = t_->SignUp();
  // Too large for the route (JSON routes take at most 64 KiB here).
  Reply big = t_->Call("POST", "/v1/vods", token, std::string(200 << 10, ' '));
  EXPECT_EQ(big.status, 413) << big.body;
  Reply big_chunk = t_->Call("PUT", "/v1/vods/x/media", token, std::string(100 << 10, 'x'),
                             "application/octet-stream");
  EXPECT_EQ(big_chunk.status, 413);
  Reply no_body_route = t_->Call("GET", "/v1/me", token, "");
  EXPECT_EQ(no_body_route.status, 200);
  Reply body_on_bodyless = t_->Call("POST", "/v1/auth/logout", token, "{\"a\":1}");
  EXPECT_EQ(body_on_bodyless.status, 413);

  Reply malformed = t_->Call("POST", "/v1/vods", token, "{\"title\": ");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.json()["error"]["code"], "bad_request");

  struct Case {
    std::string path;
    nlohmann::json body;
    std::string field;
  };
  std::vector<Case> cases = {
      {"/v1/vods", {{"title", 5}, {"size_bytes", 10}, {"filename", "a.mp4"}}, "title"},
      {"/v1/vods", {{"title", "t"}, {"size_bytes", "10"}, {"filename", "a.mp4"}}, "size_bytes"},
      {"/v1/vods", {{"title", "t"}, {"size_bytes", -1}, {"filename", "a.mp4"}}, "size_bytes"},
      {"/v1/vods",
       {{"title", "t"}, {"size_bytes", 10}, {"filename", "../../etc/passwd"}},
       "filename"},
      {"/v1/vods", {{"title", "t"}, {"size_bytes", 10}, {"filename", "a.mp4"}, {"x", 1}}, "x"},
      {"/v1/vods", {{"url", "file:///etc/passwd"}}, "url"},
      {"/v1/vods", nlohmann::json::array(), "body"},
      {"/v1/keys", {{"name", nlohmann::json::array()}}, "name"},
      {"/v1/templates", {{"name", "n"}, {"document", {{"version", 2}}}}, "document.version"},
      {"/v1/templates",
       {{"name", "n"}, {"document", {{"version", 1}, {"logo", {{"path", "../../etc/passwd"}}}}}},
       "document.logo.path"},
      {"/v1/templates",
       {{"name", "n"}, {"document", {{"version", 1}, {"default_layout", "grid"}}}},
       "document.default_layout"},
      {"/v1/auth/signup", {{"email", "a@b.co"}, {"password", "short"}}, "password"},
      {"/v1/auth/signup", {{"email", "not-an-email"}, {"password", "long enough"}}, "email"},
  };
  for (const Case& c : cases) {
    Reply r = t_->Json("POST", c.path, c.path == "/v1/auth/signup" ? "" : token, c.body);
    EXPECT_EQ(r.status, 422) << c.path << " " << c.body.dump() << " -> " << r.body;
    std::string message = r.json()["error"]["message"].get<std::string>();
    EXPECT_EQ(message.rfind(c.field + ":", 0), 0u) << message;
  }
  Reply settings = t_->Json("PUT", "/v1/settings", token, {{"ai", {{"speech_backend", "gpt"}}}});
  EXPECT_EQ(settings.status, 422);
  EXPECT_NE(settings.body.find("ai.speech_backend"), std::string::npos);
  Reply page = t_->Call("GET", "/v1/clips?limit=1000", token);
  EXPECT_EQ(page.status, 422);
  EXPECT_NE(page.body.find("limit"), std::string::npos);
  EXPECT_EQ(t_->Call("GET", "/v1/clips?cursor=%27%3B--", token).status, 422);
}

TEST_P(ApiSecurityTest, DeeplyNestedBodiesAreRefusedBeforeParsingAndTheServerStaysUp) {
  std::string token = t_->SignUp();
  // 20,000 levels in 40 KB, inside the body limit: copied or dumped, a document like this
  // recurses once per level (100,000 levels overflowed the server's stack).
  const std::string deep = std::string(20000, '[') + std::string(20000, ']');
  const std::string body = R"({"name": "n", "document": {"version": 1, "captions": )" + deep + "}}";
  Reply r = t_->Call("POST", "/v1/templates", token, body);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["message"], "body: nested deeper than 64 levels");
  const std::string objects = R"({"title": "t", "x": )" + std::string(20000, '{') + "}";
  EXPECT_EQ(t_->Call("POST", "/v1/vods", token, objects).status, 400);
  EXPECT_EQ(t_->Call("GET", "/healthz", "").status, 200);
  // A deep token header or payload is refused as malformed, not parsed.
  EXPECT_EQ(t_->Call("GET", "/v1/me", Base64UrlEncode(std::string(3000, '[')) + ".e30.c2ln").status,
            401);
}

TEST_P(ApiSecurityTest, AnswersCarrySecurityHeaders) {
  Reply signup = t_->Json("POST", "/v1/auth/signup", "",
                          {{"email", "headers@example.com"}, {"password", "long enough pw"}});
  ASSERT_EQ(signup.status, 201) << signup.body;
  for (const Reply& r :
       {signup, t_->Call("GET", "/v1/nowhere", ""), t_->Call("GET", "/healthz", "")}) {
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");  // the token answer above all
    EXPECT_EQ(r.header("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'");
    EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
  }
}

TEST_P(ApiSecurityTest, FormatLimitsAreServedFromTheFormatsModule) {
  Reply limits = t_->Call("GET", "/v1/formats/limits", "");
  ASSERT_EQ(limits.status, 200) << limits.body;
  const nlohmann::json j = limits.json();
  EXPECT_EQ(j["edit_list"]["max_clip_ms"], formats::EditListLimits{}.max_clip_ms);
  EXPECT_EQ(j["edit_list"]["max_cuts"], 1000);
  EXPECT_EQ(j["edit_list"]["max_window_ms"], formats::EditListLimits{}.max_window_ms);
  EXPECT_EQ(j["edit_list"]["min_output_px"], 64);
  EXPECT_EQ(j["brand_template"]["max_title_ms"], formats::BrandTemplateLimits{}.max_title_ms);
  EXPECT_EQ(j["brand_template"]["logo_positions"].size(), 8u);
  EXPECT_EQ(j["moments"]["max_moments"], formats::MomentsDocumentLimits{}.max_moments);
  EXPECT_EQ(j["moments"]["max_timeline_samples"], formats::kMaxTimelineSamples);
  EXPECT_EQ(j["logo_upload_max_bytes"], 2 << 20);
}

TEST_P(ApiSecurityTest, SqlMetacharactersAndUnicodeAreStoredAndReturnedVerbatim) {
  std::string token = t_->SignUp();
  const std::vector<std::string> nasty = {"'; DROP TABLE users; --",
                                          "\" OR 1=1 --",
                                          "Robert'); DELETE FROM clips;--",
                                          "back\\slash \\\" \\' \\\\",
                                          "$1 $2 ?1 ? %s %n",
                                          "ünïcödé 日本語 🎬 עברית",
                                          "line\nbreak\ttab\x01\x1f\x7f",
                                          "<script>alert(1)</script>"};
  for (const std::string& s : nasty) {
    Reply vod = t_->Json("POST", "/v1/vods", token,
                         {{"title", s}, {"size_bytes", 10}, {"filename", "v.mp4"}});
    ASSERT_EQ(vod.status, 201) << vod.body;
    std::string vod_id = vod.json()["id"];
    EXPECT_EQ(t_->Call("GET", "/v1/vods/" + vod_id, token).json()["title"], s);
    Reply clip =
        t_->Json("POST", "/v1/clips", token,
                 {{"vod_id", vod_id},
                  {"title", s},
                  {"edit_list",
                   {{"start_ms", 0},
                    {"end_ms", 3000},
                    {"title", s},
                    {"captions", {{"words", {{{"text", s}, {"start_ms", 0}, {"end_ms", 10}}}}}}}}});
    ASSERT_EQ(clip.status, 201) << clip.body;
    nlohmann::json got =
        t_->Call("GET", "/v1/clips/" + clip.json()["id"].get<std::string>(), token).json();
    EXPECT_EQ(got["title"], s);
    EXPECT_EQ(got["edit_list"]["captions"]["words"][0]["text"], s);
    Reply tpl = t_->Json("POST", "/v1/templates", token,
                         {{"name", s}, {"document", {{"version", 1}, {"name", s}}}});
    ASSERT_EQ(tpl.status, 201) << tpl.body;
    EXPECT_EQ(t_->Call("GET", "/v1/templates/" + tpl.json()["id"].get<std::string>(), token)
                  .json()["name"],
              s);
    Reply key = t_->Json("POST", "/v1/keys", token, {{"name", s}});
    ASSERT_EQ(key.status, 201);
    Reply settings = t_->Json("PUT", "/v1/settings", token, {{"ai", {{"model", s}}}});
    ASSERT_EQ(settings.status, 200) << settings.body;
    EXPECT_EQ(t_->Call("GET", "/v1/settings", token).json()["ai"]["model"], s);
    // Query parameters too.
    EXPECT_EQ(t_->Call("GET", "/v1/clips?vod_id=" + PercentEncode(s), token).status, 200);
  }
  // The clip list (written as text, not through a JSON tree) says exactly what GET says.
  const nlohmann::json list = t_->Call("GET", "/v1/clips?limit=100", token).json();
  ASSERT_EQ(list["items"].size(), nasty.size()) << list.dump();
  for (const auto& item : list["items"]) {
    nlohmann::json full =
        t_->Call("GET", "/v1/clips/" + item["id"].get<std::string>(), token).json();
    full.erase("edit_list");
    EXPECT_EQ(item, full);
  }
  // Login with a hostile email: a plain 401, and the tables are all still there.
  Reply login =
      t_->Json("POST", "/v1/auth/login", "", {{"email", "x'--@a.co"}, {"password", "' OR 1=1 --"}});
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(t_->Call("GET", "/v1/me", token).status, 200);
  EXPECT_EQ(t_->Call("GET", "/v1/vods", token).json()["items"].size(), nasty.size());
  // NUL cannot be stored by PostgreSQL text: refused on both backends, naming the field.
  Reply nul =
      t_->Json("POST", "/v1/vods", token,
               {{"title", std::string("a\0b", 3)}, {"size_bytes", 10}, {"filename", "v.mp4"}});
  EXPECT_EQ(nul.status, 422);
  EXPECT_NE(nul.body.find("title: contains a NUL"), std::string::npos) << nul.body;
}

TEST_P(ApiSecurityTest, PathTraversalFindsNothing) {
  std::string token = t_->SignUp();
  std::string worker = t_->WorkerKey();
  for (const char* path : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                           "/v1/vods/..%2F..%2Fetc", "/..%5c..%5cetc%5cpasswd"}) {
    Reply r = t_->Call("GET", path, token);
    EXPECT_EQ(r.status, 404) << path << " " << r.body;
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
  }
  Reply file = t_->Call(
      "GET", "/v1/worker/jobs/x/files/..%2F..%2Fetc%2Fpasswd?worker_id=w&attempt=1", worker);
  EXPECT_EQ(file.status, 404);
  EXPECT_FALSE(store::ValidateKey("vods/../../etc/passwd").ok());
}

TEST_P(ApiSecurityTest, FailedLoginsSlowTheGuesserButNeverLockTheOwnerOut) {
  std::string email = "limited-" + store::NewId().substr(0, 8) + "@example.com";
  ASSERT_EQ(
      t_->Json("POST", "/v1/auth/signup", "", {{"email", email}, {"password", "right-password"}})
          .status,
      201);
  auto login = [&](const std::string& password, const char* from) {
    return testing::RawRequest(t_->port(), "POST", "/v1/auth/login",
                               nlohmann::json({{"email", email}, {"password", password}}).dump(),
                               from);
  };
  // A guesser at 127.0.0.1: three free failures, then refused before the password is checked.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(login("wrong-password", "127.0.0.1").status, 401);
  testing::RawReply slowed = login("right-password", "127.0.0.1");
  EXPECT_EQ(slowed.status, 429) << slowed.text;
  ASSERT_FALSE(slowed.retry_after.empty());
  EXPECT_GE(std::stoi(slowed.retry_after), 1);
  EXPECT_LE(std::stoi(slowed.retry_after), 60);
  // The owner at another address logs in at once, and stays able to.
  EXPECT_EQ(login("right-password", "127.0.0.2").status, 200);
  EXPECT_EQ(login("right-password", "127.0.0.2").status, 200);
  // The guesser is still slowed; other accounts are not.
  EXPECT_EQ(login("wrong-password", "127.0.0.1").status, 429);
  std::string other = "other-" + store::NewId().substr(0, 8) + "@example.com";
  ASSERT_EQ(
      t_->Json("POST", "/v1/auth/signup", "", {{"email", other}, {"password", "right-password"}})
          .status,
      201);
  EXPECT_EQ(t_->Json("POST", "/v1/auth/login", "",
                     {{"email", " " + other + " "}, {"password", "right-password"}})
                .status,
            200);
}

// Behind a load balancer every login comes from its address: the client it names in
// X-Forwarded-For is throttled instead, and only a trusted proxy can name one.
TEST(ApiProxyTest, BehindATrustedProxyTheForwardedClientIsThrottledNotTheProxy) {
  auto t = TestServer::Start(Backend::kSqlite, [](ApiServerOptions& o) {
    o.login_throttle.free_failures = 3;
    o.trusted_proxies = {*IpNetwork::Parse("127.0.0.1")};
  });
  ASSERT_NE(t, nullptr);
  std::string email = "proxied-" + store::NewId().substr(0, 8) + "@example.com";
  ASSERT_EQ(
      t->Json("POST", "/v1/auth/signup", "", {{"email", email}, {"password", "right-password"}})
          .status,
      201);
  auto login = [&](const std::string& password, const char* peer, const std::string& forwarded) {
    testing::RawConnection c(t->port(), peer);
    const std::string body = nlohmann::json({{"email", email}, {"password", password}}).dump();
    c.Send(
        "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "X-Forwarded-For: " +
        forwarded + "\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
    bool closed = false;
    std::string text = c.ReadUntilClosed(closed);
    return text.size() >= 12 ? std::stoi(text.substr(9, 3)) : 0;
  };
  // A guesser behind the proxy is slowed...
  for (int i = 0; i < 3; ++i) EXPECT_EQ(login("wrong", "127.0.0.1", "203.0.113.7"), 401);
  EXPECT_EQ(login("right-password", "127.0.0.1", "203.0.113.7"), 429);
  // ...and the owner, behind the same proxy, is not.
  EXPECT_EQ(login("right-password", "127.0.0.1", "198.51.100.20"), 200);
  // A client that is not a proxy cannot pass itself off as the owner: its failures are its own.
  for (int i = 0; i < 4; ++i) login("wrong", "127.0.0.3", "198.51.100.20");
  EXPECT_EQ(login("right-password", "127.0.0.1", "198.51.100.20"), 200);
  EXPECT_EQ(login("right-password", "127.0.0.3", "198.51.100.20"), 429);
}

TEST_P(ApiSecurityTest, DatabaseFailuresAnswerWithoutSqlOrPaths) {
  std::string token = t_->SignUp();
  // A broken schema: every statement on the table fails inside the database driver.
  ASSERT_TRUE(t_->db().Execute("ALTER TABLE templates RENAME TO templates_gone", {}).ok());
  Reply created =
      t_->Json("POST", "/v1/templates", token, {{"name", "brand"}, {"document", {{"version", 1}}}});
  Reply listed = t_->Call("GET", "/v1/templates", token);
  for (const Reply* r : {&created, &listed}) {
    EXPECT_GE(r->status, 400) << r->body;
    ASSERT_TRUE(r->json().contains("error")) << r->body;
    const std::string message = r->json()["error"]["message"];
    for (const char* internal : {"sqlite", "postgres", "INSERT", "SELECT", "templates", "/tmp/"}) {
      EXPECT_EQ(message.find(internal), std::string::npos) << internal << " in: " << message;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiSecurityTest, ::testing::ValuesIn(testing::TestBackends()),
                         [](const auto& info) {
                           return std::string(store::testing::BackendName(info.param));
                         });

}  // namespace
}  // namespace clipthat::api
