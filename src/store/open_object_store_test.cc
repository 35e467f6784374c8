#include "store/open_object_store.h"

#include <gtest/gtest.h>

#include "core/files.h"

namespace clipthat::store {
namespace {

ObjectStoreOptions S3Settings(std::string url) {
  ObjectStoreOptions options;
  options.url = std::move(url);
  options.s3.endpoint = "http://127.0.0.1:9000";
  options.s3.credentials = {"AK", "TOP-SECRET-KEY", "eu-west-1"};
  return options;
}

TEST(OpenObjectStoreTest, PicksTheBackendFromTheUrl) {
  TempDir dir("clipthat-open-store");
  ObjectStoreOptions local;
  local.local_dir = (dir.path() / "objects").string();
  auto by_default = OpenObjectStore(local);
  ASSERT_TRUE(by_default.ok()) << by_default.status().ToString();
  EXPECT_NE(dynamic_cast<LocalObjectStore*>(by_default->get()), nullptr);

  local.url = "file:" + (dir.path() / "elsewhere").string();
  auto file = OpenObjectStore(local);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  auto* file_store = dynamic_cast<LocalObjectStore*>(file->get());
  ASSERT_NE(file_store, nullptr);
  EXPECT_NE(file_store->root().find("elsewhere"), std::string::npos);

  auto s3 = OpenObjectStore(S3Settings("s3://clipthat-media"));
  ASSERT_TRUE(s3.ok()) << s3.status().ToString();
  auto* s3_store = dynamic_cast<S3ObjectStore*>(s3->get());
  ASSERT_NE(s3_store, nullptr);
  EXPECT_EQ(s3_store->options().bucket, "clipthat-media");
  EXPECT_EQ(s3_store->options().credentials.region, "eu-west-1");
}

TEST(OpenObjectStoreTest, RefusesUnusableUrlsWithoutShowingTheSecret) {
  for (const char* url : {"s3://", "s3://bucket/prefix", "gs://bucket", "http://x/bucket"}) {
    Status s = OpenObjectStore(S3Settings(url)).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << url;
    EXPECT_EQ(s.message().find("TOP-SECRET-KEY"), std::string::npos) << s.ToString();
  }
  ObjectStoreOptions no_endpoint = S3Settings("s3://media");
  no_endpoint.s3.endpoint = "";
  Status s = OpenObjectStore(no_endpoint).status();
  EXPECT_NE(s.message().find("store.s3.endpoint"), std::string::npos) << s.ToString();
  ObjectStoreOptions no_key = S3Settings("s3://media");
  no_key.s3.credentials.secret_key = "";
  EXPECT_EQ(OpenObjectStore(no_key).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clipthat::store
