// The audio and video scan stages on short generated media (testing/media_fixtures.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "analysis/stages/audio_scan_stage.h"
#include "analysis/stages/probe_stage.h"
#include "analysis/stages/slots.h"
#include "analysis/stages/video_scan_stage.h"
#include "core/files.h"
#include "pipeline/stage_test_runner.h"
#include "testing/media_fixtures.h"

namespace clipthat::analysis {
namespace {

std::set<std::string> Names(pipeline::Context& ctx) {
  std::set<std::string> names;
  auto signals = ctx.Get(kSignalsSlot);
  if (signals.ok())
    for (const AnalysisSignal& s : **signals) names.insert(s.name);
  return names;
}

const AnalysisSignal* Find(pipeline::Context& ctx, const std::string& name) {
  auto signals = ctx.Get(kSignalsSlot);
  if (!signals.ok()) return nullptr;
  for (const AnalysisSignal& s : **signals)
    if (s.name == name) return &s;
  return nullptr;
}

class ScanStagesTest : public ::testing::Test {
 protected:
  Status Prepare(const testing::TestMediaSpec& spec) {
    auto path = testing::MakeTestMedia(dir_.path() / "vod.mp4", spec);
    if (!path.ok()) return path.status();
    ctx_.Set(kAnalysisInputSlot, {*path, ""});
    ProbeStage probe;
    return runner_.Run(probe, ctx_);
  }
  TempDir dir_;
  pipeline::Context ctx_;
  pipeline::StageTestRunner runner_;
};

TEST_F(ScanStagesTest, AudioScanAddsEveryAudioSignalAndSilences) {
  ASSERT_TRUE(Prepare({.duration_ms = 4000}).ok());
  AudioScanStage scan({.chunk_ms = 1000});
  Status st = runner_.Run(scan, ctx_);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(runner_.progress().empty());
  const std::set<std::string> expected = {
      "loudness", "loudness_jump",    "laughter",       "cheer",       "spectral_flux",
      "voice",    "vocal_excitement", "voice_loudness", "voice_pitch", "speech_rate"};
  EXPECT_EQ(Names(ctx_), expected);
  auto signals = ctx_.Get(kSignalsSlot);
  ASSERT_TRUE(signals.ok());
  for (const AnalysisSignal& s : **signals) {
    EXPECT_EQ(s.values.step_ms, 100) << s.name;
    EXPECT_NEAR(static_cast<double>(s.values.values.size()), 40, 1) << s.name;
  }
  EXPECT_GT(Find(ctx_, "loudness_jump")->weight, Find(ctx_, "voice")->weight);
  // The streamer's voice outweighs the level alone: a reaction, where level may be the game.
  EXPECT_GT(Find(ctx_, "vocal_excitement")->weight, Find(ctx_, "loudness")->weight);
  // The fixture's tone is on for the first half of every second: its second halves are
  // silences the boundaries stage can snap to.
  auto silences = ctx_.Get(kSilencesSlot);
  ASSERT_TRUE(silences.ok());
  for (TimeMs s = 0; s < 3; ++s) {
    const bool covered =
        std::any_of((*silences)->begin(), (*silences)->end(), [&](const TimeRange& r) {
          return r.start_ms <= s * 1000 + 650 && r.end_ms >= s * 1000 + 950;
        });
    EXPECT_TRUE(covered) << "second " << s;
    const bool inside_tone =
        std::any_of((*silences)->begin(), (*silences)->end(), [&](const TimeRange& r) {
          return r.start_ms < s * 1000 + 400 && r.end_ms > s * 1000 + 100;
        });
    EXPECT_FALSE(inside_tone) << "second " << s;
  }
}

TEST_F(ScanStagesTest, VideoScanAddsVisualSignalsOnTheGrid) {
  ASSERT_TRUE(Prepare({.duration_ms = 4000, .gop_frames = 15}).ok());
  VideoScanStage scan;
  Status st = runner_.Run(scan, ctx_);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(runner_.progress().empty());
  const std::set<std::string> expected = {"scene_cut", "visual_change", "flash", "face"};
  EXPECT_EQ(Names(ctx_), expected);
  const AnalysisSignal* change = Find(ctx_, "visual_change");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->values.step_ms, 500);
  EXPECT_NEAR(static_cast<double>(change->values.values.size()), 8, 1);
  // The fixture's moving square and frame code change between keyframes.
  EXPECT_GT(*std::max_element(change->values.values.begin(), change->values.values.end()), 0.1);
}

TEST_F(ScanStagesTest, VideoScanSkipsAVodWithoutVideo) {
  // The probe stage refuses such a VOD; the video scan on its own still must not fail.
  auto path =
      testing::MakeTestMedia(dir_.path() / "audio.mp4", {.duration_ms = 2000, .with_video = false});
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  auto info = media::Probe(*path);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ctx_.Set(kAnalysisInputSlot, {*path, ""});
  ctx_.Set(kProbeSlot, *info);
  VideoScanStage scan;
  Status st = runner_.Run(scan, ctx_);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(Names(ctx_).empty());
}

TEST_F(ScanStagesTest, VideoScanWithoutCascadeStillScans) {
  ASSERT_TRUE(Prepare({.duration_ms = 2000}).ok());
  VideoScanStage scan({.features = {.face_cascade_path = "/nonexistent/cascade.xml"}});
  Status st = runner_.Run(scan, ctx_);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const std::set<std::string> expected = {"scene_cut", "visual_change", "flash"};
  EXPECT_EQ(Names(ctx_), expected);
}

TEST_F(ScanStagesTest, AudioScanSkipsAVodWithoutAudio) {
  ASSERT_TRUE(Prepare({.duration_ms = 2000, .with_audio = false}).ok());
  AudioScanStage scan;
  Status st = runner_.Run(scan, ctx_);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(Names(ctx_).empty());
  EXPECT_FALSE(ctx_.Has(kSilencesSlot));
}

}  // namespace
}  // namespace clipthat::analysis

