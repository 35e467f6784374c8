// ConnectionParker: where the API server's connections wait while no request is being
// served (internal to the api module).
//
// A connection is parked when it is accepted and again after each answer on a kept-alive
// connection. One thread watches every parked socket with epoll and reads what arrives into
// the connection's buffer; once the buffer holds a whole request head (request line and
// headers, up to the empty line) the connection is handed to `ready`, which serves the request
// on a request thread. So a connection costs a thread only while a request is being served: a
// thousand idle keep-alive sockets, or clients trickling their headers a byte at a time, hold
// no thread at all.
//
// Deadlines (ConnectionLimits):
//   - a request head must be complete within header_deadline_ms of the connection being
//     accepted, or of its first byte when the connection was kept alive;
//   - a kept-alive connection without a byte for keep_alive_timeout_ms is closed;
//   - a head longer than max_header_bytes closes the connection.
// Connections past a limit are closed unanswered (the client sent nothing worth an answer
// yet), as are all parked ones when the parker stops. Past max_connections parked at once, a
// newly parked connection is closed at once.
//
// Thread-safe: Park may be called from any thread, also after Stop (the connection is then
// closed). `ready` is called on the parker's thread or Park's caller, never concurrently for
// one connection.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/connection_limits.h"
#include "core/status.h"

namespace clipthat::api {

// One client connection: its socket (owned, closed with it) and the bytes read from it that
// no request has consumed yet.
struct HttpConnection {
  explicit HttpConnection(int socket_fd) : fd(socket_fd) {}
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  int fd;
  std::string pending;  // read, not yet consumed
  std::size_t requests_served = 0;
};

// Where a request head ends in `buffer` (the index just past its empty line), searching from
// `from` (0 or where the last search stopped, less 3); npos when it has not ended yet.
std::size_t RequestHeadEnd(const std::string& buffer, std::size_t from);

class ConnectionParker {
 public:
  using ReadyFn = std::function<void(std::unique_ptr<HttpConnection>)>;

  ConnectionParker(ConnectionLimits limits, ReadyFn ready);
  ~ConnectionParker();  // Stop()
  ConnectionParker(const ConnectionParker&) = delete;
  ConnectionParker& operator=(const ConnectionParker&) = delete;

  // Creates the epoll set and starts the thread. Internal error when the kernel refuses.
  Status Start();
  // `fresh`: just accepted (its head deadline runs from now); else kept alive after an answer.
  void Park(std::unique_ptr<HttpConnection> connection, bool fresh);
  // Closes every parked connection and joins the thread.
  void Stop();

  std::size_t parked() const { return parked_.load(); }

 private:
  struct Parked;
  void Loop();
  void Adopt(std::unique_ptr<HttpConnection> connection, bool fresh);
  void ReadFrom(Parked& p);
  void Release(int fd, bool to_ready);
  void Sweep();

  const ConnectionLimits limits_;
  const ReadyFn ready_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd: new arrivals, stop
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> parked_{0};

  std::mutex arrivals_mutex_;
  std::vector<std::pair<std::unique_ptr<HttpConnection>, bool>> arrivals_;
  bool accepting_ = true;  // under arrivals_mutex_

  std::vector<std::unique_ptr<Parked>> by_fd_;  // parker thread only
};

}  // namespace clipthat::api
