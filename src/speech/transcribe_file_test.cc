#include "speech/transcribe_file.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "speech/sphinx_recognizer.h"

namespace clipthat::speech {
namespace {

const std::string kWav =
    "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav";

// Records what it is given and answers one word per block, at the block's start.
class RecordingRecognizer final : public SpeechRecognizer {
 public:
  std::string_view name() const override { return "recording"; }
  Result<std::vector<Word>> Transcribe(const media::AudioBuffer& audio) override {
    blocks.push_back({audio.start_ms, audio.duration_ms()});
    return std::vector<Word>{{"w", audio.start_ms, audio.start_ms + 100, 0.5}};
  }
  std::vector<std::pair<TimeMs, TimeMs>> blocks;  // start_ms, duration_ms
};

TEST(TranscribeFile, RangeIsCutIntoContiguousBlocks) {
  RecordingRecognizer rec;
  TranscribeRange range;
  range.from_ms = 500;
  range.to_ms = 6500;
  range.min_block_ms = 1000;
  range.max_block_ms = 2500;
  auto words = TranscribeFile(kWav, range, rec);
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  ASSERT_GE(rec.blocks.size(), 3u);
  TimeMs expected_start = 500, total = 0;
  for (auto [start_ms, duration_ms] : rec.blocks) {
    EXPECT_EQ(start_ms, expected_start);
    EXPECT_LE(duration_ms, 2500);
    expected_start += duration_ms;
    total += duration_ms;
  }
  EXPECT_NEAR(static_cast<double>(total), 6000.0, 20.0);
  EXPECT_EQ(words->size(), rec.blocks.size());
}

TEST(TranscribeFile, SphinxWordsLieInsideTheRange) {
  auto rec = SphinxRecognizer::Create({}, Logger());
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  TranscribeRange range;
  range.from_ms = 2000;
  range.to_ms = 6000;
  auto words = TranscribeFile(kWav, range, *rec);
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  ASSERT_FALSE(words->empty());
  for (const Word& w : *words) {
    EXPECT_GE(w.start_ms, 2000) << w.text;
    EXPECT_LE(w.end_ms, 6010) << w.text;
  }
}

TEST(TranscribeFile, ErrorsNameTheInput) {
  RecordingRecognizer rec;
  auto missing = TranscribeFile("/nonexistent/vod.mp4", {}, rec);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/vod.mp4"), std::string::npos);
  TranscribeRange backwards;
  backwards.from_ms = 5000;
  backwards.to_ms = 1000;
  auto bad = TranscribeFile(kWav, backwards, rec);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(WordsJson, RoundTripsAndMatchesTheDocumentedShape) {
  std::vector<Word> words = {{"clip", 1000, 1300, 0.876}, {"that", 1300, 1600, 1.0}};
  nlohmann::json j = WordsToJson(words);
  ASSERT_TRUE(j["words"].is_array());
  EXPECT_EQ(j["words"][0]["text"], "clip");
  EXPECT_EQ(j["words"][0]["start_ms"], 1000);
  EXPECT_EQ(j["words"][0]["end_ms"], 1300);
  EXPECT_DOUBLE_EQ(j["words"][0]["confidence"].get<double>(), 0.88);
  auto back = WordsFromJson(j);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].text, "that");
  EXPECT_FALSE(WordsFromJson(nlohmann::json::parse(R"({"words":[{"text":"x"}]})")).ok());
  EXPECT_FALSE(WordsFromJson(nlohmann::json::parse("[]")).ok());
}

TEST(MakeSpeechRecognizer, UnknownBackendIsInvalidArgument) {
  Config config;
  auto rec = MakeSpeechRecognizer("whisper-local", config);
  ASSERT_FALSE(rec.ok());
  EXPECT_EQ(rec.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(rec.status().message().find("whisper-local"), std::string::npos);
  auto sphinx = MakeSpeechRecognizer("sphinx", config);
  ASSERT_TRUE(sphinx.ok()) << sphinx.status().ToString();
  EXPECT_EQ((*sphinx)->name(), "sphinx");
  config.Set("speech.sphinx.model_dir", "/nonexistent");
  EXPECT_EQ(MakeSpeechRecognizer("sphinx", config).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace clipthat::speech
