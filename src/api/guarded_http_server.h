// GuardedHttpServer: cpp-httplib's Server with the connection handling the API needs and
// cpp-httplib 0.11 lacks (internal to the api module).
//
//   - A request's line and headers must arrive within ConnectionLimits::header_deadline_ms in
//     total and within max_header_bytes; past either the connection is closed unanswered (a
//     header sent one byte at a time, or an endless request line, is cut instead of buffered).
//   - A handler may ask for the connection to be closed after its answer
//     (CloseConnectionAfterResponse): a body it refused is then never read. (cpp-httplib 0.11
//     only adds "Connection: close" to the answer and parses the unread body as the next
//     request, buffering it whole while looking for a line end.)
//   - A request cpp-httplib refuses before any handler runs (a broken request line, a URI past
//     its limit, a bad Range) closes the connection after the answer.
//   - Body reads and answer writes time out after read_timeout_ms / write_timeout_ms of
//     silence; an idle keep-alive connection is closed after keep_alive_timeout_ms.
//
// Still one pool thread per connection: a connection waiting for its headers holds a thread for
// up to header_deadline_ms, an idle keep-alive connection for up to keep_alive_timeout_ms, an
// event stream for as long as it is open. Many slow clients can still exhaust the pool for that
// long; only an event-driven server removes that (docs/api.md, "Connections").
#pragma once

#include <httplib.h>

#include <cstddef>
#include <cstdint>

namespace clipthat::api {

struct ConnectionLimits {
  std::int64_t header_deadline_ms = 10 * 1000;    // request line and headers, in total
  std::size_t max_header_bytes = 64 << 10;        // request line and headers, in total
  std::int64_t read_timeout_ms = 30 * 1000;       // longest silence while reading a body
  std::int64_t write_timeout_ms = 30 * 1000;      // longest stall while writing an answer
  std::int64_t keep_alive_timeout_ms = 5 * 1000;  // idle time between requests
};

class GuardedHttpServer : public httplib::Server {
 public:
  explicit GuardedHttpServer(ConnectionLimits limits) : limits_(limits) {}

  // Called by a handler when it starts: the request's headers are complete, so the header
  // deadline and size limit no longer apply to this request. Handlers that do not call it leave
  // the connection to be closed after their answer.
  static void HeadersComplete();
  // Called by a handler: close the connection once `res` is written ("Connection: close" is
  // set on it); what is left of the request's body is never read.
  static void CloseConnectionAfterResponse(httplib::Response& res);

 private:
  bool process_and_close_socket(socket_t sock) override;

  ConnectionLimits limits_;
};

}  // namespace clipthat::api
