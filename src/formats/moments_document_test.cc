#include "formats/moments_document.h"

#include <gtest/gtest.h>

#include "core/files.h"

namespace clipthat::formats {
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

TEST(MomentsDocument, RoundTrip) {
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

TEST(MomentsDocument, JsonShape) {
  nlohmann::json j = MomentsToJson(SampleDoc());
  EXPECT_EQ(j["version"], 1);
  EXPECT_TRUE(j["moments"][1]["words"].is_array());
  EXPECT_TRUE(j["moments"][1]["triggers"].is_array());
  EXPECT_EQ(j["moments"][0]["evidence"]["loudness"], 2.5);
}

TEST(MomentsDocument, RejectsBadDocumentsNamingTheField) {
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

// Numbers that do not fit the fields' ints were truncated: version 4294967297 read as 1, a
// width of 4294969216 as 1920 (found by fuzz/moments_file_fuzz's properties).
TEST(MomentsDocument, RefusesNumbersThatDoNotFit) {
  nlohmann::json j = MomentsToJson(SampleDoc());
  j["version"] = 4294967297LL;
  auto r = MomentsFromJson(j, "m.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "m.json: moments version 4294967297 (this build reads version 1)");

  j = MomentsToJson(SampleDoc());
  j["source"]["width"] = 4294969216LL;
  r = MomentsFromJson(j, "m.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "m.json: source.width: outside 0..65535");

  j = MomentsToJson(SampleDoc());
  j["moments"][1]["id"] = 4294967298LL;
  r = MomentsFromJson(j, "m.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "m.json: moments[1].id: out of range");
}

TEST(MomentsDocument, NotJsonAndMissingFile) {
  TempDir dir;
  const std::string path = (dir.path() / "bad.json").string();
  ASSERT_TRUE(WriteFileAtomically(path, "{oops").ok());
  auto r = ReadMomentsFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(path + ": not JSON"), std::string::npos);
  EXPECT_EQ(ReadMomentsFile((dir.path() / "none.json").string()).status().code(),
            StatusCode::kNotFound);
}

TEST(MomentsDocument, TimelinesRoundTripAndAreChecked) {
  MomentsDocument doc;
  doc.source = {
      .path = "", .duration_ms = 600000, .width = 0, .height = 0, .fps = 0, .chat_path = ""};
  Moment m;
  m.id = 1;
  m.start_ms = 10000;
  m.end_ms = 13000;
  m.timeline = {.start_ms = 10000,
                .step_ms = 1000,
                .names = {"chat_chatters", "chat_reactions"},
                .values = {{1, 2, 3}, {0.5, 0.25, 0}},
                .score = {1.5, 2.25, 3}};
  doc.moments.push_back(m);
  doc.overview = {.start_ms = 0, .step_ms = 10000, .names = {}, .values = {}, .score = {0, 1}};
  auto back = MomentsFromJson(nlohmann::json::parse(MomentsToJson(doc).dump()), "m.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  const EvidenceTimeline& t = back->moments[0].timeline;
  EXPECT_EQ(t.start_ms, 10000);
  ASSERT_EQ(t.names.size(), 2u);
  EXPECT_EQ(t.values[1], (std::vector<double>{0.5, 0.25, 0}));
  EXPECT_EQ(back->overview.score.size(), 2u);

  auto bad = [&](const char* timeline) {
    auto j = nlohmann::json::parse(MomentsToJson(doc).dump());
    j["moments"][0]["timeline"] = nlohmann::json::parse(timeline);
    auto r = MomentsFromJson(j, "m.json");
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_NE(bad(R"({"start_ms":0,"step_ms":0,"score":[]})").find("timeline.step_ms"),
            std::string::npos);
  EXPECT_NE(bad(R"({"start_ms":0,"step_ms":1000,"score":[1,2],"signals":{"x":[1]}})")
                .find("not as long as score"),
            std::string::npos);
  EXPECT_NE(bad(R"({"start_ms":0,"step_ms":1000,"score":[1,"a"]})").find("not all numbers"),
            std::string::npos);
  nlohmann::json huge = {{"start_ms", 0}, {"step_ms", 1}, {"score", std::vector<int>(20001, 0)}};
  EXPECT_NE(bad(huge.dump().c_str()).find("more than 20000"), std::string::npos);
}

// The bytes of moments.json are part of the format: tools diff them and the fuzz target checks
// that writing what was read gives the same text.
TEST(MomentsDocument, WritesTheDocumentedLayout) {
  TempDir dir;
  const std::string path = (dir.path() / "moments.json").string();
  MomentsDocument doc = SampleDoc();
  doc.moments.resize(1);
  doc.moments[0].words.resize(1);
  ASSERT_TRUE(WriteMomentsFile(path, doc).ok());
  auto text = ReadFileToString(path);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, R"({
  "version": 1,
  "source": {
    "path": "/vods/vod.mp4",
    "duration_ms": 180000,
    "width": 1920,
    "height": 1080,
    "fps": 60.0,
    "chat_path": "/vods/chat.json"
  },
  "moments": [
    {
      "id": 1,
      "start_ms": 52500,
      "end_ms": 82500,
      "peak_ms": 60000,
      "score": 4.25,
      "title": "Moment at 1:00",
      "evidence": {
        "chat_rate": 1.75,
        "loudness": 2.5
      },
      "words": [
        {
          "text": "no",
          "start_ms": 60000,
          "end_ms": 60300,
          "confidence": 0.9
        }
      ],
      "triggers": [
        {
          "phrase": "clip that",
          "at_ms": 61000,
          "kind": "phrase",
          "confidence": 1.0
        }
      ]
    }
  ]
}
)");
}

std::string ReadError(const nlohmann::json& j, const MomentsDocumentLimits& limits = {}) {
  auto r = MomentsFromJson(j, "m.json", limits);
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  return r.status().message();
}

TEST(MomentsDocument, EnforcesItsLimitsNamingTheField) {
  MomentsDocumentLimits small;
  small.max_moments = 1;
  EXPECT_EQ(ReadError(MomentsToJson(SampleDoc()), small), "m.json: moments: more than 1 moments");
  small = {};
  small.max_words = 1;
  EXPECT_EQ(ReadError(MomentsToJson(SampleDoc()), small),
            "m.json: moments[0].words: more than 1 words");
  small = {};
  small.max_triggers = 0;
  EXPECT_EQ(ReadError(MomentsToJson(SampleDoc()), small),
            "m.json: moments[0].triggers: more than 0 triggers");
  small = {};
  small.max_evidence = 1;
  EXPECT_EQ(ReadError(MomentsToJson(SampleDoc()), small),
            "m.json: moments[0].evidence: more than 1 signals");

  nlohmann::json j = MomentsToJson(SampleDoc());
  j["moments"][1]["title"] = std::string(301, 'x');
  EXPECT_EQ(ReadError(j), "m.json: moments[1].title: longer than 300 bytes");
  j = MomentsToJson(SampleDoc());
  j["moments"][0]["words"][1]["text"] = std::string(201, 'x');
  EXPECT_EQ(ReadError(j), "m.json: moments[0].words[1].text: longer than 200 bytes");
  j = MomentsToJson(SampleDoc());
  j["moments"][0]["triggers"][0]["phrase"] = std::string(201, 'x');
  EXPECT_EQ(ReadError(j), "m.json: moments[0].triggers[0].phrase: longer than 200 bytes");
  j = MomentsToJson(SampleDoc());
  j["source"]["chat_path"] = std::string(4097, 'x');
  EXPECT_EQ(ReadError(j), "m.json: source.chat_path: longer than 4096 bytes");
  j = MomentsToJson(SampleDoc());
  j["moments"][0]["evidence"][std::string(201, 'x')] = 1;
  EXPECT_EQ(ReadError(j), "m.json: moments[0].evidence: a signal name is longer than 200 bytes");

  // At the limits, everything reads.
  j = MomentsToJson(SampleDoc());
  j["moments"][1]["title"] = std::string(300, 'x');
  j["moments"][0]["words"][1]["text"] = std::string(200, 'x');
  EXPECT_EQ(ReadError(j), "");
}

TEST(MomentsDocument, ReadsAsManyMomentsAsAnalyzeMayKeep) {
  MomentsDocument doc = SampleDoc();
  doc.moments.resize(MomentsDocumentLimits{}.max_moments, doc.moments[1]);
  EXPECT_EQ(ReadError(MomentsToJson(doc)), "");
  doc.moments.push_back(doc.moments[0]);
  EXPECT_EQ(ReadError(MomentsToJson(doc)), "m.json: moments: more than 1000 moments");
}

}  // namespace
}  // namespace clipthat::formats
