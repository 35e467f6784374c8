// transcribe, boundaries, rank and titles run on a prepared context (StageTestRunner).
#include <gtest/gtest.h>

#include "analysis/stages/boundaries_stage.h"
#include "analysis/stages/probe_stage.h"
#include "analysis/stages/rank_stage.h"
#include "analysis/stages/slots.h"
#include "analysis/stages/titles_stage.h"
#include "analysis/stages/transcribe_stage.h"
#include "core/files.h"
#include "pipeline/stage_test_runner.h"
#include "testing/media_fixtures.h"

namespace clipthat::analysis {
namespace {

// Answers every window with two words at its start: "clip that".
class ScriptedRecognizer final : public speech::SpeechRecognizer {
 public:
  std::string_view name() const override { return "scripted"; }
  Result<std::vector<speech::Word>> Transcribe(const media::AudioBuffer& audio) override {
    ++calls;
    if (audio.sample_rate_hz != 16000 || audio.channels != 1) {
      return InvalidArgumentError("not 16 kHz mono");
    }
    seconds += static_cast<double>(audio.duration_ms()) / 1000.0;
    first_ms = audio.start_ms;
    return std::vector<speech::Word>{{"clip", audio.start_ms + 100, audio.start_ms + 400, 0.9},
                                     {"that", audio.start_ms + 450, audio.start_ms + 700, 0.9}};
  }
  int calls = 0;
  double seconds = 0;
  TimeMs first_ms = -1;
};

TEST(LateStagesTest, TranscribeFillsWordsAndTriggersThenRankAndTitle) {
  TempDir dir;
  auto vod = testing::MakeTestMedia(dir.path() / "vod.mp4", {.duration_ms = 6000});
  ASSERT_TRUE(vod.ok()) << vod.status().ToString();
  pipeline::Context ctx;
  ctx.Set(kAnalysisInputSlot, {*vod, ""});
  pipeline::StageTestRunner runner;
  ProbeStage probe;
  ASSERT_TRUE(runner.Run(probe, ctx).ok());
  Moment m;
  m.start_ms = 1000;
  m.peak_ms = 2000;
  m.end_ms = 5000;
  m.evidence["loudness"] = 1.0;
  ctx.Set(kMomentsSlot, std::vector<Moment>{m});

  ScriptedRecognizer recognizer;
  TranscribeStage transcribe(&recognizer, nullptr, {.margin_ms = 500});
  Status st = runner.Run(transcribe, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(recognizer.calls, 1);
  EXPECT_NEAR(static_cast<double>(recognizer.first_ms), 500, 30);
  EXPECT_NEAR(recognizer.seconds, 5.0, 0.2);  // 0.5 .. 5.5 s
  auto moments = ctx.Get(kMomentsSlot);
  ASSERT_TRUE(moments.ok());
  ASSERT_EQ((**moments)[0].words.size(), 2u);
  ASSERT_EQ((**moments)[0].triggers.size(), 1u);
  EXPECT_EQ((**moments)[0].triggers[0].text, "clip that");
  EXPECT_DOUBLE_EQ((**moments)[0].triggers[0].confidence, 0.9);

  BoundariesStage boundaries;
  ASSERT_TRUE(runner.Run(boundaries, ctx).ok());
  RankStage rank;
  ASSERT_TRUE(runner.Run(rank, ctx).ok());
  TitlesStage titles;
  ASSERT_TRUE(runner.Run(titles, ctx).ok());
  const Moment& out = (**moments)[0];
  EXPECT_EQ(out.start_ms, 0);  // a 6 s source is shorter than a clip: the whole of it
  EXPECT_EQ(out.end_ms, 6000);
  // The bonus (3) scaled by the trigger's confidence: the lowest of its words' (0.9).
  EXPECT_NEAR(out.evidence.at("trigger_phrase"), 3.0 * 0.9, 1e-9);
  EXPECT_FALSE(out.title.empty());
}

TEST(LateStagesTest, TranscribeWithoutRecognizerIsSkipped) {
  pipeline::Context ctx;
  pipeline::StageTestRunner runner;
  TranscribeStage transcribe(nullptr, nullptr);
  EXPECT_TRUE(runner.Run(transcribe, ctx).ok());
}

TEST(FindTriggerPhrasesTest, IgnoresCaseAndPunctuation) {
  std::vector<MomentWord> words = {{"oh", 0, 100}, {"Clip", 200, 300}, {"it!", 300, 400}};
  auto hits = FindTriggerPhrases(words, {"clip that", "clip it"});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].text, "clip it");
  EXPECT_EQ(hits[0].time_ms, 200);
}

}  // namespace
}  // namespace clipthat::analysis
