// ConnectionLimits: what the API server allows one client connection, and how many it keeps
// (internal to the api module; set from ApiServerOptions).
#pragma once

#include <cstddef>
#include <cstdint>

namespace clipthat::api {

struct ConnectionLimits {
  std::int64_t header_deadline_ms = 10 * 1000;    // request line and headers, in total
  std::size_t max_header_bytes = 64 << 10;        // request line and headers, in total
  std::int64_t read_timeout_ms = 30 * 1000;       // longest silence while reading a body
  std::int64_t write_timeout_ms = 30 * 1000;      // longest stall while writing an answer
  std::int64_t keep_alive_timeout_ms = 5 * 1000;  // idle time between requests
  std::size_t max_connections = 10000;            // waiting for a request at once
  std::size_t min_threads = 8;                    // request threads kept when idle
  std::size_t max_threads = 1024;                 // request threads at most
};

}  // namespace clipthat::api