namespace clipthat::analysis {
namespace {

// Timing of the scan stages on a real VOD, for benchmarking by hand (tests never assert on
// time):
//   CLIPTHAT_SCAN_VOD=vod.mp4 scan_stages_test --gtest_also_run_disabled_tests
//   --gtest_filter='*ScanTiming*'
TEST(ScanTiming, DISABLED_PrintsStageSeconds) {
  const char* vod = std::getenv("CLIPTHAT_SCAN_VOD");
  if (vod == nullptr) GTEST_SKIP() << "set CLIPTHAT_SCAN_VOD";
  pipeline::Context ctx;
  ctx.Set(kAnalysisInputSlot, {vod, ""});
  pipeline::StageTestRunner runner;
  ProbeStage probe;
  ASSERT_TRUE(runner.Run(probe, ctx).ok());
  AudioScanStage audio;
  Status st = runner.Run(audio, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const double audio_s = runner.seconds();
  VideoScanStage video;
  st = runner.Run(video, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const double video_s = runner.seconds();
  if (const AnalysisSignal* face = Find(ctx, "face"); face != nullptr) {
    double sum = 0;
    for (double v : face->values.values) sum += v;
    std::printf("face on screen %.0f%% of the time\n",
                100 * sum / std::max<size_t>(1, face->values.values.size()));
  }
  VideoScanStage video_no_faces({.features = {.face_every_n_keyframes = 0}});
  st = runner.Run(video_no_faces, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  std::printf("video_scan without face detection %.2f s\n", runner.seconds());
  auto silences = ctx.Get(kSilencesSlot);
  std::printf("audio_scan %.2f s, video_scan %.2f s, total %.2f s; %zu silences\n", audio_s,
              video_s, audio_s + video_s, silences.ok() ? (*silences)->size() : size_t{0});
}

}  // namespace
}  // namespace clipthat::analysis
