// S3ObjectStore against a real S3 server on loopback (s3rver, started by scripts/test), checked
// with a second, independent client: Debian's awscli. The contract shared with the local store is
// in object_store_test.cc; this file covers what only S3 has: multipart uploads, presigned URLs,
// S3's error documents, and objects exchanged with another client.
#include "store/s3_object_store.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/files.h"
#include "store/s3_signer.h"
#include "store/testing/test_s3.h"

namespace clipthat::store {
namespace {

constexpr std::int64_t kPartBytes = 5 << 20;  // S3's smallest part

std::string Pattern(std::size_t size, int seed) {
  std::string out(size, '\0');
  std::uint32_t x = 2463534242u + static_cast<std::uint32_t>(seed);
  for (char& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  return out;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

// Debian's awscli (/usr/bin/aws), else whatever `aws` is on the PATH; "" when there is none.
std::string AwsCommand() {
  if (::access("/usr/bin/aws", X_OK) == 0) return "/usr/bin/aws";
  return std::system("command -v aws >/dev/null 2>&1") == 0 ? "aws" : "";
}

class S3ObjectStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::TestS3Url().empty()) GTEST_SKIP() << "CLIPTHAT_TEST_S3_URL is not set";
    auto options = testing::CreateTestBucket();
    ASSERT_TRUE(options.ok()) << options.status().ToString();
    options_ = *options;
    options_.multipart_part_bytes = kPartBytes;
    auto store = S3ObjectStore::Open(options_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  // Runs awscli against the test server with the test credentials; its exit status.
  int Aws(const std::string& arguments) {
    const std::string aws = AwsCommand();
    const std::string command = "AWS_ACCESS_KEY_ID='" + options_.credentials.access_key +
                                "' AWS_SECRET_ACCESS_KEY='" + options_.credentials.secret_key +
                                "' AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true " +
                                aws + " --endpoint-url " + options_.endpoint + " " + arguments +
                                " >" + (dir_.path() / "aws.log").string() + " 2>&1";
    const int rc = std::system(command.c_str());
    if (rc != 0) ADD_FAILURE() << "aws " << arguments << ":\n" << ReadFile(dir_.path() / "aws.log");
    return rc;
  }

  std::string S3Uri(const std::string& key) const { return "s3://" + options_.bucket + "/" + key; }

  S3Options options_;
  std::unique_ptr<S3ObjectStore> store_;
  TempDir dir_{"clipthat-s3-test"};
};

TEST_F(S3ObjectStoreTest, LargeObjectsGoUpInPartsAndReadBackWhole) {
  // Two full parts and a short last one.
  const std::string data = Pattern(2 * kPartBytes + 123'457, 1);
  std::istringstream in(data);
  auto size = store_->Put("vods/v1/media.mp4", in);
  ASSERT_TRUE(size.ok()) << size.status().ToString();
  EXPECT_EQ(*size, static_cast<std::int64_t>(data.size()));
  EXPECT_EQ(*store_->Size("vods/v1/media.mp4"), static_cast<std::int64_t>(data.size()));
  auto back = store_->ReadAll("vods/v1/media.mp4");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == data);
  std::string middle;
  ASSERT_TRUE(store_
                  ->Read("vods/v1/media.mp4", kPartBytes - 10, 20,
                         [&](std::string_view chunk) {
                           middle.append(chunk);
                           return Status::Ok();
                         })
                  .ok());
  EXPECT_EQ(middle, data.substr(kPartBytes - 10, 20));

  if (AwsCommand().empty()) GTEST_SKIP() << "awscli not installed: no cross-check";
  const auto file = dir_.path() / "from-s3";
  ASSERT_EQ(Aws("s3 cp " + S3Uri("vods/v1/media.mp4") + " " + file.string()), 0);
  EXPECT_TRUE(ReadFile(file) == data) << "awscli read different bytes";
}

TEST_F(S3ObjectStoreTest, SmallObjectsGoUpInOnePut) {
  ASSERT_TRUE(store_->PutBytes("clips/c1/thumb.jpg", "jpeg bytes").ok());
  if (AwsCommand().empty()) GTEST_SKIP() << "awscli not installed: no cross-check";
  const auto file = dir_.path() / "thumb";
  ASSERT_EQ(Aws("s3 cp " + S3Uri("clips/c1/thumb.jpg") + " " + file.string()), 0);
  EXPECT_EQ(ReadFile(file), "jpeg bytes");
}

TEST_F(S3ObjectStoreTest, AFailedMultipartUploadLeavesTheOldObject) {
  ASSERT_TRUE(store_->PutBytes("clips/c1/clip.mp4", "old clip").ok());
  std::int64_t sent = 0;
  auto failed = store_->Put("clips/c1/clip.mp4",
                            [&](char* buffer, std::size_t capacity) -> Result<std::size_t> {
                              if (sent > 2 * kPartBytes) return IoError("render crashed");
                              std::memset(buffer, 'x', capacity);
                              sent += static_cast<std::int64_t>(capacity);
                              return capacity;
                            });
  EXPECT_EQ(failed.status().code(), StatusCode::kIoError);
  EXPECT_NE(failed.status().message().find("clips/c1/clip.mp4"), std::string::npos);
  EXPECT_EQ(*store_->ReadAll("clips/c1/clip.mp4"), "old clip");
}

TEST_F(S3ObjectStoreTest, ReadsWhatAnotherClientWrote) {
  if (AwsCommand().empty()) GTEST_SKIP() << "awscli not installed: no cross-check";
  // Small enough for one PUT, and large enough for awscli's own multipart upload (8 MiB parts).
  for (std::size_t size : {std::size_t{1000}, std::size_t{9 << 20}}) {
    const std::string data = Pattern(size, static_cast<int>(size));
    const auto file = dir_.path() / "upload";
    std::ofstream(file, std::ios::binary) << data;
    const std::string key = "vods/aws/" + std::to_string(size) + ".mp4";
    ASSERT_EQ(Aws("s3 cp " + file.string() + " " + S3Uri(key)), 0);
    EXPECT_EQ(*store_->Size(key), static_cast<std::int64_t>(size));
    auto back = store_->ReadAll(key);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_TRUE(*back == data) << size;
  }
  ASSERT_TRUE(store_->RemovePrefix("vods/aws").ok());
  ASSERT_EQ(Aws("s3api list-objects-v2 --bucket " + options_.bucket + " --prefix vods/"), 0);
  EXPECT_EQ(ReadFile(dir_.path() / "aws.log").find("\"Key\""), std::string::npos);
}

TEST_F(S3ObjectStoreTest, PresignedUrlsServePlainHttpGets) {
  const std::string data = Pattern(300'000, 7);
  ASSERT_TRUE(store_->PutBytes("clips/c2/clip.mp4", data).ok());
  auto url = store_->PresignGet("clips/c2/clip.mp4", 300);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  ASSERT_TRUE(url->starts_with(options_.endpoint + "/" + options_.bucket + "/clips/c2/clip.mp4?"));
  EXPECT_EQ(url->find(options_.credentials.secret_key + "&"), std::string::npos);
  httplib::Client client(options_.endpoint);
  client.set_url_encode(false);
  const std::string target = url->substr(options_.endpoint.size());
  auto got = client.Get(target);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_TRUE(got->body == data);
  EXPECT_EQ(store_->PresignGet("../x", 60).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PresignGet("a", 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PresignGet("a", 604801).status().code(), StatusCode::kInvalidArgument);
}

// awscli's own presigned URL (botocore's signer) and ours, made for the same second, are the same
// URL: an independent check of the query-string signature. (s3rver checks the shape of SigV4
// requests but not their signatures; header signatures are checked against AWS's documented
// example in s3_signer_test.cc.)
TEST_F(S3ObjectStoreTest, PresignedUrlsMatchAwscli) {
  if (AwsCommand().empty()) GTEST_SKIP() << "awscli not installed: no cross-check";
  ASSERT_EQ(Aws("s3 presign " + S3Uri("clips/c3/clip.mp4") + " --expires-in 900"), 0);
  std::string theirs = ReadFile(dir_.path() / "aws.log");
  while (!theirs.empty() && (theirs.back() == '\n' || theirs.back() == '\r')) theirs.pop_back();
  const std::size_t date_at = theirs.find("X-Amz-Date=");
  ASSERT_NE(date_at, std::string::npos) << theirs;
  std::tm tm{};
  ASSERT_NE(strptime(theirs.substr(date_at + 11, 16).c_str(), "%Y%m%dT%H%M%SZ", &tm), nullptr);
  const std::int64_t when_s = timegm(&tm);
  S3Request request;
  request.host = options_.endpoint.substr(options_.endpoint.find("//") + 2);
  request.path = "/" + options_.bucket + "/clips/c3/clip.mp4";
  const std::string ours =
      options_.endpoint + PresignS3Get(request, options_.credentials, when_s, 900);
  // botocore orders the query differently; compare the sorted parameters.
  const auto params = [](const std::string& url) {
    std::vector<std::string> out;
    std::stringstream query(url.substr(url.find('?') + 1));
    for (std::string item; std::getline(query, item, '&');) out.push_back(item);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(ours.substr(0, ours.find('?')), theirs.substr(0, theirs.find('?')));
  EXPECT_EQ(params(ours), params(theirs)) << "ours:   " << ours << "\ntheirs: " << theirs;
}

TEST_F(S3ObjectStoreTest, ErrorsCarryS3sCodeAndTheKeyButNeverTheSecret) {
  S3Options wrong = options_;
  wrong.credentials.access_key = "NOT-A-KEY";
  wrong.credentials.secret_key = "not-the-secret-0123456789";
  auto store = S3ObjectStore::Open(wrong);
  ASSERT_TRUE(store.ok());
  Status denied = (*store)->PutBytes("vods/v/chat.json", "{}").status();
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied) << denied.ToString();
  EXPECT_NE(denied.message().find("vods/v/chat.json"), std::string::npos) << denied.ToString();
  EXPECT_NE(denied.message().find("InvalidAccessKeyId"), std::string::npos) << denied.ToString();
  EXPECT_EQ(denied.message().find(wrong.credentials.secret_key), std::string::npos);

  S3Options no_bucket = options_;
  no_bucket.bucket = "no-such-bucket-here";
  auto missing_bucket = S3ObjectStore::Open(no_bucket);
  ASSERT_TRUE(missing_bucket.ok());
  Status nsb = (*missing_bucket)->PutBytes("a/b", "x").status();
  EXPECT_EQ(nsb.code(), StatusCode::kNotFound);
  EXPECT_NE(nsb.message().find("NoSuchBucket"), std::string::npos) << nsb.ToString();

  Status gone =
      store_->Read("vods/none/media.mp4", 0, -1, [](std::string_view) { return Status::Ok(); });
  EXPECT_EQ(gone.code(), StatusCode::kNotFound);
  EXPECT_NE(gone.message().find("vods/none/media.mp4"), std::string::npos);

  S3Options closed = options_;
  closed.endpoint = "http://127.0.0.1:9";
  auto unreachable = S3ObjectStore::Open(closed);
  ASSERT_TRUE(unreachable.ok());
  EXPECT_EQ((*unreachable)->Size("a").status().code(), StatusCode::kUnavailable);
}

TEST_F(S3ObjectStoreTest, TheChunkNamesOfAppendedObjectsAreNotKeys) {
  ASSERT_TRUE(store_->Append("vods/v/media.mp4", 0, "abc").ok());
  for (const char* key :
       {"vods/v/media.mp4.parts/0000000000000000003", "vods/v/media.mp4.parts", "a.parts/b"}) {
    EXPECT_EQ(store_->Size(key).status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(store_->PutBytes(key, "x").status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(store_->Remove(key).code(), StatusCode::kInvalidArgument) << key;
  }
  EXPECT_EQ(*store_->ReadAll("vods/v/media.mp4"), "abc");
}

TEST(S3ObjectStoreOptionsTest, RefusesUnusableOptions) {
  S3Options good;
  good.endpoint = "http://127.0.0.1:9000";
  good.bucket = "media";
  good.credentials = {"AK", "SECRET-VALUE", "us-east-1"};
  EXPECT_TRUE(S3ObjectStore::Open(good).ok());
  for (const char* endpoint : {"ftp://x", "http://", "http://host/path", "http://host:0",
                               "http://user@host", "127.0.0.1:9000"}) {
    S3Options o = good;
    o.endpoint = endpoint;
    EXPECT_EQ(S3ObjectStore::Open(o).status().code(), StatusCode::kInvalidArgument) << endpoint;
  }
  S3Options o = good;
  o.bucket = "Upper_Case";
  EXPECT_EQ(S3ObjectStore::Open(o).status().code(), StatusCode::kInvalidArgument);
  o = good;
  o.credentials.secret_key = "";
  EXPECT_EQ(S3ObjectStore::Open(o).status().code(), StatusCode::kInvalidArgument);
  o = good;
  o.multipart_part_bytes = 1 << 20;
  Status small = S3ObjectStore::Open(o).status();
  EXPECT_EQ(small.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(small.message().find("SECRET-VALUE"), std::string::npos);
}

}  // namespace
}  // namespace clipthat::store
