#include "ai/http_client.h"

#include <gtest/gtest.h>

#include <atomic>

#include "ai/testing/loopback_server.h"
#include "core/time_units.h"

namespace clipthat::ai {
namespace {

using testing::LoopbackServer;
using testing::UnusedLoopbackPort;

HttpOptions FastOptions(const std::string& base_url) {
  HttpOptions o;
  o.base_url = base_url;
  o.timeout_ms = 300;
  o.connect_timeout_ms = 300;
  o.retries = 2;
  o.backoff_ms = 5;
  o.max_backoff_ms = 20;
  return o;
}

TEST(HttpClientTest, ParsesBaseUrls) {
  auto c = HttpClient::Create(FastOptions("http://127.0.0.1:8080"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->UrlFor("/v1/audio/transcriptions"), "http://127.0.0.1:8080/v1/audio/transcriptions");

  auto openai = HttpClient::Create(FastOptions("https://api.openai.com/v1/"));
  ASSERT_TRUE(openai.ok()) << openai.status().ToString();
  EXPECT_EQ(openai->UrlFor("/v1/chat/completions"), "https://api.openai.com/v1/chat/completions");

  auto prefixed = HttpClient::Create(FastOptions("http://gpu-box/whisper"));
  ASSERT_TRUE(prefixed.ok());
  EXPECT_EQ(prefixed->UrlFor("/inference"), "http://gpu-box/whisper/inference");

  EXPECT_TRUE(HttpClient::Create(FastOptions("http://[::1]:9000")).ok());
  for (const char* bad : {"", "127.0.0.1:8080", "ftp://host", "http://", "http://host:99999",
                          "http://host:port", "http://host/?q=1"}) {
    auto r = HttpClient::Create(FastOptions(bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("base URL"), std::string::npos) << r.status().message();
  }
}

TEST(HttpClientTest, EncodesMultipartBodies) {
  std::string body = EncodeMultipart(
      {{"model", "whisper-1", "", ""}, {"file", "RIFF", "audio.wav", "audio/wav"}}, "XYZ");
  EXPECT_EQ(body,
            "--XYZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
            "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audio.wav\"\r\n"
            "Content-Type: audio/wav\r\n\r\nRIFF\r\n--XYZ--\r\n");
}

TEST(HttpClientTest, EncodesFormBodiesWithEveryReservedBytePercentEncoded) {
  EXPECT_EQ(EncodeForm({{"mode", "payment"},
                        {"metadata[credits]", "100"},
                        {"success_url", "https://a.example/b?x=1&y=2"},
                        {"name", "100 credits ~ caf\xc3\xa9"}}),
            "mode=payment&metadata%5Bcredits%5D=100&success_url=https%3A%2F%2Fa.example%2Fb%3Fx%3D1"
            "%26y%3D2&name=100%20credits%20~%20caf%C3%A9");
  EXPECT_EQ(EncodeForm({}), "");
}

TEST(HttpClientTest, SendsExtraHeadersOnEveryTry) {
  LoopbackServer s;
  std::vector<std::string> keys;
  s.server().Post("/v1/things", [&](const httplib::Request& req, httplib::Response& res) {
    keys.push_back(req.get_header_value("Idempotency-Key"));
    if (keys.size() == 1) {
      res.status = 500;
      return;
    }
    res.set_content("{}", "application/json");
  });
  ASSERT_TRUE(s.Start());
  auto client = HttpClient::Create(FastOptions(s.url()));
  ASSERT_TRUE(client.ok());
  auto answer = client->Post("/v1/things", "a=1", "application/x-www-form-urlencoded",
                             {{"Idempotency-Key", "key-1"}});
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(keys, (std::vector<std::string>{"key-1", "key-1"}));
}

TEST(HttpClientTest, SendsTheBearerKeyAndReadsJson) {
  LoopbackServer s;
  std::string auth, content_type, body;
  s.server().Post("/v1/echo", [&](const httplib::Request& req, httplib::Response& res) {
    auth = req.get_header_value("Authorization");
    content_type = req.get_header_value("Content-Type");
    body = req.body;
    res.set_content(R"({"ok":true})", "application/json");
  });
  ASSERT_TRUE(s.Start());
  HttpOptions o = FastOptions(s.url());
  o.api_key = "sk-test";
  auto client = HttpClient::Create(o);
  ASSERT_TRUE(client.ok());
  auto answer = client->PostJson("/v1/echo", {{"q", 1}});
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["ok"], true);
  EXPECT_EQ(auth, "Bearer sk-test");
  EXPECT_EQ(content_type, "application/json");
  EXPECT_EQ(body, R"({"q":1})");
}

TEST(HttpClientTest, RetriesAfterA500) {
  LoopbackServer s;
  std::atomic<int> hits = 0;
  s.server().Post("/x", [&](const httplib::Request&, httplib::Response& res) {
    if (++hits == 1) {
      res.status = 500;
      res.set_content(R"({"error":{"message":"model loading","type":"server_error"}})",
                      "application/json");
    } else {
      res.set_content(R"({"n":2})", "application/json");
    }
  });
  ASSERT_TRUE(s.Start());
  auto client = HttpClient::Create(FastOptions(s.url()));
  ASSERT_TRUE(client.ok());
  auto answer = client->PostJson("/x", nlohmann::json::object());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["n"], 2);
  EXPECT_EQ(hits.load(), 2);
}

TEST(HttpClientTest, RetriesA429AndHonoursRetryAfterWithinTheCap) {
  LoopbackServer s;
  std::atomic<int> hits = 0;
  s.server().Post("/x", [&](const httplib::Request&, httplib::Response& res) {
    if (++hits == 1) {
      res.status = 429;
      res.set_header("Retry-After", "30");  // capped by max_backoff_ms
      res.set_content(R"({"error":{"message":"Rate limit reached"}})", "application/json");
    } else {
      res.set_content("{}", "application/json");
    }
  });
  ASSERT_TRUE(s.Start());
  auto client = HttpClient::Create(FastOptions(s.url()));
  ASSERT_TRUE(client.ok());
  Stopwatch watch;
  EXPECT_TRUE(client->PostJson("/x", {}).ok());
  EXPECT_EQ(hits.load(), 2);
  EXPECT_LT(watch.ElapsedSeconds(), 10.0);  // a hang guard, not a speed check
}

TEST(HttpClientTest, GivesUpOnAPersistent503) {
  LoopbackServer s;
  std::atomic<int> hits = 0;
  s.server().Post("/x", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 503;
    res.set_content(R"({"error":"server busy"})", "application/json");
  });
  ASSERT_TRUE(s.Start());
  auto client = HttpClient::Create(FastOptions(s.url()));
  ASSERT_TRUE(client.ok());
  auto r = client->PostJson("/x", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message(),
            s.url() + "/x: 503 Service Unavailable: server busy (after 3 tries)");
  EXPECT_EQ(hits.load(), 3);
}

TEST(HttpClientTest, DoesNotRetryA401) {
  LoopbackServer s;
  std::atomic<int> hits = 0;
  s.server().Post("/v1/chat/completions", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 401;
    res.set_content(R"({"error":{"message":"Incorrect API key provided: sk-bad.","type":)"
                    R"("invalid_request_error","code":"invalid_api_key"}})",
                    "application/json");
  });
  ASSERT_TRUE(s.Start());
  auto client = HttpClient::Create(FastOptions(s.url()));
  ASSERT_TRUE(client.ok());
  auto r = client->PostJson("/v1/chat/completions", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(hits.load(), 1);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), s.url() +
                                      "/v1/chat/completions: 401 Unauthorized: Incorrect API key "
                                      "provided: sk-bad. (check the API key)");
}

