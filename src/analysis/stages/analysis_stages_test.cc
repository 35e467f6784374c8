#include <gtest/gtest.h>

#include "analysis/stages/analysis_pipeline.h"
#include "analysis/stages/probe_stage.h"
#include "analysis/stages/slots.h"
#include "core/files.h"
#include "pipeline/stage_test_runner.h"
#include "testing/media_fixtures.h"

namespace clipthat::analysis {
namespace {

class AnalysisStagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto path = testing::MakeTestMedia(dir_.path() / "vod.mp4", {.duration_ms = 4000});
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    vod_ = *path;
  }
  TempDir dir_;
  std::string vod_;
};

TEST_F(AnalysisStagesTest, ProbeThenAudioScanGivesLoudnessPer100ms) {
  pipeline::Context ctx;
  ctx.Set(kAnalysisInputSlot, {vod_, ""});
  pipeline::StageTestRunner runner;
  ProbeStage probe;
  ASSERT_TRUE(runner.Run(probe, ctx).ok());
  AudioScanStage scan({.chunk_ms = 1000});
  Status st = runner.Run(scan, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(runner.progress().empty());
  auto signals = ctx.Get(kSignalsSlot);
  ASSERT_TRUE(signals.ok());
  ASSERT_GE((*signals)->size(), 1u);  // loudness first, then the other audio cues
  const TimeSeries& db = (**signals)[0].values;
  EXPECT_EQ((**signals)[0].name, "loudness");
  EXPECT_EQ(db.step_ms, 100);
  EXPECT_NEAR(static_cast<double>(db.values.size()), 40, 1);
  // The fixture's tone is on for the first half of every second.
  for (int s = 0; s < 3; ++s) {
    EXPECT_GT(db.values[s * 10 + 2], db.values[s * 10 + 7] + 20) << "second " << s;
  }
}

TEST_F(AnalysisStagesTest, ChatScanAddsChattersAndReactionsWithTheirLag) {
  const auto chat = dir_.path() / "chat.json";
  ASSERT_TRUE(WriteFileAtomically(chat, R"({"comments":[
      {"content_offset_seconds":3.2,"commenter":{"_id":"1","name":"a"},"message":{"body":"W"}},
      {"content_offset_seconds":3.5,"commenter":{"_id":"2","name":"b"},"message":{"body":"KEKW"}}]})")
                  .ok());
  pipeline::Context ctx;
  ctx.Set(kAnalysisInputSlot, {vod_, chat.string()});
  pipeline::StageTestRunner runner;
  ProbeStage probe;
  ASSERT_TRUE(runner.Run(probe, ctx).ok());
  ChatScanStage scan({.rate = {.chatters_window_ms = 2000}, .signal = {.reaction_delay_ms = 2000}});
  ASSERT_TRUE(runner.Run(scan, ctx).ok());
  auto signals = ctx.Get(kSignalsSlot);
  ASSERT_TRUE(signals.ok());
  ASSERT_EQ((*signals)->size(), 2u);
  const AnalysisSignal& chatters = (**signals)[0];
  const AnalysisSignal& reactions = (**signals)[1];
  EXPECT_EQ(chatters.name, "chat_chatters");
  EXPECT_EQ(reactions.name, "chat_reactions");
  // Counts, normalised as counts, lagging by the reaction delay (taken out by FindMoments).
  EXPECT_EQ(chatters.normalization, Normalization::kCountZ);
  EXPECT_EQ(chatters.lag_ms, 2000);
  ASSERT_EQ(chatters.values.values.size(), 4u);
  EXPECT_EQ(chatters.values.values[3], 2);   // both wrote at 3 s
  EXPECT_EQ(reactions.values.values[3], 1);  // "KEKW" is a reaction, "W" alone is not
}

