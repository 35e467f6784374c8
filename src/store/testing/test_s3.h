// S3 for tests: the server named by CLIPTHAT_TEST_S3_URL (scripts/test starts s3rver and sets it
// to "http://127.0.0.1:PORT/BUCKET"), with s3rver's fixed credentials unless
// CLIPTHAT_TEST_S3_ACCESS_KEY / CLIPTHAT_TEST_S3_SECRET_KEY say otherwise. Each test gets a bucket
// of its own, so test processes running in parallel never see each other's objects.
// Header-only; tests only.
#pragma once

#include <httplib.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "core/crypto.h"
#include "core/result.h"
#include "store/database.h"
#include "store/s3_object_store.h"
#include "store/s3_signer.h"

namespace clipthat::store::testing {

inline std::string EnvOr(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : std::string(fallback);
}

// "http://127.0.0.1:PORT/BUCKET", or "" when none is configured (the tests skip).
inline std::string TestS3Url() { return EnvOr("CLIPTHAT_TEST_S3_URL", ""); }

// The endpoint ("http://127.0.0.1:PORT") of TestS3Url().
inline std::string TestS3Endpoint() {
  const std::string url = TestS3Url();
  const std::size_t slash = url.find('/', url.find("//") + 2);
  return url.substr(0, slash);
}

// Options for a new, empty bucket on the test server. kUnavailable when CLIPTHAT_TEST_S3_URL is
// unset.
inline Result<S3Options> CreateTestBucket() {
  if (TestS3Url().empty()) return UnavailableError("CLIPTHAT_TEST_S3_URL is not set");
  S3Options options;
  options.endpoint = TestS3Endpoint();
  options.bucket = "t-" + NewId().substr(0, 20);
  options.credentials = {EnvOr("CLIPTHAT_TEST_S3_ACCESS_KEY", "S3RVER"),
                         EnvOr("CLIPTHAT_TEST_S3_SECRET_KEY", "S3RVER"), "us-east-1"};
  const std::string host = options.endpoint.substr(options.endpoint.find("//") + 2);
  S3Request request{"PUT", host, "/" + options.bucket, {}, {}, Sha256Hex("")};
  httplib::Headers headers{{"Host", host}};
  for (const auto& [name, value] :
       SignS3Request(request, options.credentials, static_cast<std::int64_t>(std::time(nullptr)))) {
    headers.emplace(name, value);
  }
  httplib::Client client(options.endpoint);
  auto result = client.Put(request.path, headers, "", 0, "application/octet-stream");
  if (!result) return UnavailableError("S3 test server " + options.endpoint + ": no answer");
  if (result->status != 200) {
    return UnavailableError("S3 test server: CreateBucket " + options.bucket + ": HTTP " +
                            std::to_string(result->status) + " " + result->body);
  }
  return options;
}

}  // namespace clipthat::store::testing
