// Test support for the api module (header-only; tests only): a raw TCP connection to the
// server, for requests an HTTP client library will not send (malformed, slow, endless, from
// another source address).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>

namespace clipthat::api::testing {

// A plain TCP connection to a loopback port, from `source_ip` (any 127.x.y.z address: a
// client at another address) when given; reads give up after 20 s of silence.
class RawConnection {
 public:
  explicit RawConnection(int port, const char* source_ip = nullptr)
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (source_ip) {
      sockaddr_in source{};
      source.sin_family = AF_INET;
      ::inet_pton(AF_INET, source_ip, &source.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&source), sizeof(source)) != 0) return;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval timeout{.tv_sec = 20, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // False once the server stopped taking bytes (closed or reset).
  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Everything the server sends until it closes the connection; `closed` tells whether it did
  // (false: 20 s passed without a byte).
  std::string ReadUntilClosed(bool& closed) {
    std::string out;
    char buf[4096];
    while (true) {
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n > 0) {
        out.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      closed = n == 0 || errno == ECONNRESET;
      return out;
    }
  }
  // What one read returns (the start of an answer); "" when the server closed the connection
  // or sent nothing for 20 s.
  std::string ReadSome() {
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }
  // Sends `piece` every 300 ms for up to 18 s, until the server closes the connection; true
  // when it did (what a server that keeps reading never does).
  bool ClosedWhileTrickling(const std::string& piece) {
    for (int i = 0; i < 60; ++i) {
      if (!Send(piece) || ClosedWithin(300)) return true;
    }
    return false;
  }
  // True when the server closed the connection within `wait_ms` (a read returns end of file or
  // a reset).
  bool ClosedWithin(int wait_ms) {
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, wait_ms) <= 0) return false;
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  int fd_;
  bool connected_ = false;
};

// Sends one request over a new connection (from `source_ip` when given) and returns the
// answer's status code (0 when none came) and its Retry-After header ("" when absent).
struct RawReply {
  int status = 0;
  std::string retry_after;
  std::string text;
};
inline RawReply RawRequest(int port, const std::string& method, const std::string& path,
                           const std::string& json_body, const char* source_ip = nullptr) {
  RawConnection c(port, source_ip);
  RawReply reply;
  if (!c.connected()) return reply;
  c.Send(method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
         "Content-Type: application/json\r\nContent-Length: " + std::to_string(json_body.size()) +
         "\r\n\r\n" + json_body);
  bool closed = false;
  reply.text = c.ReadUntilClosed(closed);
  if (reply.text.starts_with("HTTP/1.1 ") && reply.text.size() >= 12) {
    reply.status = std::stoi(reply.text.substr(9, 3));
  }
  constexpr std::string_view kRetryAfter = "\r\nRetry-After: ";
  if (auto at = reply.text.find(kRetryAfter); at != std::string::npos) {
    auto start = at + kRetryAfter.size();
    reply.retry_after = reply.text.substr(start, reply.text.find("\r\n", start) - start);
  }
  return reply;
}

}  // namespace clipthat::api::testing
