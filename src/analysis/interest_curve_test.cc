#include "analysis/interest_curve.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace clipthat::analysis {
namespace {

// z on a 500 ms grid over 60 s: 0 everywhere except `value` in [from_s, to_s).
TimeSeries Bump(double from_s, double to_s, double value) {
  TimeSeries s{500, std::vector<double>(120, 0.0)};
  for (size_t i = static_cast<size_t>(from_s * 2); i < static_cast<size_t>(to_s * 2); ++i)
    s.values[i] = value;
  return s;
}

double At(const InterestCurve& c, double t_s) { return c.score[static_cast<size_t>(t_s * 2)]; }

const double kClosed = SoundGateOptions{}.closed_share;

TEST(SoundGate, KindsByNameAndPrefix) {
  const SoundGateOptions o;
  EXPECT_EQ(KindOfSignal("loudness", o), SignalKind::kSound);
  EXPECT_EQ(KindOfSignal("flash", o), SignalKind::kSound);
  EXPECT_EQ(KindOfSignal("vocal_excitement", o), SignalKind::kReaction);
  EXPECT_EQ(KindOfSignal("chat_rate", o), SignalKind::kReaction);
  EXPECT_EQ(KindOfSignal("chat_anything_new", o), SignalKind::kReaction);
  EXPECT_EQ(KindOfSignal("face", o), SignalKind::kNeutral);
  EXPECT_EQ(KindOfSignal("loudness", {.enabled = false}), SignalKind::kNeutral);
}

TEST(SoundGate, LoudSoundWithoutReactionRanksBelowAReaction) {
  // 10 s: a loud sound nobody reacts to. 40 s: a smaller sound with the streamer reacting.
  TimeSeries loud = Bump(10, 12, 8.0);
  for (size_t i = 80; i < 84; ++i) loud.values[i] = 3.0;
  const std::vector<WeightedSignal> signals = {
      {"loudness", loud, 1.0},
      {"vocal_excitement", Bump(41, 44, 3.0), 1.5},
      {"chat_rate", TimeSeries{500, std::vector<double>(120, 0.0)}, 1.0},
  };
  auto curve = FuseSignals(signals, 60000);
  ASSERT_TRUE(curve.ok());
  const double sound_only = *std::max_element(curve->score.begin() + 18, curve->score.begin() + 26);
  const double reaction = *std::max_element(curve->score.begin() + 76, curve->score.begin() + 90);
  EXPECT_GT(reaction, sound_only);
  // The sound alone keeps the closed share, and its evidence says so.
  EXPECT_NEAR(At(*curve, 10.5), kClosed * 8.0 / 3.5, 1e-9);
  EXPECT_NEAR(curve->sound_gate[21], kClosed, 1e-9);
  // At 40 s the reaction comes a second after the sound: the gate is open and both count.
  EXPECT_NEAR(curve->sound_gate[80], 1.0, 1e-9);
  EXPECT_NEAR(curve->contributions[0][80], 3.0 / 3.5, 1e-9);

  // Without the gate the loud sound would have won.
  FusionOptions off;
  off.sound_gate.enabled = false;
  auto ungated = FuseSignals(signals, 60000, off);
  ASSERT_TRUE(ungated.ok());
  EXPECT_GT(At(*ungated, 10.5),
            *std::max_element(ungated->score.begin() + 76, ungated->score.begin() + 90));
}

TEST(SoundGate, ChatReactionOpensTheGateToo) {
  const std::vector<WeightedSignal> signals = {
      {"loudness", Bump(20, 22, 6.0), 1.0},
      {"chat_rate", Bump(19, 25, 4.0), 1.0},
  };
  auto curve = FuseSignals(signals, 60000);
  ASSERT_TRUE(curve.ok());
  EXPECT_NEAR(curve->sound_gate[41], 1.0, 1e-9);
  EXPECT_NEAR(At(*curve, 20.5), (6.0 + 4.0) / 2.0, 1e-9);
  // Far from the reaction (more than reach_before_ms after it), closed.
  EXPECT_NEAR(curve->sound_gate[2 * 40], kClosed, 1e-9);
}

TEST(SoundGate, PartlyOpenBetweenTheThresholds) {
  const std::vector<WeightedSignal> signals = {
      {"loudness", Bump(20, 22, 6.0), 1.0},
      {"voice_pitch", Bump(20, 22, 2.0), 1.0},  // z 2: halfway between 1 and 3
  };
  auto curve = FuseSignals(signals, 60000);
  ASSERT_TRUE(curve.ok());
  EXPECT_NEAR(curve->sound_gate[41], kClosed + (1 - kClosed) * 0.5, 1e-9);
}

TEST(SoundGate, NoReactionSignalLeavesSoundAlone) {
  // Picture and level only (no chat, no voice measured): nothing to gate on.
  const std::vector<WeightedSignal> signals = {{"loudness", Bump(20, 22, 6.0), 1.0},
                                               {"flash", Bump(20, 21, 4.0), 1.0}};
  auto curve = FuseSignals(signals, 60000);
  ASSERT_TRUE(curve.ok());
  EXPECT_NEAR(At(*curve, 20.5), 5.0, 1e-9);
  for (double g : curve->sound_gate) EXPECT_EQ(g, 1.0);
}

TEST(FuseSignals, ContributionsAddUpToTheScore) {
  const std::vector<WeightedSignal> signals = {{"loudness", Bump(5, 9, 3.0), 2.0},
                                               {"voice", Bump(6, 8, -2.0), 1.0},
                                               {"chat_rate", Bump(7, 30, 1.5), 1.0},
                                               {"unused", Bump(0, 60, 9.0), 0.0}};
  auto curve = FuseSignals(signals, 60000);
  ASSERT_TRUE(curve.ok());
  EXPECT_EQ(curve->names.size(), 3u);
  for (size_t i = 0; i < curve->score.size(); ++i) {
    double sum = 0;
    for (const auto& c : curve->contributions) sum += c[i];
    EXPECT_NEAR(sum, curve->score[i], 1e-12);
  }
  EXPECT_FALSE(FuseSignals({{"x", Bump(0, 1, 1), 0.0}}, 60000).ok());
}

}  // namespace
}  // namespace clipthat::analysis
