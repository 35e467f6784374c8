// Connection-level attacks on the API server, over raw sockets on loopback (the server runs in
// this process, so its memory is this process's): bodies announced but refused are never read,
// ambiguous body framing is refused, slow or endless headers are cut.
#include <gtest/gtest.h>

#include <cstdint>
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

}  // namespace
}  // namespace clipthat::api
