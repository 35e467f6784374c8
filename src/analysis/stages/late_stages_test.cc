// transcribe, boundaries, rank and titles run on a prepared context (StageTestRunner).
#include <gtest/gtest.h>

#include "analysis/stages/boundaries_stage.h"
#include "analysis/stages/probe_stage.h"
#include "analysis/stages/rank_stage.h"
#include "analysis/stages/slots.h"
#include "analysis/stages/titles_stage.h"
#include "analysis/stages/transcribe_stage.h"
#include "analysis/stages/trigger_scan_stage.h"
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

// Makes a small test media file at `path` and runs the probe on it into `ctx`.
Status ProbedMedia(const std::filesystem::path& path, TimeMs duration_ms, pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(std::string vod,
                   testing::MakeTestMedia(
                       path, {.duration_ms = duration_ms, .width = 64, .height = 36, .fps = 5}));
  ctx.Set(kAnalysisInputSlot, {vod, ""});
  pipeline::StageTestRunner runner;
  ProbeStage probe;
  return runner.Run(probe, ctx);
}

TEST(LateStagesTest, TranscribeFillsWordsAndTriggersThenRankAndTitle) {
  TempDir dir;
  pipeline::Context ctx;
  Status made = ProbedMedia(dir.path() / "vod.mp4", 6000, ctx);
  ASSERT_TRUE(made.ok()) << made.ToString();
  pipeline::StageTestRunner runner;
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

// Hears "clip that" at fixed times of the media, in whatever block holds them.
class ScriptedSpotter final : public speech::KeywordSpotter {
 public:
  explicit ScriptedSpotter(std::vector<TimeMs> at_ms) : at_ms_(std::move(at_ms)) {}
  Result<std::vector<speech::TriggerHit>> Spot(const media::AudioBuffer& audio) override {
    ++calls;
    std::vector<speech::TriggerHit> hits;
    for (TimeMs t : at_ms_) {
      if (t >= audio.start_ms && t < audio.start_ms + audio.duration_ms()) {
        hits.push_back({"clip that", t, 0.8});
      }
    }
    return hits;
  }
  int calls = 0;

 private:
  std::vector<TimeMs> at_ms_;
};

// With the whole-VOD scan, transcribe does not spot windows and picks its moments by score
// alone; the triggers stage then attaches the scan's triggers and proposes a moment for the one
// outside every window; the second transcribe gives words to exactly the triggered moments
// without words.
TEST(LateStagesTest, WholeVodScanTriggersJoinAfterTranscribeAndGetWords) {
  TempDir dir;
  pipeline::Context ctx;
  Status made = ProbedMedia(dir.path() / "vod.mp4", 70000, ctx);
  ASSERT_TRUE(made.ok()) << made.ToString();
  pipeline::StageTestRunner runner;
  ScriptedSpotter spotter({22000, 61000});
  TriggerScanStage scan(&spotter);
  ASSERT_TRUE(runner.Run(scan, ctx).ok());
  Moment best, other;
  best.id = 1;
  best.start_ms = 2000, best.peak_ms = 4000, best.end_ms = 8000, best.score = 5;
  other.id = 2;
  other.start_ms = 20000, other.peak_ms = 21000, other.end_ms = 26000, other.score = 1;
  ctx.Set(kMomentsSlot, std::vector<Moment>{best, other});

  ScriptedRecognizer recognizer;
  TranscribeStage transcribe(&recognizer, &spotter, {.margin_ms = 500, .words_for_top = 1});
  Status st = runner.Run(transcribe, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(recognizer.calls, 1);  // the best by score
  auto moments = ctx.Get(kMomentsSlot);
  ASSERT_TRUE(moments.ok());
  EXPECT_EQ((**moments)[0].words.size(), 2u);
  EXPECT_TRUE((**moments)[1].words.empty());
  // The transcript's "clip that" is not a trigger when a spotter runs.
  EXPECT_TRUE((**moments)[0].triggers.empty());

  TriggersStage triggers;
  st = runner.Run(triggers, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(spotter.calls, 3);  // the scan's 30 s blocks, no candidate window
  ASSERT_EQ((*moments)->size(), 3u);
  EXPECT_TRUE((**moments)[0].triggers.empty());
  ASSERT_EQ((**moments)[1].triggers.size(), 1u);
  EXPECT_EQ((**moments)[1].triggers[0].time_ms, 22000);
  EXPECT_DOUBLE_EQ((**moments)[1].triggers[0].confidence, 0.8);
  const Moment& proposed = (**moments)[2];
  EXPECT_LE(proposed.start_ms, 61000);
  EXPECT_GT(proposed.end_ms, 61000);

  TranscribeOptions late{.margin_ms = 500, .words_for_top = 1};
  late.triggered_only = true;
  TranscribeStage trigger_words(&recognizer, &spotter, late);
  EXPECT_EQ(trigger_words.name(), "trigger_words");
  st = runner.Run(trigger_words, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(recognizer.calls, 3);  // the two triggered moments, not the best again
  EXPECT_EQ((**moments)[1].words.size(), 2u);
  EXPECT_EQ((**moments)[2].words.size(), 2u);
  EXPECT_EQ((**moments)[0].words.size(), 2u);
  EXPECT_EQ((**moments)[1].triggers.size(), 1u);  // words add no trigger beside the scan's
}

// Two recognizers: the windows are shared between two threads, every moment gets its words
// from one of them, and each recognizer is used by one thread only (ScriptedRecognizer is not
// thread-safe; a second thread on it would race on its counters).
TEST(LateStagesTest, TranscribesWindowsOnOneThreadPerRecognizer) {
  TempDir dir;
  pipeline::Context ctx;
  ASSERT_TRUE(ProbedMedia(dir.path() / "vod.mp4", 40000, ctx).ok());
  std::vector<Moment> moments;
  for (int i = 0; i < 6; ++i) {
    Moment m;
    m.id = i + 1;
    m.start_ms = 1000 + i * 6000, m.peak_ms = m.start_ms + 1000, m.end_ms = m.start_ms + 4000;
    m.score = 6 - i;
    moments.push_back(m);
  }
  ctx.Set(kMomentsSlot, moments);
  ScriptedRecognizer first, second;
  TranscribeStage transcribe(TranscribeModels{{&first, &second}, {}}, {.margin_ms = 500});
  pipeline::StageTestRunner runner;
  Status st = runner.Run(transcribe, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(first.calls + second.calls, 6);
  auto out = ctx.Get(kMomentsSlot);
  ASSERT_TRUE(out.ok());
  for (const Moment& m : **out) {
    ASSERT_EQ(m.words.size(), 2u) << "moment " << m.id;
    // The words are those of the moment's own window (it starts 500 ms before the moment).
    EXPECT_NEAR(static_cast<double>(m.words[0].start_ms), m.start_ms - 500 + 100, 30);
    ASSERT_EQ(m.triggers.size(), 1u);  // no spotter: the transcript's phrase counts
  }
}

// Answers every window with the same sentence, at its start: word@start-end ms from there, a
// trailing "," or "!" as the backend's punctuation.
class SentenceRecognizer final : public speech::SpeechRecognizer {
 public:
  explicit SentenceRecognizer(std::vector<speech::Word> words) : words_(std::move(words)) {}
  std::string_view name() const override { return "sentence"; }
  Result<std::vector<speech::Word>> Transcribe(const media::AudioBuffer& audio) override {
    std::vector<speech::Word> out = words_;
    for (speech::Word& w : out) w.start_ms += audio.start_ms, w.end_ms += audio.start_ms;
    return out;
  }

 private:
  std::vector<speech::Word> words_;
};

// A remote backend's transcript credits a trigger only when the phrase is a request: it ends
// its clause (a written sentence end, or a pause before the next word), and it is not heard
// across the backend's punctuation.
TEST(LateStagesTest, TranscriptTriggersMustEndTheirClause) {
  TempDir dir;
  pipeline::Context ctx;
  ASSERT_TRUE(ProbedMedia(dir.path() / "vod.mp4", 6000, ctx).ok());
  Moment m;
  m.start_ms = 1000, m.peak_ms = 2000, m.end_ms = 5000;
  auto triggers_of = [&](std::vector<speech::Word> words) {
    ctx.Set(kMomentsSlot, std::vector<Moment>{m});
    SentenceRecognizer recognizer(std::move(words));
    TranscribeStage transcribe(&recognizer, nullptr, {.margin_ms = 500});
    pipeline::StageTestRunner runner;
    EXPECT_TRUE(runner.Run(transcribe, ctx).ok());
    auto out = ctx.Get(kMomentsSlot);
    return out.ok() ? (**out)[0].triggers : std::vector<MomentTrigger>{};
  };
  // "I saw that clip, it was funny."
  EXPECT_TRUE(triggers_of({{"i", 100, 200},
                           {"saw", 200, 400},
                           {"that", 400, 500},
                           {"clip", 500, 800, 1.0, true, false},
                           {"it", 850, 950},
                           {"was", 950, 1100},
                           {"funny", 1100, 1500, 1.0, true, true}})
                  .empty());
  // "clip that level", one sentence.
  EXPECT_TRUE(
      triggers_of({{"clip", 500, 800}, {"that", 800, 1100}, {"level", 1150, 1500}}).empty());
  // "Clip that! What was that", in one breath.
  auto said = triggers_of({{"clip", 500, 800, 0.9},
                           {"that", 800, 1100, 0.8, true, true},
                           {"what", 1150, 1300},
                           {"was", 1300, 1450},
                           {"that", 1450, 1700, 1.0, true, true}});
  ASSERT_EQ(said.size(), 1u);
  EXPECT_EQ(said[0].text, "clip that");
  EXPECT_EQ(said[0].time_ms, 500 + 500);  // the window starts 500 ms before the moment
  EXPECT_NEAR(said[0].confidence, 0.9, 1e-9);
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