TEST_F(AnalysisStagesTest, ChatOnlyAnalysisTakesTheReplaysLength) {
  const auto chat = dir_.path() / "chat.json";
  ASSERT_TRUE(WriteFileAtomically(chat, R"({"video":{"length":7200},"comments":[
      {"content_offset_seconds":3.2,"commenter":{"_id":"1","name":"a"},"message":{"body":"hi"}},
      {"content_offset_seconds":9000,"commenter":{"_id":"2","name":"b"},"message":{"body":"late"}}]})")
                  .ok());
  pipeline::Context ctx;
  ctx.Set(kAnalysisInputSlot, {"", chat.string()});
  pipeline::StageTestRunner runner;
  ProbeStage probe;
  ASSERT_TRUE(runner.Run(probe, ctx).ok());
  ChatScanStage scan;
  ASSERT_TRUE(runner.Run(scan, ctx).ok());
  auto info = ctx.Get(kProbeSlot);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ((*info)->duration_ms, 7200000);  // video.length, not the last message
  auto log = ctx.Get(kChatLogSlot);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)->messages.size(), 1u);  // the message past the end is left out

  pipeline::Context nothing;
  nothing.Set(kAnalysisInputSlot, {"", ""});
  EXPECT_FALSE(runner.Run(probe, nothing).ok());
}

TEST_F(AnalysisStagesTest, ChatScanReportsBadChatFile) {
  const auto chat = dir_.path() / "chat.json";
  ASSERT_TRUE(WriteFileAtomically(chat, "not json").ok());
  pipeline::Context ctx;
  ctx.Set(kAnalysisInputSlot, {vod_, chat.string()});
  pipeline::StageTestRunner runner;
  ProbeStage probe;
  ASSERT_TRUE(runner.Run(probe, ctx).ok());
  ChatScanStage scan;
  Status st = runner.Run(scan, ctx);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("chat_scan"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(chat.string() + ": not JSON"), std::string::npos) << st.message();
}

TEST_F(AnalysisStagesTest, WholePipelineWritesMoments) {
  pipeline::Context ctx;
  ctx.Set(kAnalysisInputSlot, {vod_, ""});
  pipeline::Runner runner;
  AddAnalysisStages(runner, {});
  auto report = runner.Run(ctx);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_GE(report->timings.size(), 8u);
  EXPECT_EQ(report->timings.back().stage, "titles");
  auto moments = ctx.Get(kMomentsSlot);
  ASSERT_TRUE(moments.ok());
  for (const Moment& m : **moments) {
    EXPECT_GE(m.start_ms, 0);
    EXPECT_LE(m.end_ms, 4000 + 100);
  }
}

TEST(AnalysisStages, NoAudioAndNoChatFallsBackToVisualCues) {
  TempDir dir;
  auto vod =
      testing::MakeTestMedia(dir.path() / "silent.mp4", {.duration_ms = 2000, .with_audio = false});
  ASSERT_TRUE(vod.ok()) << vod.status().ToString();
  pipeline::Context ctx;
  ctx.Set(kAnalysisInputSlot, {*vod, ""});
  pipeline::Runner runner;
  AddAnalysisStages(runner, {});
  auto report = runner.Run(ctx);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto signals = ctx.Get(kSignalsSlot);
  ASSERT_TRUE(signals.ok());
  for (const AnalysisSignal& s : **signals) EXPECT_NE(s.name, "loudness");
  EXPECT_FALSE((*signals)->empty());  // the video scan's
  EXPECT_FALSE(ctx.Has(kSilencesSlot));
}

TEST(AnalysisStages, MissingInputSlotIsNamed) {
  pipeline::Context ctx;
  pipeline::StageTestRunner runner;
  ProbeStage probe;
  Status st = runner.Run(probe, ctx);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("analysis_input"), std::string::npos);
}

TEST(AnalysisStages, ProbeNamesMissingVod) {
  pipeline::Context ctx;
  ctx.Set(kAnalysisInputSlot, {"/nonexistent/vod.mp4", ""});
  pipeline::StageTestRunner runner;
  ProbeStage probe;
  Status st = runner.Run(probe, ctx);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("/nonexistent/vod.mp4"), std::string::npos);
}

}  // namespace
}  // namespace clipthat::analysis
