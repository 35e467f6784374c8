#include "api/guarded_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <string>

namespace clipthat::api {
namespace {

using Clock = std::chrono::steady_clock;

// What the handler running on this thread said about its connection.
struct ConnectionState {
  bool headers_complete = false;
  bool close_after_response = false;
};
// The connection this pool thread is serving (one at a time); null outside one.
thread_local ConnectionState* current_connection = nullptr;

// Waits up to timeout_ms for `events` on fd; false on timeout or error.
bool WaitFor(int fd, short events, std::int64_t timeout_ms) {
  pollfd p{.fd = fd, .events = events, .revents = 0};
  while (true) {
    int r = ::poll(&p, 1, static_cast<int>(std::clamp<std::int64_t>(timeout_ms, 0, 1 << 30)));
    if (r < 0 && errno == EINTR) continue;
    return r > 0;
  }
}

void AddressOf(const sockaddr_storage& addr, std::string& ip, int& port) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (addr.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &a.sin_addr, text.data(), text.size());
    port = ntohs(a.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &a.sin6_addr, text.data(), text.size());
    port = ntohs(a.sin6_port);
  }
  ip = text.data();
}

// The connection's socket as an httplib::Stream: buffered reads (the request line reader reads
// one byte at a time) that enforce the header limits while the headers are being read.
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(int fd, const ConnectionLimits& limits, const ConnectionState& state)
      : fd_(fd), limits_(limits), state_(state) {}

  // A new request starts: its header deadline runs from now.
  void StartRequest() {
    header_deadline_ = Clock::now() + std::chrono::milliseconds(limits_.header_deadline_ms);
    header_bytes_ = 0;
  }
  bool has_buffered() const { return begin_ < end_; }

  bool is_readable() const override {
    return has_buffered() || WaitFor(fd_, POLLIN, ReadTimeoutMs());
  }
  bool is_writable() const override { return WaitFor(fd_, POLLOUT, limits_.write_timeout_ms); }

  ssize_t read(char* ptr, size_t size) override {
    if (!has_buffered()) {
      if (!WaitFor(fd_, POLLIN, ReadTimeoutMs())) return -1;
      ssize_t n;
      do {
        n = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n < 0 ? -1 : 0;
      begin_ = 0;
      end_ = static_cast<std::size_t>(n);
    }
    std::size_t n = std::min(size, end_ - begin_);
    if (!state_.headers_complete) {
      header_bytes_ += n;
      if (header_bytes_ > limits_.max_header_bytes) return -1;
    }
    std::copy_n(buffer_.data() + begin_, n, ptr);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      AddressOf(addr, ip, port);
    }
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      AddressOf(addr, ip, port);
    }
  }
  socket_t socket() const override { return fd_; }

 private:
  // While headers are read: what is left of the header deadline (0 when spent).
  std::int64_t ReadTimeoutMs() const {
    if (state_.headers_complete) return limits_.read_timeout_ms;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(header_deadline_ - Clock::now())
            .count();
    return std::clamp<std::int64_t>(left, 0, limits_.read_timeout_ms);
  }

  int fd_;
  const ConnectionLimits& limits_;
  const ConnectionState& state_;
  Clock::time_point header_deadline_;
  std::size_t header_bytes_ = 0;
  std::array<char, 16 << 10> buffer_{};
  std::size_t begin_ = 0, end_ = 0;
};

}  // namespace

void GuardedHttpServer::HeadersComplete() {
  if (current_connection) current_connection->headers_complete = true;
}

void GuardedHttpServer::CloseConnectionAfterResponse(httplib::Response& res) {
  res.set_header("Connection", "close");
  if (current_connection) current_connection->close_after_response = true;
}

bool GuardedHttpServer::process_and_close_socket(socket_t sock) {
  ConnectionState state;
  GuardedStream stream(sock, limits_, state);
  // Waits for the next request's first byte: false when the server stops, the client goes
  // away or stays idle past the keep-alive timeout.
  auto next_request = [&] {
    if (stream.has_buffered()) return true;
    constexpr std::int64_t kSliceMs = 100;  // how often a stopping server is noticed
    for (std::int64_t waited_ms = 0;; waited_ms += kSliceMs) {
      if (svr_sock_ == INVALID_SOCKET) return false;
      const std::int64_t left_ms = limits_.keep_alive_timeout_ms - waited_ms;
      if (WaitFor(sock, POLLIN, std::clamp<std::int64_t>(left_ms, 0, kSliceMs))) return true;
      if (left_ms <= kSliceMs) return false;
    }
  };
  bool ok = true;
  for (std::size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
    if (!next_request()) break;
    state = ConnectionState{};
    stream.StartRequest();
    bool client_closes = false;
    current_connection = &state;
    ok = process_request(stream, left == 1, client_closes, nullptr);
    current_connection = nullptr;
    // No handler ran (cpp-httplib answered itself) or one asked to close: whatever the client
    // sent after the headers is never read.
    if (!ok || client_closes || !state.headers_complete || state.close_after_response) break;
  }
  // A lingering close: closing with unread bytes pending makes the kernel reset the
  // connection, which can destroy the answer before the client reads it. Say we are done,
  // then discard what the client still sends, briefly and boundedly, before closing.
  ::shutdown(sock, SHUT_WR);
  constexpr std::int64_t kLingerMs = 500;
  constexpr std::size_t kLingerBytes = 1 << 20;
  std::array<char, 16 << 10> discard{};
  const auto linger_until = Clock::now() + std::chrono::milliseconds(kLingerMs);
  for (std::size_t drained = 0; drained < kLingerBytes;) {
    auto left_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(linger_until - Clock::now()).count();
    if (left_ms <= 0 || !WaitFor(sock, POLLIN, left_ms)) break;
    ssize_t n = ::recv(sock, discard.data(), discard.size(), 0);
    if (n <= 0) break;
    drained += static_cast<std::size_t>(n);
  }
  ::close(sock);
  return ok;
}

}  // namespace clipthat::api
