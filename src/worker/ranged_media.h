// RangedMedia: a leased job's VOD media read through the worker API by HTTP Range requests, so
// that a render of a 30 s window of a 4-hour VOD transfers the index and the window, not the
// whole file.
//
//   ASSIGN_OR_RETURN(auto media, RangedMedia::Open(client_options, job, worker_id));
//   media::RemoteInputRegistration input = media::RegisterRemoteInput(media, media->label());
//   edit.source = input.path();  // every media function now reads the VOD by ranges
//
// How: libav demuxes through an AVIOContext (media/remote_input.h) whose reads land here. Reads
// are served from a cache of fixed-size blocks (block_bytes); a miss fetches the missing block
// with one `GET /v1/worker/jobs/{id}/files/media?worker_id=..&attempt=..` carrying
// `Range: bytes=A-B` and the worker's key in its Authorization header. A miss right after the
// previous fetch (a sequential read: the window's packets) fetches twice as many blocks as that
// fetch did, up to read_ahead_blocks; a miss elsewhere (a seek) starts again at one block. So
// the bytes fetched past what is read stay below what the sequential run has read so far, and
// a long run needs few requests. The cache is shared by every open of the input during the
// job (probe, face survey, decoder), so the index is fetched once; least recently used blocks
// are dropped past cache_bytes.
//
// Why this rather than libavformat's own http protocol on the media URL: that protocol asks for
// open-ended ranges ("bytes=N-") and drops the connection on a seek, so the server streams
// (and counts) whatever the socket buffers hold past what was read, each open of the input
// fetches the index again, and its errors are libav codes without the server's message. Here
// every request is bounded, retried on a broken connection, a timeout or a 5xx (WorkerApiClient
// ::ReadRange), errors name the URL without the lease query, and the key stays in one header that
// is never logged.
//
// Thread-safe (one mutex; reads are served one at a time). Errors from ReadAt are the
// WorkerApiClient's: kConflict when the lease was lost, kUnavailable after the retries.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.h"
#include "media/remote_input.h"
#include "worker/api_client.h"

namespace clipthat::worker {

struct RangedMediaOptions {
  std::int64_t block_bytes = 64 * 1024;         // unit of fetching and caching, bytes
  int read_ahead_blocks = 32;                   // most blocks one sequential miss fetches (2 MiB)
  std::int64_t cache_bytes = 64 * 1024 * 1024;  // most bytes kept; least recently used dropped
};

class RangedMedia : public media::RemoteInput {
 public:
  // Makes its own API connection and learns the file's size with a first ranged read (its
  // first block, kept). Errors: the client's (bad URL, 404 when the job has no media, 409 when
  // the lease is lost), Unsupported when the server ignores Range, InvalidArgument for options
  // out of range.
  static Result<std::shared_ptr<RangedMedia>> Open(const ApiClientOptions& client_options,
                                                   const LeasedJob& job, std::string worker_id,
                                                   RangedMediaOptions options = {});

  Result<std::size_t> ReadAt(std::int64_t offset_bytes, std::span<std::uint8_t> out) override;
  std::int64_t size_bytes() const override { return size_bytes_; }

  // "<api url>/v1/worker/jobs/<id>/files/media": for messages and the input's path label.
  const std::string& label() const { return label_; }
  // Bytes received from the API so far, and the number of ranged requests that carried them.
  std::int64_t fetched_bytes() const;
  int fetch_count() const;

 private:
  RangedMedia(std::unique_ptr<WorkerApiClient> client, LeasedJob job, std::string worker_id,
              RangedMediaOptions options);
  // Makes blocks [first, first + count) present (count clipped at the end of the file).
  // Called with mutex_ held.
  Status Fetch(std::int64_t first_block, std::int64_t count);
  void Touch(std::int64_t block);  // marks a cached block as just used; mutex_ held
  void Evict();                    // drops least recently used blocks past cache_bytes

  struct Block {
    std::string bytes;
    std::list<std::int64_t>::iterator lru;
  };

  std::unique_ptr<WorkerApiClient> client_;
  const LeasedJob job_;
  const std::string worker_id_;
  const RangedMediaOptions options_;
  std::string label_;
  std::int64_t size_bytes_ = 0;

  mutable std::mutex mutex_;
  std::map<std::int64_t, Block> blocks_;
  std::list<std::int64_t> lru_;  // most recently used first
  std::int64_t cached_bytes_ = 0;
  std::int64_t next_sequential_block_ = -1;  // the block after the last one fetched
  std::int64_t last_fetch_blocks_ = 0;       // how many blocks the last fetch asked for
  std::int64_t fetched_bytes_ = 0;
  int fetch_count_ = 0;
};

}  // namespace clipthat::worker
