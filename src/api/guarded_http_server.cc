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
#include <cstring>
#include <string>

namespace clipthat::api {
namespace {

using Clock = std::chrono::steady_clock;

// What the handler running on this thread said about its connection.
struct ConnectionState {
  int fd = -1;
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

// A connection as an httplib::Stream: reads take what the parker already read first (the
// request line reader reads one byte at a time), then the socket; the header limits still
// apply while the headers are parsed.
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(HttpConnection& connection, const ConnectionLimits& limits,
                const ConnectionState& state)
      : c_(connection), fd_(connection.fd), limits_(limits), state_(state) {
    header_deadline_ = Clock::now() + std::chrono::milliseconds(limits_.header_deadline_ms);
  }
  // What no request consumed stays with the connection for the next one.
  ~GuardedStream() override { c_.pending.erase(0, begin_); }

  bool has_buffered() const { return begin_ < c_.pending.size(); }

  bool is_readable() const override {
    return has_buffered() || WaitFor(fd_, POLLIN, ReadTimeoutMs());
  }
  bool is_writable() const override { return WaitFor(fd_, POLLOUT, limits_.write_timeout_ms); }

  ssize_t read(char* ptr, size_t size) override {
    if (!has_buffered()) {
      c_.pending.clear();
      begin_ = 0;
      if (!WaitFor(fd_, POLLIN, ReadTimeoutMs())) return -1;
      std::array<char, 16 << 10> buffer;
      ssize_t n;
      do {
        n = ::recv(fd_, buffer.data(), buffer.size(), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n < 0 ? -1 : 0;
      c_.pending.assign(buffer.data(), static_cast<std::size_t>(n));
    }
    std::size_t n = std::min(size, c_.pending.size() - begin_);
    if (!state_.headers_complete) {
      header_bytes_ += n;
      if (header_bytes_ > limits_.max_header_bytes) return -1;
    }
    std::copy_n(c_.pending.data() + begin_, n, ptr);
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

  HttpConnection& c_;
  int fd_;
  const ConnectionLimits& limits_;
  const ConnectionState& state_;
  Clock::time_point header_deadline_;
  std::size_t header_bytes_ = 0;
  std::size_t begin_ = 0;  // c_.pending is consumed up to here
};

// A lingering close: closing with unread bytes pending makes the kernel reset the connection,
// which can destroy the answer before the client reads it. Say we are done, then discard what
// the client still sends, briefly and boundedly, before the connection closes.
void LingerBeforeClose(int fd) {
  ::shutdown(fd, SHUT_WR);
  constexpr std::int64_t kLingerMs = 500;
  constexpr std::size_t kLingerBytes = 1 << 20;
  std::array<char, 16 << 10> discard{};
  const auto linger_until = Clock::now() + std::chrono::milliseconds(kLingerMs);
  for (std::size_t drained = 0; drained < kLingerBytes;) {
    auto left_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(linger_until - Clock::now()).count();
    if (left_ms <= 0 || !WaitFor(fd, POLLIN, left_ms)) break;
    ssize_t n = ::recv(fd, discard.data(), discard.size(), 0);
    if (n <= 0) break;
    drained += static_cast<std::size_t>(n);
  }
}

}  // namespace

void GuardedHttpServer::HeadersComplete() {
  if (current_connection) current_connection->headers_complete = true;
}

bool GuardedHttpServer::ClientGone() {
  if (!current_connection || current_connection->fd < 0) return false;
  pollfd p{.fd = current_connection->fd, .events = POLLRDHUP, .revents = 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

void GuardedHttpServer::CloseConnectionAfterResponse(httplib::Response& res) {
  res.set_header("Connection", "close");
  if (current_connection) current_connection->close_after_response = true;
}

GuardedHttpServer::GuardedHttpServer(ConnectionLimits limits)
    : limits_(limits),
      pool_(limits.min_threads, limits.max_threads, /*idle_exit_ms=*/30 * 1000),
      parker_(limits, [this](std::unique_ptr<HttpConnection> connection) {
        // std::function needs a copyable callable: the connection travels in a shared_ptr.
        auto shared = std::make_shared<std::unique_ptr<HttpConnection>>(std::move(connection));
        pool_.Enqueue([this, shared] { Serve(std::move(*shared)); });
      }) {
  // Accepting only parks the connection: one thread does it.
  new_task_queue = [] { return new httplib::ThreadPool(1); };
}

GuardedHttpServer::~GuardedHttpServer() { StopConnections(); }

Status GuardedHttpServer::StartConnections() {
  if (svr_sock_ != INVALID_SOCKET && ::listen(svr_sock_, SOMAXCONN) != 0) {
    return InternalError(std::string("listen: ") + std::strerror(errno));
  }
  return parker_.Start();
}

void GuardedHttpServer::StopConnections() {
  parker_.Stop();
  pool_.Shutdown();
}

bool GuardedHttpServer::process_and_close_socket(socket_t sock) {
  parker_.Park(std::make_unique<HttpConnection>(sock), /*fresh=*/true);
  return true;
}

bool GuardedHttpServer::NextRequestArrivesAtOnce(HttpConnection& connection) const {
  if (RequestHeadEnd(connection.pending, 0) != std::string::npos) return true;
  if (connection.pending.size() > limits_.max_header_bytes) return false;
  if (!WaitFor(connection.fd, POLLIN, kStayForNextRequestMs)) return false;
  std::array<char, 16 << 10> buffer;
  ssize_t n;
  do {
    n = ::recv(connection.fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  // End of file or an error: the parker sees it too, and closes the connection.
  if (n <= 0) return false;
  connection.pending.append(buffer.data(), static_cast<std::size_t>(n));
  return RequestHeadEnd(connection.pending, 0) != std::string::npos;
}

void GuardedHttpServer::Serve(std::unique_ptr<HttpConnection> connection) {
  while (true) {
    const bool stopping = svr_sock_ == INVALID_SOCKET;
    const bool last = stopping || ++connection->requests_served >= keep_alive_max_count_;
    ConnectionState state;
    state.fd = connection->fd;
    bool ok = false;
    bool client_closes = false;
    {
      GuardedStream stream(*connection, limits_, state);
      current_connection = &state;
      ok = process_request(stream, last, client_closes, nullptr);
      current_connection = nullptr;
    }
    // No handler ran (cpp-httplib answered itself) or one asked to close: whatever the client
    // sent after the headers is never read.
    const bool keep = ok && !last && !client_closes && state.headers_complete &&
                      !state.close_after_response && svr_sock_ != INVALID_SOCKET;
    if (!keep) break;
    // A busy client's next request, whole within a moment, is served on this thread without a
    // trip through the parker; anything slower or partial waits there.
    if (NextRequestArrivesAtOnce(*connection)) continue;
    parker_.Park(std::move(connection), /*fresh=*/false);
    return;
  }
  LingerBeforeClose(connection->fd);
}

}  // namespace clipthat::api
