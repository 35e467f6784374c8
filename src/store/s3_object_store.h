// S3ObjectStore: the ObjectStore on any S3-compatible server (AWS S3, MinIO, Ceph RGW, s3rver),
// so that several API servers and workers share one media store.
//
//   S3Options options;
//   options.endpoint = "https://s3.eu-west-1.amazonaws.com";  // or "http://127.0.0.1:9000"
//   options.bucket = "clipthat-media";
//   options.credentials = {access_key, secret_key, "eu-west-1"};
//   ASSIGN_OR_RETURN(std::unique_ptr<S3ObjectStore> store, S3ObjectStore::Open(options));
//
// Requests are path-style (ENDPOINT/BUCKET/KEY) and signed with AWS Signature Version 4
// (store/s3_signer.h). Keys are checked by ValidateKey as in LocalObjectStore; in addition, a
// segment ending in ".parts" is refused (InvalidArgument): those names hold appended chunks.
//
// Operations:
//   Put     one PUT up to `multipart_part_bytes`; above that a multipart upload in parts of that
//           size (CreateMultipartUpload, UploadPart, CompleteMultipartUpload), aborted when the
//           source or any request fails, so readers see the old object or the new one, never a
//           part. Memory: one part buffer.
//   Size    HEAD.   Read: a ranged GET ("Range: bytes=first-last"), streamed to the sink.
//   Remove  DELETE. RemovePrefix: ListObjectsV2 under "prefix/" (pages of 1000) and a DELETE each.
//   PresignGet  a URL anyone may GET for `expires_s` seconds (downloads served by S3 directly).
//
// Append (resumable uploads, URL imports, rendered clips) -- S3 cannot append, so each appended
// chunk is its own object, "KEY.parts/<end offset, 19 digits>", and the store reads KEY as the
// concatenation of its parts in offset order:
//   + every Append is one PUT of the chunk and O(1) checks (HEAD of the part that must end at
//     `offset`, a one-key LIST that no part ends later), whichever API server received the earlier
//     chunks: an upload resumes on another node after a crash;
//   + nothing is staged on a local disk, nothing is copied again while the upload grows;
//   - an appended object is many S3 objects (one per chunk, 1 MiB from the API): Size and Read
//     list them (one request per 1000 parts) and Read opens one GET per part it touches; other S3
//     clients see KEY.parts/... rather than KEY. Put of the same key replaces the parts with one
//     object. (Server-side assembly by UploadPartCopy would need parts of 5 MiB or more.)
//   - two writers appending at the same offset at the same moment are not excluded (S3 has no
//     compare-and-set); the API serialises appends to one upload through its database.
//   An object stored whole (by Put) and then appended to is first moved to its first part by a
//   server-side copy.
//
// Errors name the bucket and key, never the credentials: S3's XML <Code> and <Message> are kept
// ("S3 s3://media/vods/v/media.mp4: GET: AccessDenied: Access Denied (HTTP 403)").
//   NotFound (404/NoSuchKey), InvalidArgument (bad key, 416 / a range past the end, other 4xx),
//   PermissionDenied (403), Unavailable (no connection, 5xx, 429, timeouts), DataError (an answer
//   that cannot be understood, inconsistent parts).
// Thread-safe: each request opens its own connection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/object_store.h"
#include "store/s3_signer.h"

namespace clipthat::store {

struct S3Options {
  std::string endpoint;  // "http(s)://host[:port]", no path
  std::string bucket;    // must exist
  S3Credentials credentials;
  std::int64_t multipart_part_bytes = 16 << 20;  // at least 5 MiB (S3's minimum part size)
  int connect_timeout_ms = 10000;
  int timeout_ms = 60000;     // longest wait while sending or receiving
  int list_page_keys = 1000;  // keys per ListObjectsV2 page, 1 to 1000 (tests use fewer)
};

class S3ObjectStore : public ObjectStore {
 public:
  // Checks the options (endpoint URL, bucket name, keys present, part size); no request is sent.
  // InvalidArgument names the bad option (never the secret).
  static Result<std::unique_ptr<S3ObjectStore>> Open(S3Options options);
  ~S3ObjectStore() override;

  Result<std::int64_t> Put(std::string_view key, const ByteSource& source) override;
  using ObjectStore::Put;
  Result<std::int64_t> Append(std::string_view key, std::int64_t offset,
                              std::string_view bytes) override;
  Result<std::int64_t> Size(std::string_view key) override;
  Status Read(std::string_view key, std::int64_t offset, std::int64_t length,
              const ByteSink& sink) override;
  Status Remove(std::string_view key) override;
  Status RemovePrefix(std::string_view prefix) override;

  // A URL that GETs the object `key` (stored whole, by Put) for `expires_s` seconds (1 to 604800)
  // without credentials. InvalidArgument for a bad key or expiry; no request is sent.
  Result<std::string> PresignGet(std::string_view key, std::int64_t expires_s) const;

  const S3Options& options() const { return options_; }

 private:
  struct Impl;
  S3ObjectStore(S3Options options, std::unique_ptr<Impl> impl);

  S3Options options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::store
