// S3Signer: AWS Signature Version 4 for the S3 REST API, as header authentication (every request
// the S3 object store sends) and as a presigned URL (query-string authentication, for downloads
// handed to clients). Pure functions of their inputs: no I/O, no clock (the caller passes the
// time), so the signatures are checked against the examples in AWS's documentation.
//
// The secret key is used only to derive the signing key; it never appears in a returned string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clipthat::store {

struct S3Credentials {
  std::string access_key;  // "AKIA..." (appears in the Authorization header and presigned URLs)
  std::string secret_key;  // never logged, never in an error message
  std::string region = "us-east-1";
};

// One request to sign. `path` is the already percent-encoded absolute path ("/bucket/key");
// `query` holds raw (not encoded) name/value pairs; `headers` are the headers to sign besides
// host, x-amz-date and x-amz-content-sha256 (names in any case, e.g. {"Range", "bytes=0-9"}).
struct S3Request {
  std::string method;  // "GET", "PUT", ...
  std::string host;    // the Host header: "127.0.0.1:9000" or "s3.amazonaws.com"
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload_sha256_hex;  // Sha256Hex of the body, or "UNSIGNED-PAYLOAD"
};

// The headers to send with `request` (x-amz-date, x-amz-content-sha256, Authorization), signed
// at `unix_time_s` (UTC seconds since 1970).
std::vector<std::pair<std::string, std::string>> SignS3Request(const S3Request& request,
                                                               const S3Credentials& credentials,
                                                               std::int64_t unix_time_s);

// The path and query string ("/bucket/key?X-Amz-Algorithm=...&X-Amz-Signature=...") of a
// presigned GET of `request.path` on `request.host`, valid for `expires_s` seconds from
// `unix_time_s` (S3 accepts 1 to 604800 seconds).
std::string PresignS3Get(const S3Request& request, const S3Credentials& credentials,
                         std::int64_t unix_time_s, std::int64_t expires_s);

// RFC 3986 percent-encoding as SigV4 wants it: every byte but A-Z a-z 0-9 - _ . ~ is encoded
// (upper-case hex); '/' is kept when `keep_slash` (object key paths), encoded otherwise.
enum class Slash { kKeep, kEncode };
std::string S3UriEncode(std::string_view text, Slash slash);

}  // namespace clipthat::store
