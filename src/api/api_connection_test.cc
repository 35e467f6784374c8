// Connection-level attacks on the API server, over raw sockets on loopback (the server runs in
// this process, so its memory is this process's): bodies announced but refused are never read,
// ambiguous body framing is refused, slow or endless headers are cut.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "api/testing/api_test_server.h"
#include "api/testing/raw_connection.h"

namespace clipthat::api {
namespace {

using testing::Backend;
using testing::RawConnection;
using testing::Reply;
using testing::TestServer;

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM").
std::int64_t ProcStatusBytes(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field + ":")) return std::stoll(line.substr(field.size() + 1)) * 1024;
  }
  return -1;
}

class ApiConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = TestServer::Start(Backend::kSqlite, [](ApiServerOptions& o) {
      o.header_deadline_ms = 1000;
      o.max_header_bytes = 32 << 10;
    });
    ASSERT_NE(t_, nullptr);
  }
  std::unique_ptr<TestServer> t_;
};

TEST_F(ApiConnectionTest, HugeBodiesAnnouncedToAMissingRouteAreNeverBuffered) {
  constexpr std::int64_t kAnnouncedBytes = 300LL << 20;
  const std::int64_t peak_before = ProcStatusBytes("VmHWM");
  ASSERT_GT(peak_before, 0);
  // Four unauthenticated clients at once, each sending as much of its 300 MB as the server
  // takes.
  std::vector<std::thread> attackers;
  std::vector<std::int64_t> sent(4, 0);
  for (int i = 0; i < 4; ++i) {
    attackers.emplace_back([this, i, &sent] {
      RawConnection c(t_->port());
      if (!c.connected()) return;
      c.Send("POST /no/such/route HTTP/1.1\r\nHost: x\r\nContent-Length: " +
             std::to_string(kAnnouncedBytes) + "\r\n\r\n");
      const std::string chunk(1 << 20, 'a');
      while (sent[i] < kAnnouncedBytes && c.Send(chunk)) sent[i] += chunk.size();
    });
  }
  for (auto& a : attackers) a.join();
  const std::int64_t peak_after = ProcStatusBytes("VmHWM");
  EXPECT_LT(peak_after - peak_before, 50LL << 20)
      << "peak RSS went from " << peak_before << " to " << peak_after;
  for (std::int64_t s : sent) EXPECT_LT(s, kAnnouncedBytes) << "the server read a whole body";
  EXPECT_EQ(t_->Call("GET", "/healthz").status, 200);
}

TEST_F(ApiConnectionTest, RefusedBodiesAreAnsweredAndTheConnectionClosedWithoutReadingThem) {
  struct Case {
    std::string request;
    std::string status_line;
  };
  const std::vector<Case> cases = {
      {"POST /no/such/route HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000\r\n\r\nabc",
       "HTTP/1.1 404"},
      {"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Content-Length: 300000000\r\n\r\n{\"a\":",
       "HTTP/1.1 413"},
      {"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000\r\n\r\nabc", "HTTP/1.1 413"},
      {"GET /no/such/file HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000\r\n\r\nabc",
       "HTTP/1.1 404"},
  };
  for (const auto& c : cases) {
    RawConnection conn(t_->port());
    ASSERT_TRUE(conn.connected());
    ASSERT_TRUE(conn.Send(c.request));
    std::string answer = conn.ReadSome();
    EXPECT_TRUE(answer.starts_with(c.status_line)) << c.request << "\n-> " << answer;
    // More of the body keeps coming; the server does not read it and closes the connection.
    EXPECT_TRUE(conn.ClosedWhileTrickling("a")) << c.request << ": the server read on";
  }
  EXPECT_EQ(t_->Call("GET", "/healthz").status, 200);
}

TEST_F(ApiConnectionTest, AmbiguousBodyFramingIsRefusedAndNothingIsDone) {
  const std::string body = R"({"email":"smuggled@example.com","password":"password-123"})";
  const std::string length = std::to_string(body.size());
  const std::vector<std::string> framings = {
      "Content-Length: " + length + "\r\nContent-Length: " + length + "\r\n",
      "Content-Length: " + length + "\r\nContent-Length: 0\r\n",
      "Content-Length: " + length + "\r\nTransfer-Encoding: chunked\r\n",
      "Transfer-Encoding: gzip, chunked\r\n",
      "Content-Length: +" + length + "\r\n",
  };
  for (const auto& framing : framings) {
    RawConnection conn(t_->port());
    ASSERT_TRUE(conn.connected());
    ASSERT_TRUE(
        conn.Send("POST /v1/auth/signup HTTP/1.1\r\nHost: x\r\n"
                  "Content-Type: application/json\r\n" +
                  framing + "\r\n" + body));
    bool closed = false;
    std::string answer = conn.ReadUntilClosed(closed);
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << framing << "-> " << answer;
    EXPECT_TRUE(closed) << framing;
  }
  // No account was made by any of them.
  EXPECT_EQ(t_->Json("POST", "/v1/auth/login", "",
                     {{"email", "smuggled@example.com"}, {"password", "password-123"}})
                .status,
            401);
}

