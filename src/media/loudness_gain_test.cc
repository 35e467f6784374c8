#include "media/loudness_gain.h"

#include <gtest/gtest.h>

#include <limits>

namespace clipthat::media {
namespace {

LoudnessReading Read(std::optional<double> lufs, double peak_dbtp) {
  LoudnessReading r;
  r.integrated_lufs = lufs;
  r.true_peak_dbtp = peak_dbtp;
  r.sample_peak_dbfs = peak_dbtp;
  return r;
}

TEST(LoudnessGainTest, BringsTheClipToTheTarget) {
  const LoudnessGain g = PlanLoudnessGain(Read(-20, -8), {});
  EXPECT_DOUBLE_EQ(g.gain_db, 6.0);
  EXPECT_EQ(g.limit, GainLimit::kNone);
  EXPECT_NEAR(g.linear(), 1.9953, 1e-4);
}

TEST(LoudnessGainTest, TurnsALoudClipDown) {
  const LoudnessGain g = PlanLoudnessGain(Read(-11.5, 0.8), {});
  EXPECT_DOUBLE_EQ(g.gain_db, -2.5);
  // 0.8 - 2.5 = -1.7 dBTP: already under the ceiling.
  EXPECT_EQ(g.limit, GainLimit::kNone);
}

TEST(LoudnessGainTest, TheTruePeakCeilingWins) {
  // -20 LUFS with -3 dBTP peaks: +6 dB would put the peaks at +3; +2 dB puts them on -1.
  const LoudnessGain g = PlanLoudnessGain(Read(-20, -3), {});
  EXPECT_DOUBLE_EQ(g.gain_db, 2.0);
  EXPECT_EQ(g.limit, GainLimit::kTruePeak);
  // At the target already but peaking at +2 dBTP: turned down 3 dB.
  EXPECT_DOUBLE_EQ(PlanLoudnessGain(Read(-14, 2), {}).gain_db, -3.0);
}

TEST(LoudnessGainTest, BoostIsCapped) {
  const LoudnessGain g = PlanLoudnessGain(Read(-60, -45), {});
  EXPECT_DOUBLE_EQ(g.gain_db, 20.0);
  EXPECT_EQ(g.limit, GainLimit::kMaxBoost);
  EXPECT_DOUBLE_EQ(PlanLoudnessGain(Read(-60, -45), {.max_boost_db = 30}).gain_db, 30.0);
}

TEST(LoudnessGainTest, SilenceIsLeftAlone) {
  const LoudnessGain g =
      PlanLoudnessGain(Read(std::nullopt, -std::numeric_limits<double>::infinity()), {});
  EXPECT_DOUBLE_EQ(g.gain_db, 0.0);
  EXPECT_EQ(g.limit, GainLimit::kSilent);
  EXPECT_DOUBLE_EQ(g.linear(), 1.0);
  EXPECT_EQ(GainLimitName(g.limit), "silent");
}

TEST(LoudnessGainTest, AnotherTarget) {
  const LoudnessGain g =
      PlanLoudnessGain(Read(-10, -0.5), {.integrated_lufs = -20, .true_peak_ceiling_dbtp = -2});
  EXPECT_DOUBLE_EQ(g.gain_db, -10.0);
}

}  // namespace
}  // namespace clipthat::media
