#include "api/connection_parker.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

namespace clipthat::api {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::int64_t kSweepMs = 100;  // how often deadlines are looked at
constexpr std::size_t kReadBytes = 16 << 10;

}  // namespace

HttpConnection::~HttpConnection() {
  if (fd >= 0) ::close(fd);
}

std::size_t RequestHeadEnd(const std::string& buffer, std::size_t from) {
  // A head ends with an empty line: CRLF CRLF, or bare LFs (which the parser also accepts).
  for (std::size_t i = from; i < buffer.size(); ++i) {
    if (buffer[i] != '\n') continue;
    if (i >= 1 && buffer[i - 1] == '\n') return i + 1;
    if (i >= 2 && buffer[i - 1] == '\r' && buffer[i - 2] == '\n') return i + 1;
  }
  return std::string::npos;
}

struct ConnectionParker::Parked {
  std::unique_ptr<HttpConnection> connection;
  Clock::time_point deadline;
  bool head_started = false;  // the head's deadline runs (a byte came, or it was just accepted)
  std::size_t scanned = 0;    // RequestHeadEnd looked at pending up to here
};

ConnectionParker::ConnectionParker(ConnectionLimits limits, ReadyFn ready)
    : limits_(limits), ready_(std::move(ready)) {}

ConnectionParker::~ConnectionParker() {
  Stop();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Status ConnectionParker::Start() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) {
    return InternalError(std::string("connection parker: ") + std::strerror(errno));
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) {
    return InternalError(std::string("connection parker: ") + std::strerror(errno));
  }
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void ConnectionParker::Park(std::unique_ptr<HttpConnection> connection, bool fresh) {
  {
    std::lock_guard<std::mutex> lock(arrivals_mutex_);
    if (!accepting_) return;  // stopping: `connection` closes here
    arrivals_.emplace_back(std::move(connection), fresh);
  }
  const std::uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof(one));
}

void ConnectionParker::Stop() {
  {
    std::lock_guard<std::mutex> lock(arrivals_mutex_);
    accepting_ = false;
  }
  stopping_ = true;
  if (wake_fd_ >= 0) {
    const std::uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof(one));
  }
  if (thread_.joinable()) thread_.join();
}

void ConnectionParker::Adopt(std::unique_ptr<HttpConnection> connection, bool fresh) {
  // A pipelined request may already be whole in what the last one left over.
  if (RequestHeadEnd(connection->pending, 0) != std::string::npos) {
    ready_(std::move(connection));
    return;
  }
  if (parked_.load() >= limits_.max_connections) return;  // closed here
  const int fd = connection->fd;
  if (fd < 0) return;
  auto p = std::make_unique<Parked>();
  p->head_started = fresh || !connection->pending.empty();
  p->deadline =
      Clock::now() + std::chrono::milliseconds(p->head_started ? limits_.header_deadline_ms
                                                               : limits_.keep_alive_timeout_ms);
  p->scanned = connection->pending.size() >= 3 ? connection->pending.size() - 3 : 0;
  p->connection = std::move(connection);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) return;  // closed with p
  if (by_fd_.size() <= static_cast<std::size_t>(fd)) by_fd_.resize(fd + 1);
  by_fd_[fd] = std::move(p);
  ++parked_;
}

void ConnectionParker::Release(int fd, bool to_ready) {
  std::unique_ptr<Parked> p = std::move(by_fd_[fd]);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  --parked_;
  if (to_ready) ready_(std::move(p->connection));
  // else the connection closes with p
}

void ConnectionParker::ReadFrom(Parked& p) {
  HttpConnection& c = *p.connection;
  const int fd = c.fd;
  std::array<char, kReadBytes> buffer;
  while (true) {
    ssize_t n = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {  // the client went away, or the socket failed
      Release(fd, false);
      return;
    }
    if (!p.head_started) {
      p.head_started = true;
      p.deadline = Clock::now() + std::chrono::milliseconds(limits_.header_deadline_ms);
    }
    c.pending.append(buffer.data(), static_cast<std::size_t>(n));
    if (RequestHeadEnd(c.pending, p.scanned) != std::string::npos) {
      Release(fd, true);
      return;
    }
    if (c.pending.size() > limits_.max_header_bytes) {
      Release(fd, false);
      return;
    }
    p.scanned = c.pending.size() >= 3 ? c.pending.size() - 3 : 0;
  }
}

void ConnectionParker::Sweep() {
  const auto now = Clock::now();
  for (std::size_t fd = 0; fd < by_fd_.size(); ++fd) {
    if (by_fd_[fd] && by_fd_[fd]->deadline <= now) Release(static_cast<int>(fd), false);
  }
}

void ConnectionParker::Loop() {
  std::array<epoll_event, 256> events;
  auto last_sweep = Clock::now();
  while (!stopping_) {
    int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), kSweepMs);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        std::uint64_t count;
        (void)!::read(wake_fd_, &count, sizeof(count));
        std::vector<std::pair<std::unique_ptr<HttpConnection>, bool>> arrivals;
        {
          std::lock_guard<std::mutex> lock(arrivals_mutex_);
          arrivals.swap(arrivals_);
        }
        for (auto& [connection, fresh] : arrivals) Adopt(std::move(connection), fresh);
      } else if (static_cast<std::size_t>(fd) < by_fd_.size() && by_fd_[fd]) {
        ReadFrom(*by_fd_[fd]);
      }
    }
    if (Clock::now() - last_sweep >= std::chrono::milliseconds(kSweepMs)) {
      Sweep();
      last_sweep = Clock::now();
    }
  }
  // Stopping: every parked connection, and any that arrived since, closes.
  for (std::size_t fd = 0; fd < by_fd_.size(); ++fd) {
    if (by_fd_[fd]) Release(static_cast<int>(fd), false);
  }
  std::lock_guard<std::mutex> lock(arrivals_mutex_);
  arrivals_.clear();
}

}  // namespace clipthat::api
