// Server-side request forgery, over real HTTP on loopback, against SQLite and (when
// CLIPTHAT_TEST_POSTGRES_URL is set) PostgreSQL: URL imports and a user's model server URL
// reach only public addresses; a name is resolved once and the connection goes to the address
// that was checked (no DNS rebinding); every redirect hop is checked; Twitch URLs only in their
// real forms. Origins run on 127.0.0.1, opened to imports by an operator exception
// (allowed_url_networks) in the tests that need one.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "api/testing/api_test_server.h"

namespace clipthat::api {
namespace {

using testing::Backend;
using testing::Reply;
using testing::TestServer;

IpAddress Ip(const char* text) { return IpAddress::Parse(text).value(); }

// Names the tests' resolver knows; every other name goes to the system resolver.
std::atomic<int> rebind_lookups{0};
Result<std::vector<IpAddress>> TestResolver(const std::string& host) {
  if (host == "media.test") return std::vector<IpAddress>{Ip("127.0.0.1")};
  if (host == "mixed.test") return std::vector<IpAddress>{Ip("127.0.0.1"), Ip("10.0.0.7")};
  if (host == "rebind.test") {  // the allowed address for the first lookup, loopback after
    return std::vector<IpAddress>{Ip(rebind_lookups++ == 0 ? "127.0.0.1" : "127.0.0.2")};
  }
  return ResolveHost(host);
}

// Production's policy: public addresses only.
void Strict(ApiServerOptions& o) {
  o.allow_private_urls = false;
  o.url_resolver = TestResolver;
}

// Production's policy with 127.0.0.1 opened by the operator, as an internal media server.
void WithLoopbackOrigin(ApiServerOptions& o) {
  Strict(o);
  o.allowed_url_networks.push_back(IpNetwork::Parse("127.0.0.1/32").value());
}

// An HTTP server on `address` that serves /vod.mp4, redirects /moved to `redirect_to` and
// counts every request with the Host header it carried.
class Origin {
 public:
  Origin(const std::string& address, const std::string& media) {
    server_.Get("/vod.mp4", [this, media](const httplib::Request& req, httplib::Response& res) {
      Seen(req);
      res.set_content(media, "video/mp4");
    });
    server_.Get("/moved", [this](const httplib::Request& req, httplib::Response& res) {
      Seen(req);
      res.set_redirect(redirect_to);
    });
    port_ = server_.bind_to_any_port(address);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs is ignored (the loop would then never end): wait for it.
    for (int i = 0; i < 2500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  ~Origin() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  int requests() const { return requests_; }
  std::string last_host() {
    std::lock_guard lock(mutex_);
    return last_host_;
  }
  std::string redirect_to;

 private:
  void Seen(const httplib::Request& req) {
    ++requests_;
    std::lock_guard lock(mutex_);
    last_host_ = req.get_header_value("Host");
  }
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::string last_host_;
};

class UrlImportSecurityTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { CLIPTHAT_API_TEST_SETUP(GetParam()); }

  void StartServer(void (*tweak)(ApiServerOptions&)) {
    t_ = TestServer::Start(GetParam(), tweak);
    ASSERT_NE(t_, nullptr);
    token_ = t_->SignUp();
  }
  Reply Import(const std::string& url) {
    return t_->Json("POST", "/v1/vods", token_, {{"url", url}});
  }
  std::string Message(const Reply& r) { return r.json()["error"]["message"].get<std::string>(); }
  // The VOD once its import has ended (not "uploading").
  nlohmann::json Finished(const std::string& id) {
    nlohmann::json vod;
    for (int i = 0; i < 400; ++i) {
      vod = t_->Call("GET", "/v1/vods/" + id, token_).json();
      if (vod["status"] != "uploading") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return vod;
  }

  std::unique_ptr<TestServer> t_;
  std::string token_;
};

TEST_P(UrlImportSecurityTest, InternalAddressesInEveryWrittenFormAreRefused) {
  StartServer(Strict);
  const std::pair<const char*, const char*> refused[] = {
      {"http://localhost/vod.mp4", "url: host 'localhost' resolves to "},
      {"http://[::ffff:127.0.0.1]/", "url: host ::ffff:127.0.0.1 is a loopback address"},
      {"http://[64:ff9b::7f00:1]/", "url: host 64:ff9b::7f00:1 is a NAT64 address"},
      {"http://[2002:7f00:1::]/", "url: host 2002:7f00:1:: is a 6to4 address"},
      {"http://[::1]:8080/", "url: host ::1 is a loopback address"},
      {"http://0x7f000001/", "url: host '0x7f000001' resolves to 127.0.0.1, a loopback address"},
      {"http://2130706433/", "url: host '2130706433' resolves to 127.0.0.1, a loopback address"},
      {"http://127.1/", "url: host '127.1' resolves to 127.0.0.1, a loopback address"},
      {"http://10.1.2.3/", "url: host 10.1.2.3 is a private address"},
      {"http://169.254.169.254/latest/meta-data/", "url: host 169.254.169.254 is a link-local"},
      {"http://100.64.0.1/", "url: host 100.64.0.1 is a carrier-grade NAT address"},
      {"http://192.0.2.1/", "url: host 192.0.2.1 is a documentation address"},
      {"http://198.18.0.1/", "url: host 198.18.0.1 is a benchmarking address"},
      {"http://0.0.0.0/", "url: host 0.0.0.0 is the unspecified address"},
      {"http://media.test/", "url: host 'media.test' resolves to 127.0.0.1, a loopback address"},
      {"http://mixed.test/", "url: host 'mixed.test' resolves to 127.0.0.1, a loopback address"},
  };
  for (const auto& [url, message] : refused) {
    Reply r = Import(url);
    EXPECT_EQ(r.status, 422) << url << ": " << r.body;
    EXPECT_TRUE(Message(r).starts_with(message)) << url << ": " << r.body;
  }
  EXPECT_EQ(t_->Call("GET", "/v1/vods", token_).json()["items"].size(), 0u);
}

TEST_P(UrlImportSecurityTest, TheConnectionGoesToTheCheckedAddressWithTheHostKept) {
  StartServer(WithLoopbackOrigin);
  const std::string media(70000, 'v');
  Origin origin("127.0.0.1", media);
  // The system resolver does not know media.test: only the pinned address can be reached.
  const std::string url = "http://media.test:" + std::to_string(origin.port()) + "/vod.mp4";
  Reply vod = Import(url);
  ASSERT_EQ(vod.status, 201) << vod.body;
  nlohmann::json done = Finished(vod.json()["id"]);
  EXPECT_EQ(done["status"], "ready") << done.dump();
  EXPECT_EQ(origin.last_host(), "media.test:" + std::to_string(origin.port()));
  EXPECT_EQ(t_->Call("GET", "/v1/vods/" + done["id"].get<std::string>() + "/media", token_).body,
            media);
}

TEST_P(UrlImportSecurityTest, ANameThatRebindsAfterTheCheckIsRefusedAtTheFetch) {
  StartServer(WithLoopbackOrigin);
  Origin internal("127.0.0.2", "internal secrets");
  rebind_lookups = 0;
  // The request's check sees 127.0.0.1 (allowed); the fetch resolves again, sees 127.0.0.2.
  Reply vod = Import("http://rebind.test:" + std::to_string(internal.port()) + "/vod.mp4");
  ASSERT_EQ(vod.status, 201) << vod.body;
  nlohmann::json done = Finished(vod.json()["id"]);
  EXPECT_EQ(done["status"], "failed");
  EXPECT_EQ(done["error"], "url: host 'rebind.test' resolves to 127.0.0.2, a loopback address");
  EXPECT_EQ(internal.requests(), 0);
  EXPECT_EQ(rebind_lookups, 2);
}

TEST_P(UrlImportSecurityTest, ARedirectToADeniedAddressIsRefusedAtTheHop) {
  StartServer(WithLoopbackOrigin);
  Origin internal("127.0.0.2", "internal secrets");
  Origin origin("127.0.0.1", "redirected media");
  for (const std::string& target :
       {"http://127.0.0.2:" + std::to_string(internal.port()) + "/vod.mp4",
        "http://[::ffff:127.0.0.2]:" + std::to_string(internal.port()) + "/vod.mp4"}) {
    origin.redirect_to = target;
    Reply vod = Import("http://127.0.0.1:" + std::to_string(origin.port()) + "/moved");
    ASSERT_EQ(vod.status, 201) << vod.body;
    nlohmann::json done = Finished(vod.json()["id"]);
    EXPECT_EQ(done["status"], "failed");
    const std::string error = done["error"];
    EXPECT_TRUE(error.starts_with("url: redirect to '" + target + "': host ")) << error;
    EXPECT_TRUE(error.ends_with("127.0.0.2 is a loopback address")) << error;
  }
  EXPECT_EQ(origin.requests(), 2);
  EXPECT_EQ(internal.requests(), 0);
  // The same origin redirecting to itself is followed: redirects work, the hop is what is judged.
  origin.redirect_to = "/vod.mp4";
  Reply ok = Import("http://127.0.0.1:" + std::to_string(origin.port()) + "/moved");
  ASSERT_EQ(ok.status, 201);
  EXPECT_EQ(Finished(ok.json()["id"])["status"], "ready");
  EXPECT_EQ(origin.requests(), 4);
}

TEST_P(UrlImportSecurityTest, TwitchUrlsAreAcceptedOnlyInTheirRealForms) {
  StartServer(Strict);
  for (const char* url : {
           "https://localhost.twitch.tv/videos/1",
           "https://evil.twitch.tv/videos/1",
           "https://www.twitch.tv:8443/videos/1",
           "https://www.twitch.tv/videos/1/../../admin",
           "https://www.twitch.tv/videos/abc",
           "https://clips.twitch.tv/a/b",
           "https://twitch.tv/",
       }) {
    Reply r = Import(url);
    EXPECT_EQ(r.status, 422) << url << ": " << r.body;
    EXPECT_TRUE(Message(r).starts_with("url: ")) << r.body;
    EXPECT_EQ(Message(r).find("yt-dlp or streamlink"), std::string::npos) << url << r.body;
  }
  // Names that only look like Twitch are plain URLs, checked as any other.
  Reply lookalike = Import("http://www.twitch.tv.127.0.0.1.nip.invalid/videos/1");
  EXPECT_EQ(lookalike.status, 422);
  EXPECT_TRUE(Message(lookalike).ends_with("does not resolve")) << lookalike.body;
}

TEST_P(UrlImportSecurityTest, AUsersModelServerUrlPassesTheSamePolicy) {
  StartServer(Strict);
  for (const char* url : {"http://127.0.0.1:8081/v1", "http://[64:ff9b::a00:1]/v1",
                          "http://media.test/v1", "http://169.254.169.254/"}) {
    Reply r = t_->Json("PUT", "/v1/settings", token_, {{"ai", {{"base_url", url}}}});
    EXPECT_EQ(r.status, 422) << url << ": " << r.body;
    EXPECT_TRUE(Message(r).starts_with("ai.base_url: host ")) << r.body;
  }
  EXPECT_FALSE(t_->Call("GET", "/v1/settings", token_).json()["ai"].contains("base_url"));
}

TEST_P(UrlImportSecurityTest, TheOperatorMayAllowPrivateAddresses) {
  StartServer([](ApiServerOptions& o) {
    o.allow_private_urls = true;
    o.url_resolver = TestResolver;
  });
  Reply r =
      t_->Json("PUT", "/v1/settings", token_, {{"ai", {{"base_url", "http://127.0.0.1:8081/v1"}}}});
  EXPECT_EQ(r.status, 200) << r.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, UrlImportSecurityTest,
                         ::testing::ValuesIn(testing::TestBackends()), [](const auto& info) {
                           return std::string(store::testing::BackendName(info.param));
                         });

}  // namespace
}  // namespace clipthat::api
