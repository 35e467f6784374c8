#include "analysis/moments_file.h"

#include <gtest/gtest.h>

#include "core/files.h"

namespace clipthat::analysis {
namespace {

MomentsDocument SampleDoc() {
  MomentsDocument doc;
  doc.source = {.path = "/vods/vod.mp4",
                .duration_ms = 180000,
                .width = 1920,
                .height = 1080,
                .fps = 60,
                .chat_path = "/vods/chat.json"};
  Moment a;
  a.id = 1;
  a.start_ms = 52500;
  a.end_ms = 82500;
  a.peak_ms = 60000;
  a.score = 4.25;
  a.title = "Moment at 1:00";
  a.evidence = {{"loudness", 2.5}, {"chat_rate", 1.75}};
  a.words = {{"no", 60000, 60300, 0.9}, {"way", 60300, 60700, 0.8}};
  a.triggers = {{"phrase", "clip that", 61000}};
  Moment b;
  b.id = 2;
  b.start_ms = 0;
  b.end_ms = 30000;
  b.peak_ms = 1000;
  b.score = 1.5;
  b.title = "Moment at 0:01";
  doc.moments = {a, b};
  return doc;
}

TEST(MomentsFile, RoundTrip) {
  TempDir dir;
  const std::string path = (dir.path() / "moments.json").string();
  ASSERT_TRUE(WriteMomentsFile(path, SampleDoc()).ok());
  auto back = ReadMomentsFile(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const MomentsDocument want = SampleDoc();
  EXPECT_EQ(back->source.path, want.source.path);
  EXPECT_EQ(back->source.duration_ms, 180000);
  EXPECT_EQ(back->source.width, 1920);
  EXPECT_DOUBLE_EQ(back->source.fps, 60);
  EXPECT_EQ(back->source.chat_path, want.source.chat_path);
  ASSERT_EQ(back->moments.size(), 2u);
  const Moment& m = back->moments[0];
  EXPECT_EQ(m.id, 1);
  EXPECT_EQ(m.start_ms, 52500);
  EXPECT_EQ(m.end_ms, 82500);
  EXPECT_EQ(m.peak_ms, 60000);
  EXPECT_DOUBLE_EQ(m.score, 4.25);
  EXPECT_EQ(m.title, "Moment at 1:00");
  EXPECT_EQ(m.evidence, want.moments[0].evidence);
  ASSERT_EQ(m.words.size(), 2u);
  EXPECT_EQ(m.words[1].text, "way");
  EXPECT_EQ(m.words[1].end_ms, 60700);
  ASSERT_EQ(m.triggers.size(), 1u);
  EXPECT_EQ(m.triggers[0].text, "clip that");
  EXPECT_EQ(back->moments[1].id, 2);
}

TEST(MomentsFile, JsonShape) {
  nlohmann::json j = MomentsToJson(SampleDoc());
  EXPECT_EQ(j["version"], 1);
  EXPECT_TRUE(j["moments"][1]["words"].is_array());
  EXPECT_TRUE(j["moments"][1]["triggers"].is_array());
  EXPECT_EQ(j["moments"][0]["evidence"]["loudness"], 2.5);
}

TEST(MomentsFile, RejectsBadDocumentsNamingTheField) {
  nlohmann::json j = MomentsToJson(SampleDoc());
  j["moments"][1]["end_ms"] = 0;
  auto r = MomentsFromJson(j, "m.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_EQ(r.status().message(), "m.json: moments[1].end_ms: not after start_ms");

  j = MomentsToJson(SampleDoc());
  j["moments"][0].erase("start_ms");
  r = MomentsFromJson(j, "m.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "m.json: moments[0].start_ms: missing");

  j = MomentsToJson(SampleDoc());
  j["version"] = 7;
  r = MomentsFromJson(j, "m.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);

  r = MomentsFromJson(nlohmann::json::array(), "m.json");
  ASSERT_FALSE(r.ok());
}

TEST(MomentsFile, NotJsonAndMissingFile) {
  TempDir dir;
  const std::string path = (dir.path() / "bad.json").string();
  ASSERT_TRUE(WriteFileAtomically(path, "{oops").ok());
  auto r = ReadMomentsFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(path + ": not JSON"), std::string::npos);
  EXPECT_EQ(ReadMomentsFile((dir.path() / "none.json").string()).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace clipthat::analysis
