#include "media/remote_input.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <mutex>

#include "core/files.h"
#include "media/probe.h"
#include "media/window_decoder.h"
#include "testing/media_fixtures.h"

namespace clipthat::media {
namespace {

// A local file served as a remote input, counting the bytes read; fails on demand.
class FileInput : public RemoteInput {
 public:
  explicit FileInput(const std::string& path) : in_(path, std::ios::binary) {
    in_.seekg(0, std::ios::end);
    size_ = in_.tellg();
  }
  Result<std::size_t> ReadAt(std::int64_t offset_bytes, std::span<std::uint8_t> out) override {
    if (fail) return UnavailableError("http://api/files/media: HTTP 503: try later");
    std::lock_guard lock(mutex_);
    if (offset_bytes >= size_) return std::size_t{0};
    in_.clear();
    in_.seekg(offset_bytes);
    in_.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
    const auto got = static_cast<std::size_t>(in_.gcount());
    bytes_read += static_cast<std::int64_t>(got);
    return got;
  }
  std::int64_t size_bytes() const override { return size_; }

  std::atomic<std::int64_t> bytes_read{0};
  std::atomic<bool> fail{false};

 private:
  std::mutex mutex_;
  std::ifstream in_;
  std::int64_t size_ = 0;
};

class RemoteInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::QuietLibavLogs();
    dir_ = new TempDir("clipthat-remote-input-test");
    path_ = (dir_->path() / "in.mp4").string();
    ASSERT_TRUE(
        testing::MakeTestMedia(path_, {.duration_ms = 20000, .width = 320, .height = 180}).ok());
  }
  static void TearDownTestSuite() { delete dir_; }
  static TempDir* dir_;
  static std::string path_;
};
TempDir* RemoteInputTest::dir_ = nullptr;
std::string RemoteInputTest::path_;

TEST_F(RemoteInputTest, ProbesAndDecodesAWindowLikeTheFileReadingOnlyPartOfIt) {
  auto input = std::make_shared<FileInput>(path_);
  RemoteInputRegistration registered = RegisterRemoteInput(input, "http://api/files/media");
  EXPECT_TRUE(IsRemoteInputPath(registered.path()));
  EXPECT_NE(registered.path().find("http://api/files/media"), std::string::npos);

  auto local = Probe(path_);
  auto remote = Probe(registered.path());
  ASSERT_TRUE(local.ok() && remote.ok()) << remote.status().ToString();
  EXPECT_EQ(remote->duration_ms, local->duration_ms);
  EXPECT_EQ(remote->size_bytes, local->size_bytes);
  ASSERT_NE(remote->video(), nullptr);
  EXPECT_EQ(remote->video()->width, 320);
  EXPECT_NE(remote->audio(), nullptr);

  input->bytes_read = 0;
  auto decoder = WindowDecoder::Open(registered.path(), {.start_ms = 15000, .end_ms = 17000});
  ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
  int frames = 0;
  DecodedItem item;
  while (true) {
    auto more = decoder->Next(&item);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    if (item.kind == DecodedItem::Kind::kVideo) {
      EXPECT_NEAR(testing::ReadFrameIndex(item.video), item.video.pts_ms * 30 / 1000.0, 1.0);
      ++frames;
    }
  }
  EXPECT_EQ(frames, 60);
  // 2 s of 20 (from the keyframe before) plus the index: well under half the file.
  EXPECT_LT(input->bytes_read, local->size_bytes / 2);
}

TEST_F(RemoteInputTest, ReadErrorsAndUnregisteredPathsAreNamed) {
  auto input = std::make_shared<FileInput>(path_);
  std::string path;
  {
    RemoteInputRegistration registered = RegisterRemoteInput(input, "http://api/files/media");
    path = registered.path();
    input->fail = true;
    auto probe = Probe(path);
    EXPECT_EQ(probe.status().code(), StatusCode::kUnavailable) << probe.status().ToString();
    EXPECT_NE(probe.status().message().find("HTTP 503"), std::string::npos);
    auto decoder = WindowDecoder::Open(path, {.start_ms = 0, .end_ms = 1000});
    EXPECT_FALSE(decoder.ok());
  }
  {
    // A read that fails in the middle of a window fails the window: no clip cut short.
    input->fail = false;
    RemoteInputRegistration registered = RegisterRemoteInput(input, "http://api/files/media");
    auto decoder = WindowDecoder::Open(registered.path(), {.start_ms = 0, .end_ms = 20000});
    ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
    input->fail = true;
    DecodedItem item;
    Result<bool> more = true;
    while (more.ok() && *more) more = decoder->Next(&item);
    ASSERT_FALSE(more.ok());
    EXPECT_EQ(more.status().code(), StatusCode::kUnavailable) << more.status().ToString();
    EXPECT_NE(more.status().message().find("HTTP 503"), std::string::npos);
  }
  auto gone = Probe(path);  // the registration ended
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound) << gone.status().ToString();
}

}  // namespace
}  // namespace clipthat::media