TEST(HttpClientTest, A404NamesThePath) {
  LoopbackServer s;
  ASSERT_TRUE(s.Start());
  auto client = HttpClient::Create(FastOptions(s.url()));
  ASSERT_TRUE(client.ok());
  auto r = client->PostJson("/v1/audio/transcriptions", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/v1/audio/transcriptions: 404"), std::string::npos)
      << r.status().message();
}

TEST(HttpClientTest, AServerThatNeverAnswersTimesOut) {
  LoopbackServer s;
  std::atomic<int> hits = 0;
  s.server().Post("/slow", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    s.Hold();
    res.set_content("{}", "application/json");
  });
  ASSERT_TRUE(s.Start());
  HttpOptions o = FastOptions(s.url());
  o.timeout_ms = 200;
  o.retries = 1;
  auto client = HttpClient::Create(o);
  ASSERT_TRUE(client.ok());
  Stopwatch watch;
  auto r = client->PostJson("/slow", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message(), s.url() + "/slow: no answer within 200 ms (after 2 tries)");
  EXPECT_EQ(hits.load(), 2);
  EXPECT_LT(watch.ElapsedSeconds(), 10.0);  // a hang guard, not a speed check
}

TEST(HttpClientTest, ConnectionRefusedIsUnavailable) {
  const int port = UnusedLoopbackPort();
  ASSERT_GT(port, 0);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  auto client = HttpClient::Create(FastOptions(base));
  ASSERT_TRUE(client.ok());
  auto r = client->PostJson("/v1/audio/transcriptions", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message(), base +
                                      "/v1/audio/transcriptions: could not connect (connection "
                                      "refused or host unreachable) (after 3 tries)");
}

TEST(HttpClientTest, ANonJsonAnswerIsADataErrorNamingUrlAndStatus) {
  LoopbackServer s;
  s.server().Post("/x", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html>Bad Gateway</html>", "text/html");
  });
  ASSERT_TRUE(s.Start());
  auto client = HttpClient::Create(FastOptions(s.url()));
  ASSERT_TRUE(client.ok());
  auto r = client->PostJson("/x", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  const std::string m = r.status().message();
  EXPECT_TRUE(m.starts_with(s.url() + "/x: answer is not JSON (status 200, text/html)")) << m;
  EXPECT_NE(m.find("<html>Bad Gateway"), std::string::npos) << m;
}

TEST(HttpClientTest, RefusesAnswersOverTheSizeCap) {
  LoopbackServer s;
  s.server().Post("/x", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(100000, ' ') + "{}", "application/json");
  });
  ASSERT_TRUE(s.Start());
  HttpOptions o = FastOptions(s.url());
  o.max_response_bytes = 1000;
  auto client = HttpClient::Create(o);
  ASSERT_TRUE(client.ok());
  auto r = client->PostJson("/x", {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_NE(r.status().message().find("larger than 1000 bytes"), std::string::npos);
}

}  // namespace
}  // namespace clipthat::ai
