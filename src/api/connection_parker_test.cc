#include "api/connection_parker.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace clipthat::api {
namespace {

TEST(RequestHeadEndTest, FindsTheEmptyLineThatEndsAHead) {
  const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_EQ(RequestHeadEnd(head, 0), head.size());
  EXPECT_EQ(RequestHeadEnd(head + "body", 0), head.size());
  EXPECT_EQ(RequestHeadEnd("GET / HTTP/1.1\nHost: x\n\n", 0), 24u);
  EXPECT_EQ(RequestHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n", 0), std::string::npos);
  EXPECT_EQ(RequestHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n\r", 0), std::string::npos);
  // Searching on from where the last search stopped (less 3) still finds an end split across
  // two reads.
  EXPECT_EQ(RequestHeadEnd(head, head.size() - 4), head.size());
}

// A parker over socket pairs: the test writes to one end, the parker watches the other.
class ConnectionParkerTest : public ::testing::Test {
 protected:
  void StartParker(ConnectionLimits limits) {
    parker_ = std::make_unique<ConnectionParker>(limits, [this](auto connection) {
      std::lock_guard<std::mutex> lock(mutex_);
      ready_.push_back(std::move(connection));
      changed_.notify_all();
    });
    ASSERT_TRUE(parker_->Start().ok());
  }
  void TearDown() override {
    if (parker_) parker_->Stop();
    for (int fd : clients_) ::close(fd);
  }
  // Parks one end of a new socket pair; returns the other.
  int ParkNew(bool fresh = true) {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    clients_.push_back(fds[1]);
    parker_->Park(std::make_unique<HttpConnection>(fds[0]), fresh);
    return fds[1];
  }
  bool ReadyWithin(std::size_t n, int ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::milliseconds(ms),
                             [&] { return ready_.size() >= n; });
  }
  // True when the parker closed the pair's other end within `ms`.
  static bool ClosedWithin(int fd, int ms) {
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, ms) <= 0) return false;
    char c;
    return ::recv(fd, &c, 1, MSG_DONTWAIT) == 0;
  }
  static void Write(int fd, const std::string& text) {
    ASSERT_EQ(::send(fd, text.data(), text.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(text.size()));
  }

  std::unique_ptr<ConnectionParker> parker_;
  std::vector<int> clients_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<HttpConnection>> ready_;
};

TEST_F(ConnectionParkerTest, AConnectionIsHandedOverOnceItsHeadIsWhole) {
  StartParker({});
  int client = ParkNew();
  Write(client, "POST /v1/x HTTP/1.1\r\nHost: x\r\n");
  EXPECT_FALSE(ReadyWithin(1, 200)) << "handed over with half a head";
  Write(client, "Content-Length: 4\r\n\r\nbody");
  ASSERT_TRUE(ReadyWithin(1, 5000));
  EXPECT_EQ(ready_[0]->pending, "POST /v1/x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody");
  EXPECT_EQ(parker_->parked(), 0u);
}

TEST_F(ConnectionParkerTest, AWholeHeadLeftOverFromTheLastRequestIsHandedOverAtOnce) {
  StartParker({});
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  clients_.push_back(fds[1]);
  auto c = std::make_unique<HttpConnection>(fds[0]);
  c->pending = "GET /b HTTP/1.1\r\n\r\n";
  parker_->Park(std::move(c), /*fresh=*/false);
  EXPECT_TRUE(ReadyWithin(1, 5000));
}

TEST_F(ConnectionParkerTest, SlowOrSilentOrEndlessHeadsAreClosed) {
  StartParker({.header_deadline_ms = 300, .max_header_bytes = 4096, .keep_alive_timeout_ms = 300});
  int silent = ParkNew(/*fresh=*/true);
  int trickling = ParkNew(/*fresh=*/true);
  int idle = ParkNew(/*fresh=*/false);
  int endless = ParkNew(/*fresh=*/true);
  Write(endless, std::string(5000, 'a'));
  EXPECT_TRUE(ClosedWithin(endless, 5000)) << "a head past max_header_bytes";
  for (int i = 0; i < 3; ++i) {
    Write(trickling, "X: y\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(ClosedWithin(trickling, 5000)) << "a head past its deadline";
  EXPECT_TRUE(ClosedWithin(silent, 5000)) << "a new connection that sent nothing";
  EXPECT_TRUE(ClosedWithin(idle, 5000)) << "a kept-alive connection past its idle time";
  EXPECT_TRUE(ready_.empty());
  EXPECT_EQ(parker_->parked(), 0u);
}

TEST_F(ConnectionParkerTest, PastMaxConnectionsNewOnesAreClosedAndStopClosesTheRest) {
  StartParker({.max_connections = 2});
  int a = ParkNew(), b = ParkNew(), c = ParkNew();
  EXPECT_TRUE(ClosedWithin(c, 5000));
  EXPECT_FALSE(ClosedWithin(a, 100));
  EXPECT_EQ(parker_->parked(), 2u);
  parker_->Stop();
  EXPECT_TRUE(ClosedWithin(a, 5000));
  EXPECT_TRUE(ClosedWithin(b, 5000));
  int late = ParkNew();
  EXPECT_TRUE(ClosedWithin(late, 5000)) << "parked after Stop";
}

}  // namespace
}  // namespace clipthat::api
