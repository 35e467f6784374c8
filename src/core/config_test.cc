#include "core/config.h"

#include <gtest/gtest.h>

#include "core/files.h"

namespace clipthat {
namespace {

TEST(ConfigTest, LayersFileEnvironmentAndFlags) {
  TempDir dir;
  auto path = dir.path() / "clipthat.json";
  ASSERT_TRUE(
      WriteFileAtomically(path, R"({"log":{"level":"debug"},"clip":{"top":5,"min_ms":15000}})")
          .ok());
  Config c;
  ASSERT_TRUE(c.MergeFile(path.string()).ok());
  EXPECT_EQ(c.GetString("log.level", "info"), "debug");
  EXPECT_EQ(*c.GetInt("clip.top", 1), 5);

  std::string e1 = "CLIPTHAT_LOG_LEVEL=warn";
  std::string e2 = "CLIPTHAT_SPEECH_REMOTE_BASE__URL=http://127.0.0.1:9";
  std::string e3 = "HOME=/root";
  char* envp[] = {e1.data(), e2.data(), e3.data(), nullptr};
  c.MergeEnvironment(envp);
  EXPECT_EQ(c.GetString("log.level", ""), "warn");
  EXPECT_EQ(c.GetString("speech.remote.base_url", ""), "http://127.0.0.1:9");
  EXPECT_FALSE(c.Has("home"));

  c.Set("log.level", "error");
  EXPECT_EQ(c.GetString("log.level", ""), "error");
}

TEST(ConfigTest, TypedGettersNameTheKeyOnBadValues) {
  Config c;
  c.Set("clip.top", "five");
  c.Set("x.flag", "yes");
  c.Set("x.ratio", "0.25");
  auto top = c.GetInt("clip.top", 3);
  ASSERT_FALSE(top.ok());
  EXPECT_NE(top.status().message().find("clip.top"), std::string::npos);
  EXPECT_TRUE(*c.GetBool("x.flag", false));
  EXPECT_DOUBLE_EQ(*c.GetDouble("x.ratio", 1), 0.25);
  EXPECT_EQ(*c.GetInt("missing", 3), 3);
}

TEST(ConfigTest, BadFilesAreClearErrors) {
  TempDir dir;
  Config c;
  Status missing = c.MergeFile((dir.path() / "nope.json").string());
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  auto bad = dir.path() / "bad.json";
  ASSERT_TRUE(WriteFileAtomically(bad, "{ not json").ok());
  Status parse = c.MergeFile(bad.string());
  EXPECT_EQ(parse.code(), StatusCode::kDataError);
  EXPECT_NE(parse.message().find("bad.json"), std::string::npos);
}

}  // namespace
}  // namespace clipthat
