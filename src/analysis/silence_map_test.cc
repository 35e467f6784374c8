#include "analysis/silence_map.h"

#include <gtest/gtest.h>

namespace clipthat::analysis {
namespace {

TimeSeries Series(std::vector<double> v) { return {100, std::move(v)}; }

TEST(SilenceMap, RunsOfQuietWindowsAtLeastMinLength) {
  // 0.4 s quiet, 0.3 s loud, 0.2 s quiet (too short), 0.3 s loud, 0.5 s quiet to the end.
  const TimeSeries db =
      Series({-70, -70, -70, -70, -20, -20, -20, -70, -70, -20, -20, -20, -70, -70, -70, -70, -70});
  const auto s = FindSilences(db, TimeSeries{100, {}});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].start_ms, 0);
  EXPECT_EQ(s[0].end_ms, 400);
  EXPECT_EQ(s[1].start_ms, 1200);
  EXPECT_EQ(s[1].end_ms, 1700);
}

TEST(SilenceMap, VoiceIsNeverSilenceEvenWhenQuiet) {
  const TimeSeries db = Series({-70, -70, -70, -70, -70, -70});
  const TimeSeries voice = Series({0, 0, 0, 0.9, 0, 0});
  const auto s = FindSilences(db, voice);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].start_ms, 0);
  EXPECT_EQ(s[0].end_ms, 300);
}

TEST(SilenceMap, PausesOverSteadyGameAudioCount) {
  // Game audio at -30 dB throughout; speech at -15 dB from 20 s with a 0.5 s pause at 25 s.
  std::vector<double> db(300, -30.0), voice(300, 0.0);
  for (int i = 200; i < 300; ++i) {
    if (i >= 250 && i < 255) continue;
    db[i] = -15;
    voice[i] = 1;
  }
  const auto s = FindSilences(Series(db), Series(voice));
  ASSERT_EQ(s.size(), 2u);
  // The floor starts at the absolute threshold (-50) and climbs 1 dB/s to within 6 dB of the
  // game audio: 14 s.
  EXPECT_NEAR(static_cast<double>(s[0].start_ms), 14000, 200);
  EXPECT_EQ(s[0].end_ms, 20000);
  EXPECT_EQ(s[1].start_ms, 25000);
  EXPECT_EQ(s[1].end_ms, 25500);
}

TEST(SilenceMap, ContinuousLoudSoundIsNotSilence) {
  // A loud stretch right after silence: the floor creeps up far slower than 20 dB.
  std::vector<double> db(50, -70.0);
  db.resize(150, -10.0);
  const auto s = FindSilences(Series(db), TimeSeries{100, {}});
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].end_ms, 5000);
}

TEST(SilenceMap, EmptySeriesHasNoSilence) {
  EXPECT_TRUE(FindSilences(TimeSeries{100, {}}, TimeSeries{100, {}}).empty());
}

}  // namespace
}  // namespace clipthat::analysis
