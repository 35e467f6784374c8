#include "sample/stream_plan.h"

#include <gtest/gtest.h>

#include "sample/chat_replay.h"
#include "sample/truth.h"

namespace clipthat::sample {
namespace {

SampleOptions Options(int duration_s, int moments, std::uint64_t seed) {
  SampleOptions o;
  o.duration_s = duration_s;
  o.moments = moments;
  o.seed = seed;
  return o;
}

void ExpectWellFormed(const StreamPlan& plan) {
  TimeMs cursor = 0;
  for (size_t i = 0; i < plan.timeline.size(); ++i) {
    const PiecePlacement& p = plan.timeline[i];
    EXPECT_EQ(p.start_ms, cursor);
    EXPECT_EQ(p.duration_ms, plan.templates[p.template_index].duration_ms);
    if (i + 1 < plan.timeline.size()) {
      EXPECT_EQ(p.duration_ms % kPieceGridMs, 0);
    }
    cursor += p.duration_ms;
  }
  EXPECT_EQ(cursor, plan.duration_ms);
  for (size_t k = 0; k < plan.moments.size(); ++k) {
    const PlannedMoment& m = plan.moments[k];
    const PiecePlacement& p = plan.timeline[m.placement_index];
    EXPECT_EQ(plan.templates[p.template_index].kind, PieceKind::kMoment);
    EXPECT_LE(p.start_ms, m.start_ms);
    EXPECT_LT(m.start_ms, m.peak_ms);
    EXPECT_LT(m.peak_ms, m.end_ms);
    EXPECT_LE(m.end_ms, p.start_ms + p.duration_ms);
    if (m.chat_reaction) {
      EXPECT_GE(m.chat_burst_ms - m.peak_ms, 3000);
      EXPECT_LE(m.chat_burst_ms - m.peak_ms, 8000);
    }
    EXPECT_EQ(m.phrase.has_value(),
              std::find(m.kinds.begin(), m.kinds.end(), "trigger_phrase") != m.kinds.end());
    if (k > 0) {
      EXPECT_GT(m.start_ms, plan.moments[k - 1].end_ms);
    }
  }
}

TEST(StreamPlanTest, FourHourStreamSpreadsMomentsOverTheWholeDuration) {
  auto plan = PlanStream(Options(4 * 3600, kAutoMoments, 7));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ExpectWellFormed(*plan);
  ASSERT_EQ(plan->moments.size(), 24u);
  // One moment in every tenth of the stream, roughly: none bunched up.
  const TimeMs tenth = plan->duration_ms / 10;
  for (int d = 0; d < 10; ++d) {
    int in_tenth = 0;
    for (const auto& m : plan->moments) in_tenth += m.start_ms / tenth == d;
    EXPECT_GE(in_tenth, 1) << "tenth " << d;
  }
  // Few distinct pieces, so rendering stays cheap.
  EXPECT_LE(plan->templates.size(), 15u);
  bool any_that = false, any_it = false;
  for (const auto& m : plan->moments) {
    any_that |= m.phrase == "clip that";
    any_it |= m.phrase == "clip it";
  }
  EXPECT_TRUE(any_that);
  EXPECT_TRUE(any_it);
}

TEST(StreamPlanTest, ShortAndOddLengthsAddUp) {
  for (int duration : {30, 31, 61, 90, 601, 6 * 3600}) {
    auto plan = PlanStream(Options(duration, kAutoMoments, 3));
    ASSERT_TRUE(plan.ok()) << duration;
    ExpectWellFormed(*plan);
    EXPECT_GE(plan->moments.size(), 1u) << duration;
  }
  auto none = PlanStream(Options(120, 0, 3));
  ASSERT_TRUE(none.ok());
  ExpectWellFormed(*none);
  EXPECT_TRUE(none->moments.empty());
}

TEST(StreamPlanTest, SameSeedSamePlanOtherSeedOtherPlan) {
  auto a = PlanStream(Options(3600, 6, 11));
  auto b = PlanStream(Options(3600, 6, 11));
  auto c = PlanStream(Options(3600, 6, 12));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  auto starts = [](const StreamPlan& p) {
    std::vector<TimeMs> s;
    for (const auto& m : p.moments) s.push_back(m.start_ms);
    return s;
  };
  EXPECT_EQ(starts(*a), starts(*b));
  EXPECT_NE(starts(*a), starts(*c));
  EXPECT_EQ(BuildTruthJson(*a, Options(3600, 6, 11), {}),
            BuildTruthJson(*b, Options(3600, 6, 11), {}));
}

TEST(StreamPlanTest, RejectsBadOptions) {
  EXPECT_FALSE(PlanStream(Options(29, kAutoMoments, 1)).ok());
  EXPECT_FALSE(PlanStream(Options(6 * 3600 + 1, kAutoMoments, 1)).ok());
  EXPECT_FALSE(PlanStream(Options(60, 5, 1)).ok());  // 60 s holds at most 2
  SampleOptions odd = Options(60, 1, 1);
  odd.width = 641;
  EXPECT_EQ(PlanStream(odd).status().code(), StatusCode::kInvalidArgument);
  SampleOptions fps = Options(60, 1, 1);
  fps.fps = 7;
  EXPECT_FALSE(PlanStream(fps).ok());
}

TEST(StreamPlanTest, TruthJsonHasTheDocumentedShape) {
  SampleOptions o = Options(300, 2, 5);
  auto plan = PlanStream(o);
  ASSERT_TRUE(plan.ok());
  nlohmann::json truth = BuildTruthJson(*plan, o, {});
  EXPECT_EQ(truth["version"], 1);
  EXPECT_EQ(truth["duration_ms"], 300000);
  EXPECT_EQ(truth["seed"], 5);
  EXPECT_EQ(truth["options"]["moments"], 2);
  ASSERT_EQ(truth["moments"].size(), 2u);
  for (const auto& m : truth["moments"]) {
    for (const char* key : {"start_ms", "end_ms", "peak_ms", "kind", "phrase", "chat_burst_ms"}) {
      EXPECT_TRUE(m.contains(key)) << key;
    }
    EXPECT_TRUE(m["phrase"].is_null() || m["phrase"] == "clip that" || m["phrase"] == "clip it");
  }
  EXPECT_EQ(truth["scenes"].size(), plan->timeline.size());
}

TEST(StreamPlanTest, VocalOnlyMomentsAndDecoysTakeTheirOwnSlots) {
  SampleOptions o = Options(300, 2, 5);
  o.vocal_only_moments = 1;
  o.decoys = 2;
  auto plan = PlanStream(o);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ExpectWellFormed(*plan);
  ASSERT_EQ(plan->moments.size(), 3u);
  ASSERT_EQ(plan->decoys.size(), 2u);
  int vocal = 0;
  for (const PlannedMoment& m : plan->moments) {
    const PieceTemplate& t = plan->templates[plan->timeline[m.placement_index].template_index];
    if (m.chat_reaction) continue;
    ++vocal;
    EXPECT_EQ(m.kinds, std::vector<std::string>{"vocal"});
    EXPECT_FALSE(m.phrase.has_value());
    // Only the voice: no crowd, laughter, louder game or picture effects.
    ASSERT_TRUE(t.moment.has_value());
    EXPECT_FALSE(t.moment->cheer || t.moment->laughter || t.moment->loudness_jump ||
                 t.moment->visual);
    EXPECT_GE(t.moment->excited_lines.size(), 2u);
  }
  EXPECT_EQ(vocal, 1);
  std::vector<std::string> sounds;
  for (const PlannedDecoy& d : plan->decoys) {
    const PieceTemplate& t = plan->templates[plan->timeline[d.placement_index].template_index];
    EXPECT_EQ(t.kind, PieceKind::kDecoy);
    ASSERT_TRUE(t.decoy.has_value());
    EXPECT_LT(d.start_ms, d.end_ms);
    EXPECT_GE(d.start_ms, plan->timeline[d.placement_index].start_ms);
    for (const PlannedMoment& m : plan->moments) {
      EXPECT_TRUE(d.end_ms + 8000 < m.start_ms || d.start_ms > m.end_ms + 8000)
          << "decoy at " << d.start_ms << " next to the moment at " << m.start_ms;
    }
    sounds.push_back(DecoySoundName(d.sound));
  }
  EXPECT_EQ(std::count(sounds.begin(), sounds.end(), "explosion"), 1);
  EXPECT_EQ(std::count(sounds.begin(), sounds.end(), "sting"), 1);
  EXPECT_GT(
      DecoyExcitement(
          plan->templates[plan->timeline[plan->decoys[0].placement_index].template_index].decoy,
          MsToSeconds(plan->decoys[0].peak_ms -
                      plan->timeline[plan->decoys[0].placement_index].start_ms)),
      0.5);

  // Chat bursts only after the moments chat reacts to.
  const ChatReplay chat = GenerateChat(*plan, o.seed);
  for (const PlannedMoment& m : plan->moments) {
    int near = 0;
    for (const ChatMessage& c : chat.messages)
      near += c.offset_ms >= m.peak_ms && c.offset_ms < m.peak_ms + 15000;
    if (m.chat_reaction) {
      EXPECT_GT(near, 40);
    } else {
      EXPECT_LT(near, 25) << "no burst after a vocal-only moment";
    }
  }

  nlohmann::json truth = BuildTruthJson(*plan, o, {});
  ASSERT_EQ(truth["decoys"].size(), 2u);
  for (const auto& d : truth["decoys"]) {
    for (const char* key : {"start_ms", "peak_ms", "end_ms", "kind"}) EXPECT_TRUE(d.contains(key));
  }
  EXPECT_EQ(truth["options"]["vocal_only_moments"], 1);
  EXPECT_EQ(truth["options"]["decoys"], 2);
  int null_bursts = 0;
  for (const auto& m : truth["moments"]) null_bursts += m["chat_burst_ms"].is_null();
  EXPECT_EQ(null_bursts, 1);
}

TEST(StreamPlanTest, DefaultPlanHasNoDecoysAndExtrasMustFit) {
  SampleOptions o = Options(300, 2, 5);
  auto plan = PlanStream(o);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->decoys.empty());
  nlohmann::json truth = BuildTruthJson(*plan, o, {});
  EXPECT_FALSE(truth.contains("decoys"));
  EXPECT_FALSE(truth["options"].contains("decoys"));
  o.duration_s = 120;  // holds 4
  o.vocal_only_moments = 1;
  o.decoys = 1;
  EXPECT_TRUE(PlanStream(o).ok());
  o.decoys = 2;
  EXPECT_EQ(PlanStream(o).status().code(), StatusCode::kInvalidArgument);
  o.decoys = -1;
  EXPECT_FALSE(PlanStream(o).ok());
}

}  // namespace
}  // namespace clipthat::sample
