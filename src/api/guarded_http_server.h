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
// Connections wait for their requests in a ConnectionParker (epoll, one thread) and are
// served on an ElasticThreadPool: a connection holds a thread only while one of its requests
// is being served, so idle keep-alive sockets and headers trickled in slowly cost none. An
// event stream holds its thread for as long as it is open (the API caps those per user and in
// total; docs/api.md, "Connections").
#pragma once

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <memory>

#include "api/connection_limits.h"
#include "api/connection_parker.h"
#include "api/elastic_thread_pool.h"
#include "core/status.h"

namespace clipthat::api {

class GuardedHttpServer : public httplib::Server {
 public:
  explicit GuardedHttpServer(ConnectionLimits limits);
  ~GuardedHttpServer() override;

  // Starts the parker and the request threads; call after binding, before listening. Widens
  // the listening socket's backlog (cpp-httplib 0.11 queues 5 connections, so a burst of
  // clients waits for SYN retries of a second and more).
  Status StartConnections();
  // After stop() and the listening thread's end: closes the waiting connections, lets the
  // requests in flight finish, joins their threads.
  void StopConnections();

  std::size_t request_threads() const { return pool_.threads(); }
  std::size_t waiting_connections() const { return parker_.parked(); }

  // Called by a handler when it starts: the request's headers are complete, so the header
  // deadline and size limit no longer apply to this request. Handlers that do not call it leave
  // the connection to be closed after their answer.
  static void HeadersComplete();
  // Called by a long-lived answer (an event stream) while it waits: true once the client has
  // closed its side or the connection failed, so the answer can end instead of holding its
  // thread until its next write fails.
  static bool ClientGone();
  // Called by a handler: close the connection once `res` is written ("Connection: close" is
  // set on it); what is left of the request's body is never read.
  static void CloseConnectionAfterResponse(httplib::Response& res);

 private:
  // Called by cpp-httplib's accept loop for each new connection: parks it.
  bool process_and_close_socket(socket_t sock) override;
  // One request of `connection` (its head is whole in connection->pending), on a request
  // thread; the connection is parked again, or closed.
  void Serve(std::unique_ptr<HttpConnection> connection);
  // After an answer on a kept-alive connection: true when the next request's head is whole
  // within kStayForNextRequestMs (reading what has arrived into connection.pending).
  bool NextRequestArrivesAtOnce(HttpConnection& connection) const;
  static constexpr std::int64_t kStayForNextRequestMs = 2;

  ConnectionLimits limits_;
  ElasticThreadPool pool_;
  ConnectionParker parker_;
};

}  // namespace clipthat::api
