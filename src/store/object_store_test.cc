#include "store/object_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "core/files.h"
#include "store/s3_object_store.h"
#include "store/testing/test_s3.h"

namespace clipthat::store {
namespace {

// The object store contract, run on every backend: a local folder, and S3 (the s3rver that
// scripts/test starts; skipped when CLIPTHAT_TEST_S3_URL is unset).
enum class Backend { kLocal, kS3 };

class ObjectStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kLocal) {
      auto store = LocalObjectStore::Open((dir_.path() / "objects").string());
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      local_ = store->get();
      store_ = std::move(store).value();
      return;
    }
    if (testing::TestS3Url().empty()) GTEST_SKIP() << "CLIPTHAT_TEST_S3_URL is not set";
    auto options = testing::CreateTestBucket();
    ASSERT_TRUE(options.ok()) << options.status().ToString();
    options->list_page_keys = 2;  // every listing pages
    auto store = S3ObjectStore::Open(*options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  std::string ReadRange(std::string_view key, std::int64_t offset, std::int64_t length) {
    std::string out;
    Status s = store_->Read(key, offset, length, [&](std::string_view chunk) {
      out.append(chunk);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  TempDir dir_{"clipthat-objects-test"};
  std::unique_ptr<ObjectStore> store_;
  LocalObjectStore* local_ = nullptr;  // set for the local backend
};

// The permission bits of `path` (0700, 0600, ...).
int ModeOf(const std::filesystem::path& path) {
  return static_cast<int>(std::filesystem::status(path).permissions() &
                          std::filesystem::perms::all);
}

TEST_P(ObjectStoreTest, LocalFoldersAndFilesAreOwnerOnly) {
  if (local_ == nullptr) GTEST_SKIP() << "file modes are a local folder's";
  ASSERT_TRUE(store_->PutBytes("vods/a/media.mp4", "video").ok());
  ASSERT_TRUE(store_->Append("vods/b/chat.json", 0, "chat").ok());
  const auto root = dir_.path() / "objects";
  EXPECT_EQ(ModeOf(root), 0700);
  for (const char* folder : {"vods", "vods/a", "vods/b"}) {
    EXPECT_EQ(ModeOf(root / folder), 0700) << folder;
  }
  for (const char* file : {"vods/a/media.mp4", "vods/b/chat.json"}) {
    EXPECT_EQ(ModeOf(root / file), 0600) << file;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ObjectStoreTest,
                         ::testing::Values(Backend::kLocal, Backend::kS3),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param == Backend::kLocal ? "Local" : "S3";
                         });

TEST(ValidateKeyTest, AcceptsProductKeys) {
  for (const char* key : {"vods/0123abcd/media.mp4", "vods/x/chat.json", "clips/c1/clip.mp4",
                          "clips/c1/thumb.jpg", "a", "a-b_c.d/e..f"}) {
    EXPECT_TRUE(ValidateKey(key).ok()) << key;
  }
}

TEST(ValidateKeyTest, RejectsKeysThatCouldEscapeTheStore) {
  const std::string with_nul("vods/a\0b", 8);
  for (const std::string& key :
       {std::string("../x"), std::string("/etc/passwd"), std::string("a//b"), std::string("a/./b"),
        std::string("a/../../b"), std::string("a/.."), std::string("."), std::string("vods\\..\\x"),
        std::string("a\\b"), with_nul, std::string(""), std::string("a/"), std::string("/"),
        std::string("a b"), std::string("a/%2e%2e/b"), std::string("caf\xC3\xA9"),
        std::string(513, 'a')}) {
    Status s = ValidateKey(key);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << "accepted: " << key;
  }
  // The message names the key.
  EXPECT_NE(ValidateKey("../secret").message().find("../secret"), std::string::npos);
}

TEST_P(ObjectStoreTest, PutReadAndRanges) {
  std::string data;
  for (int i = 0; i < 700'000; ++i) data.push_back(static_cast<char>('a' + i % 26));
  std::istringstream in(data);
  auto size = store_->Put("clips/c1/clip.mp4", in);
  ASSERT_TRUE(size.ok()) << size.status().ToString();
  EXPECT_EQ(*size, static_cast<std::int64_t>(data.size()));
  EXPECT_EQ(*store_->Size("clips/c1/clip.mp4"), static_cast<std::int64_t>(data.size()));

  EXPECT_EQ(ReadRange("clips/c1/clip.mp4", 0, -1), data);
  EXPECT_EQ(ReadRange("clips/c1/clip.mp4", 100, 10), data.substr(100, 10));
  EXPECT_EQ(ReadRange("clips/c1/clip.mp4", 699'990, 1000), data.substr(699'990));
  EXPECT_EQ(ReadRange("clips/c1/clip.mp4", 300'000, 300'000), data.substr(300'000, 300'000));
  Status past =
      store_->Read("clips/c1/clip.mp4", 700'001, 10, [](std::string_view) { return Status::Ok(); });
  EXPECT_EQ(past.code(), StatusCode::kInvalidArgument) << past.ToString();

  if (local_ != nullptr) {
    // The file sits inside the root, under the key.
    auto path = local_->PathFor("clips/c1/clip.mp4");
    ASSERT_TRUE(path.ok());
    EXPECT_EQ(*path, local_->root() + "/clips/c1/clip.mp4");
    EXPECT_TRUE(std::filesystem::exists(*path));
  }

  // A sink error stops the read and comes back.
  Status stopped = store_->Read("clips/c1/clip.mp4", 0, -1, [](std::string_view) {
    return CancelledError("client went away");
  });
  EXPECT_EQ(stopped.code(), StatusCode::kCancelled);
}

TEST_P(ObjectStoreTest, PutReplacesAndLeavesNoTemporaries) {
  ASSERT_TRUE(store_->PutBytes("vods/v/chat.json", "first version").ok());
  ASSERT_TRUE(store_->PutBytes("vods/v/chat.json", "second").ok());
  EXPECT_EQ(*store_->ReadAll("vods/v/chat.json"), "second");
  // A failing source leaves the old object in place.
  auto failed = store_->Put("vods/v/chat.json", [](char*, std::size_t) -> Result<std::size_t> {
    return IoError("upload interrupted");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(*store_->ReadAll("vods/v/chat.json"), "second");
  if (local_ != nullptr) {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(local_->root() + "/vods/v")) {
      (void)entry;
      ++files;
    }
    EXPECT_EQ(files, 1);
  }
}

TEST_P(ObjectStoreTest, AppendChecksTheOffset) {
  auto a = store_->Append("vods/v/media.mp4", 0, "hello ");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(*a, 6);
  auto wrong = store_->Append("vods/v/media.mp4", 3, "xx");
  EXPECT_EQ(wrong.status().code(), StatusCode::kConflict);
  EXPECT_NE(wrong.status().message().find("vods/v/media.mp4"), std::string::npos);
  EXPECT_NE(wrong.status().message().find("6 bytes"), std::string::npos);
  auto ahead = store_->Append("vods/v/media.mp4", 100, "xx");
  EXPECT_EQ(ahead.status().code(), StatusCode::kConflict);
  auto b = store_->Append("vods/v/media.mp4", 6, "world");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, 11);
  // A resent chunk (the client did not see the answer) is refused, not duplicated.
  EXPECT_EQ(store_->Append("vods/v/media.mp4", 6, "world").status().code(), StatusCode::kConflict);
  EXPECT_EQ(*store_->ReadAll("vods/v/media.mp4"), "hello world");
  EXPECT_EQ(store_->Append("new/object", 5, "x").status().code(), StatusCode::kConflict);
}

TEST_P(ObjectStoreTest, MissingObjectsAndRemoval) {
  EXPECT_EQ(store_->Size("nothing/here").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->ReadAll("nothing/here").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->Remove("nothing/here").ok());
  ASSERT_TRUE(store_->PutBytes("vods/v1/media.mp4", "m").ok());
  ASSERT_TRUE(store_->PutBytes("vods/v1/chat.json", "c").ok());
  ASSERT_TRUE(store_->PutBytes("vods/v2/media.mp4", "m2").ok());
  ASSERT_TRUE(store_->Remove("vods/v1/chat.json").ok());
  EXPECT_EQ(store_->Size("vods/v1/chat.json").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->RemovePrefix("vods/v1").ok());
  EXPECT_EQ(store_->Size("vods/v1/media.mp4").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*store_->Size("vods/v2/media.mp4"), 2);
  // A directory is not an object.
  EXPECT_EQ(store_->Size("vods/v2").status().code(), StatusCode::kNotFound);
}

TEST_P(ObjectStoreTest, EveryOperationRejectsBadKeys) {
  const auto sink = [](std::string_view) { return Status::Ok(); };
  for (const char* key : {"../escape", "/etc/passwd", "a//b", "a/./b", "a\\b"}) {
    EXPECT_EQ(store_->PutBytes(key, "x").status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(store_->Append(key, 0, "x").status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Size(key).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Read(key, 0, -1, sink).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Remove(key).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->RemovePrefix(key).code(), StatusCode::kInvalidArgument);
    if (local_ != nullptr) {
      EXPECT_FALSE(local_->PathFor(key).ok());
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "escape"));
}

TEST_P(ObjectStoreTest, AppendedObjectsReadLikeWholeOnes) {
  // Chunks of uneven sizes, as a resumable upload sends them.
  std::string data;
  std::int64_t offset = 0;
  for (int chunk = 0; chunk < 7; ++chunk) {
    std::string bytes;
    for (int i = 0; i < 1000 + chunk * 337; ++i)
      bytes.push_back(static_cast<char>('A' + (i + chunk) % 23));
    auto appended = store_->Append("vods/v/media.mp4", offset, bytes);
    ASSERT_TRUE(appended.ok()) << appended.status().ToString();
    data += bytes;
    offset = *appended;
  }
  auto size = store_->Size("vods/v/media.mp4");
  ASSERT_TRUE(size.ok()) << size.status().ToString();
  EXPECT_EQ(*size, static_cast<std::int64_t>(data.size()));
  EXPECT_EQ(ReadRange("vods/v/media.mp4", 0, -1), data);
  // Ranges inside one chunk, across several, and cut at the end.
  EXPECT_EQ(ReadRange("vods/v/media.mp4", 10, 20), data.substr(10, 20));
  EXPECT_EQ(ReadRange("vods/v/media.mp4", 900, 3000), data.substr(900, 3000));
  EXPECT_EQ(ReadRange("vods/v/media.mp4", 2337, 1), data.substr(2337, 1));
  EXPECT_EQ(ReadRange("vods/v/media.mp4", static_cast<std::int64_t>(data.size()) - 5, 100),
            data.substr(data.size() - 5));
  // An empty append changes nothing; a Put replaces the appended object.
  auto empty = store_->Append("vods/v/media.mp4", offset, "");
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(*empty, offset);
  auto put = store_->PutBytes("vods/v/media.mp4", "whole");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  auto whole = store_->ReadAll("vods/v/media.mp4");
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(*whole, "whole");
  // Appending continues a whole object; removing the prefix removes everything.
  auto more = store_->Append("vods/v/media.mp4", 5, " again");
  ASSERT_TRUE(more.ok()) << more.status().ToString();
  EXPECT_EQ(*more, 11);
  auto again = store_->ReadAll("vods/v/media.mp4");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, "whole again");
  EXPECT_EQ(store_->Append("vods/v/media.mp4", 5, "x").status().code(), StatusCode::kConflict);
  ASSERT_TRUE(store_->Remove("vods/v/media.mp4").ok());
  EXPECT_EQ(store_->Size("vods/v/media.mp4").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->Append("vods/v/media.mp4", 0, "abc").ok());
  ASSERT_TRUE(store_->Append("vods/v/media.mp4", 3, "def").ok());
  ASSERT_TRUE(store_->RemovePrefix("vods/v").ok());
  EXPECT_EQ(store_->Size("vods/v/media.mp4").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->Append("vods/v/media.mp4", 0, "fresh").ok());
  EXPECT_EQ(*store_->ReadAll("vods/v/media.mp4"), "fresh");
}

TEST_P(ObjectStoreTest, EmptyObjects) {
  ASSERT_TRUE(store_->PutBytes("e/empty", "").ok());
  EXPECT_EQ(*store_->Size("e/empty"), 0);
  EXPECT_EQ(ReadRange("e/empty", 0, -1), "");
}

}  // namespace
}  // namespace clipthat::store