TEST_F(ApiConnectionTest, HeadersTrickledOneLineAtATimeAreCutAtTheHeaderDeadline) {
  RawConnection conn(t_->port());
  ASSERT_TRUE(conn.connected());
  ASSERT_TRUE(conn.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  // One header line every 300 ms would keep a per-read timeout from ever firing; the 1 s
  // header deadline cuts it (18 s of trickling is a generous margin).
  const bool cut = conn.ClosedWhileTrickling("X-Slow: x\r\n");
  EXPECT_TRUE(cut) << "a trickled header held the connection open";
  EXPECT_EQ(t_->Call("GET", "/healthz").status, 200);
}

TEST_F(ApiConnectionTest, AnEndlessRequestLineOrHeaderIsCutNotBuffered) {
  for (const std::string start : {"GET /", "GET /healthz HTTP/1.1\r\nX-Long: "}) {
    RawConnection conn(t_->port());
    ASSERT_TRUE(conn.connected());
    ASSERT_TRUE(conn.Send(start));
    const std::string chunk(64 << 10, 'a');
    std::int64_t sent = 0;
    while (sent < (256 << 20) && conn.Send(chunk)) sent += chunk.size();
    EXPECT_LT(sent, 256 << 20) << start << ": the server kept reading";
  }
  EXPECT_EQ(t_->Call("GET", "/healthz").status, 200);
}

// Many connections that hold on without asking anything (idle sockets, headers trickled in),
// and many open event streams: /healthz still answers at once. Idle and slow connections wait
// in the parker and hold no request thread; each event stream holds one, and the pool grows
// past them.
TEST(ApiConnectionCrowdTest, IdleSlowAndStreamingConnectionsDoNotStarveOtherRequests) {
  constexpr int kIdle = 1000, kSlow = 100, kUsers = 15, kStreamsPerUser = 20;
  rlimit files{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_max < 4096) {
    GTEST_SKIP() << "the open file limit (" << files.rlim_max
                 << ") is below the 4096 this test's 2,800 sockets need";
  }
  auto t = TestServer::Start(Backend::kSqlite, [](ApiServerOptions& o) {
    o.threads = 8;
    o.header_deadline_ms = 120 * 1000;  // the crowd stays for the whole test
    o.keep_alive_timeout_ms = 120 * 1000;
  });
  ASSERT_NE(t, nullptr);

  // The event streams: 15 users, each at the per-user limit on one of their jobs.
  std::vector<std::unique_ptr<RawConnection>> streams;
  for (int u = 0; u < kUsers; ++u) {
    std::string token = t->SignUp();
    std::string vod_id = t->ReadyVod(token, std::string(4096, 'v'));
    Reply job = t->Json("POST", "/v1/vods/" + vod_id + "/analyze", token, {{"top", 3}});
    ASSERT_EQ(job.status, 202) << job.body;
    const std::string request = "GET /v1/jobs/" + job.json()["id"].get<std::string>() +
                                "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                                "\r\n\r\n";
    for (int i = 0; i < kStreamsPerUser; ++i) {
      streams.push_back(std::make_unique<RawConnection>(t->port()));
      ASSERT_TRUE(streams.back()->connected());
      ASSERT_TRUE(streams.back()->Send(request));
      std::string first = streams.back()->ReadSome();
      ASSERT_TRUE(first.starts_with("HTTP/1.1 200")) << "stream " << i << ": " << first;
    }
    // One more is refused: no user holds more than their share of the threads.
    RawConnection extra(t->port());
    ASSERT_TRUE(extra.Send(request));
    EXPECT_TRUE(extra.ReadSome().starts_with("HTTP/1.1 429")) << "user " << u;
  }
  // Idle sockets that never send a byte, and slow ones that sent half a request head.
  std::vector<std::unique_ptr<RawConnection>> crowd;
  for (int i = 0; i < kIdle + kSlow; ++i) {
    crowd.push_back(std::make_unique<RawConnection>(t->port()));
    ASSERT_TRUE(crowd.back()->connected()) << "connection " << i;
    if (i >= kIdle) {
      ASSERT_TRUE(crowd.back()->Send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
    }
  }
  // Until the server has taken every connection in (accepts are asynchronous).
  for (int i = 0; i < 200; ++i) {
    if (t->server().connection_stats().waiting_connections >= kIdle + kSlow) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int i = 0; i < kSlow; ++i) ASSERT_TRUE(crowd[kIdle + i]->Send("X-Slow: 1\r\n"));

  std::vector<double> latencies_ms;
  for (int i = 0; i < 20; ++i) {
    const auto start = std::chrono::steady_clock::now();
    Reply health = t->Call("GET", "/healthz");
    latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    ASSERT_EQ(health.status, 200) << "request " << i << " under the crowd";
  }
  const ApiServer::ConnectionStats stats = t->server().connection_stats();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  std::printf(
      "/healthz under %d idle, %d slow and %d streaming connections: median %.1f ms, max %.1f "
      "ms; %zu request threads, %zu connections waiting, %d streams\n",
      kIdle, kSlow, kUsers * kStreamsPerUser, latencies_ms[latencies_ms.size() / 2],
      latencies_ms.back(), stats.request_threads, stats.waiting_connections, stats.event_streams);
  EXPECT_EQ(stats.event_streams, kUsers * kStreamsPerUser);
  // The idle and slow connections wait without a thread; only the streams hold threads.
  EXPECT_GE(stats.waiting_connections, static_cast<std::size_t>(kIdle + kSlow));
  EXPECT_LE(stats.request_threads, static_cast<std::size_t>(kUsers * kStreamsPerUser + 32));
  // Every stream is still alive: it answers with its next event or keep-alive after the crowd.
  streams.clear();
  crowd.clear();
  for (int i = 0; i < 100 && t->server().connection_stats().event_streams > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(t->server().connection_stats().event_streams, 0) << "closed streams keep their place";
}

}  // namespace
}  // namespace clipthat::api
