// End-to-end: renders short samples and checks them by their properties.
#include "sample/sample_generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "core/files.h"
#include "media/audio_decoder.h"
#include "media/ffmpeg_log.h"
#include "media/keyframe_decoder.h"
#include "media/probe.h"
#include "sample/facecam.h"

namespace clipthat::sample {
namespace {

namespace fs = std::filesystem;

SampleOptions SmallOptions(std::uint64_t seed) {
  SampleOptions o;
  o.duration_s = 66;  // 8 grid units and a 2 s tail piece
  o.width = 640;
  o.height = 360;
  o.fps = 10;
  o.moments = 2;
  o.seed = seed;
  return o;
}

nlohmann::json LoadJson(const fs::path& path) {
  auto text = ReadFileToString(path);
  EXPECT_TRUE(text.ok()) << path;
  return nlohmann::json::parse(text.ok() ? *text : std::string("null"));
}

class SampleGeneratorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    media::RouteFfmpegLogs(Logger());  // quiet: encoder statistics are not test output
    dir_ = new TempDir("sample-test");
    Status st = GenerateSample(SmallOptions(42), dir_->path() / "a");
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path A() { return dir_->path() / "a"; }
  static TempDir* dir_;
};
TempDir* SampleGeneratorTest::dir_ = nullptr;

TEST_F(SampleGeneratorTest, WritesThreeParsableFiles) {
  nlohmann::json chat = LoadJson(A() / "chat.json");
  nlohmann::json truth = LoadJson(A() / "truth.json");
  EXPECT_GT(chat["comments"].size(), 20u);
  EXPECT_EQ(truth["version"], 1);
  EXPECT_EQ(truth["duration_ms"], 66000);
  ASSERT_EQ(truth["moments"].size(), 2u);
  EXPECT_EQ(truth["moments"][0]["phrase"].is_null() + truth["moments"][1]["phrase"].is_null(), 0)
      << "the first two moment pieces always carry a trigger phrase";
  EXPECT_FALSE(truth["speech"].empty());
  for (const auto& m : truth["moments"]) {
    EXPECT_TRUE(m["phrase_start_ms"].is_number()) << "the trigger line was spoken";
  }
}

TEST_F(SampleGeneratorTest, ProbeMatchesTheOptions) {
  auto info = media::Probe((A() / "vod.mp4").string());
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_NE(info->video(), nullptr);
  ASSERT_NE(info->audio(), nullptr);
  EXPECT_NEAR(static_cast<double>(info->duration_ms), 66000, 150);
  EXPECT_EQ(info->video()->width, 640);
  EXPECT_EQ(info->video()->height, 360);
  EXPECT_NEAR(info->video()->fps, 10, 0.01);
  EXPECT_NEAR(static_cast<double>(info->video()->duration_ms), 66000, 150);
  EXPECT_NEAR(static_cast<double>(info->audio()->duration_ms), 66000, 150);
  EXPECT_EQ(info->audio()->sample_rate_hz, 48000);
}

TEST_F(SampleGeneratorTest, ChatBurstsAfterEachMoment) {
  nlohmann::json chat = LoadJson(A() / "chat.json");
  nlohmann::json truth = LoadJson(A() / "truth.json");
  std::vector<double> offsets;
  for (const auto& c : chat["comments"]) offsets.push_back(c["content_offset_seconds"]);
  double background_per_10s = 10.0 * offsets.size() / 66.0;
  for (const auto& m : truth["moments"]) {
    double from = m["chat_burst_ms"].get<double>() / 1000;
    auto n = std::count_if(offsets.begin(), offsets.end(),
                           [&](double t) { return t >= from && t < from + 10; });
    EXPECT_GT(n, 2 * background_per_10s) << "burst at " << from << " s";
  }
}

TEST_F(SampleGeneratorTest, MomentsAreLouderThanTheMedian) {
  auto dec = media::AudioDecoder::Open((A() / "vod.mp4").string(),
                                       {.sample_rate_hz = 16000, .channels = 1, .chunk_ms = 100});
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  std::vector<double> rms;  // per 100 ms
  media::AudioBuffer chunk;
  while (true) {
    auto more = dec->Next(&chunk);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    double sum = 0;
    for (float s : chunk.samples) sum += s * s;
    rms.push_back(std::sqrt(sum / std::max<size_t>(1, chunk.samples.size())));
  }
  ASSERT_GT(rms.size(), 600u);
  std::vector<double> sorted = rms;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  double median = sorted[sorted.size() / 2];
  nlohmann::json truth = LoadJson(A() / "truth.json");
  for (const auto& m : truth["moments"]) {
    size_t from = m["start_ms"].get<size_t>() / 100, to = m["end_ms"].get<size_t>() / 100;
    double sum = 0;
    for (size_t i = from; i < to && i < rms.size(); ++i) sum += rms[i] * rms[i];
    double moment_rms = std::sqrt(sum / std::max<size_t>(1, to - from));
    EXPECT_GT(moment_rms, 2.0 * median) << "moment at " << m["start_ms"];
  }
}

TEST_F(SampleGeneratorTest, FacecamHoldsADetectableFace) {
  auto dec = media::KeyframeDecoder::Open((A() / "vod.mp4").string(), {.width = 640});
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  cv::CascadeClassifier cascade(kFrontalFaceCascade);
  ASSERT_FALSE(cascade.empty());
  cv::Rect box = FacecamBox(640, 360);
  int frames = 0, with_face = 0;
  media::VideoFrame frame;
  while (true) {
    auto more = dec->Next(&frame);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    cv::Mat bgr(frame.height, frame.width, CV_8UC3, frame.data.data());
    cv::Mat gray;
    cv::cvtColor(bgr(box), gray, cv::COLOR_BGR2GRAY);
    std::vector<cv::Rect> faces;
    cascade.detectMultiScale(gray, faces, 1.1, 4, 0, cv::Size(24, 24));
    ++frames;
    with_face += !faces.empty();
  }
  ASSERT_GE(frames, 30);
  EXPECT_GE(with_face, frames * 9 / 10);
}

TEST_F(SampleGeneratorTest, SameSeedSameChatAndTruthOtherSeedOtherSchedule) {
  ASSERT_TRUE(GenerateSample(SmallOptions(42), dir_->path() / "b").ok());
  EXPECT_EQ(*ReadFileToString(A() / "chat.json"), *ReadFileToString(dir_->path() / "b/chat.json"));
  EXPECT_EQ(*ReadFileToString(A() / "truth.json"),
            *ReadFileToString(dir_->path() / "b/truth.json"));
  SampleOptions other = SmallOptions(43);
  other.width = 320;
  other.height = 180;
  other.fps = 5;
  ASSERT_TRUE(GenerateSample(other, dir_->path() / "c").ok());
  nlohmann::json a = LoadJson(A() / "truth.json"), c = LoadJson(dir_->path() / "c/truth.json");
  EXPECT_NE(a["moments"], c["moments"]);
  EXPECT_NE(*ReadFileToString(A() / "chat.json"), *ReadFileToString(dir_->path() / "c/chat.json"));
}

TEST(SampleGeneratorOptionsTest, RejectsBadOptionsBeforeWritingAnything) {
  TempDir dir("sample-bad");
  SampleOptions short_one = SmallOptions(1);
  short_one.duration_s = 10;
  EXPECT_EQ(GenerateSample(short_one, dir.path() / "x").code(), StatusCode::kInvalidArgument);
  SampleOptions odd = SmallOptions(1);
  odd.width = 333;
  EXPECT_EQ(GenerateSample(odd, dir.path() / "x").code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir.path() / "x"));
}

}  // namespace
}  // namespace clipthat::sample
