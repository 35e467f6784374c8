#include "analysis/candidates.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>

namespace clipthat::analysis {
namespace {

// Loudness (dB per 100 ms) of a talking streamer with loud bumps at the given seconds.
TimeSeries Loudness(int seconds, const std::vector<int>& bumps_s, double bump_db = 12) {
  std::mt19937 rng(1);
  std::normal_distribution<double> noise(0, 3);
  TimeSeries s{100, {}};
  for (int i = 0; i < seconds * 10; ++i) {
    double db = -30 + noise(rng);
    for (int b : bumps_s) {
      if (i >= b * 10 && i < (b + 4) * 10) db += bump_db;
    }
    s.values.push_back(db);
  }
  return s;
}

TEST(FindMoments, FindsPlantedLoudnessBumps) {
  const int kSeconds = 1800;
  SignalSet signals{{.name = "loudness",
                     .values = Loudness(kSeconds, {300, 900, 1500}),
                     .weight = 1,
                     .smooth_ms = 2000,
                     .normalize = {.min_spread = 2.0}}};
  CandidateOptions o;
  o.peaks.top_k = 5;
  o.peaks.min_score = 2;
  auto r = FindMoments(signals, kSeconds * 1000, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->moments.size(), 3u);
  std::vector<bool> found(3, false);
  for (size_t i = 0; i < r->moments.size(); ++i) {
    const Moment& m = r->moments[i];
    EXPECT_EQ(m.id, static_cast<int>(i) + 1);
    EXPECT_GE(m.end_ms - m.start_ms, 15000);
    EXPECT_LE(m.end_ms - m.start_ms, 60000);
    EXPECT_LE(m.peak_ms - m.start_ms, (m.end_ms - m.start_ms) / 3);
    EXPECT_GT(m.evidence.at("loudness"), 0);
    EXPECT_FALSE(m.title.empty());
    if (i > 0) {
      EXPECT_LE(m.score, r->moments[i - 1].score);
    }
    for (int k = 0; k < 3; ++k) {
      const TimeMs at = (300 + 600 * k) * 1000;
      if (m.peak_ms >= at - 2000 && m.peak_ms <= at + 6000) found[k] = true;
    }
  }
  EXPECT_TRUE(found[0] && found[1] && found[2]);
}

TEST(FindMoments, ChatAndLoudnessAgreeingBeatsEitherAlone) {
  const int kSeconds = 1200;
  TimeSeries chat{1000, std::vector<double>(kSeconds, 3.0)};
  for (int s = 0; s < kSeconds; ++s) chat.values[s] += (s * 13) % 3 - 1;  // 2..4 per second
  for (int s = 600; s < 610; ++s) chat.values[s] = 25;                    // already shifted back
  for (int s = 1000; s < 1010; ++s) chat.values[s] = 25;
  SignalSet signals{
      {.name = "loudness",
       .values = Loudness(kSeconds, {200, 600}),
       .weight = 1,
       .normalize = {.min_spread = 2.0}},
      {.name = "chat_rate",
       .values = chat,
       .weight = 1,
       .smooth_ms = 5000,
       .normalize = {.min_spread = 1.0}},
  };
  CandidateOptions o;
  o.peaks.min_score = 1;
  auto r = FindMoments(signals, kSeconds * 1000, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_GE(r->moments.size(), 3u);
  const Moment& best = r->moments[0];
  EXPECT_NEAR(best.peak_ms, 602000, 6000);
  EXPECT_GT(best.evidence.at("loudness"), 0);
  EXPECT_GT(best.evidence.at("chat_rate"), 0);
  double sum = best.evidence.at("loudness") + best.evidence.at("chat_rate");
  EXPECT_NEAR(sum, best.score, 1e-9);
}

TEST(FindMoments, QuietBreaksAndLoudGameplayAreNotMoments) {
  // An hour: talk around -30 dB, a ten-minute silent break, a loud game section at -15 dB, and
  // three real moments (a shout 12 dB over what surrounds it) in talk, after the break, in game.
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0, 3);
  TimeSeries db{100, {}};
  for (int i = 0; i < 36000; ++i) {
    const int s = i / 10;
    double level = -30 + noise(rng);
    if (s >= 1200 && s < 1800) level = -60;
    if (s >= 2400 && s < 3000) level = -15 + noise(rng);
    for (int bump : {600, 2100, 2700}) {
      if (s >= bump && s < bump + 4) level += 12;
    }
    db.values.push_back(level);
  }
  SignalSet signals{{.name = "loudness",
                     .values = db,
                     .weight = 1,
                     .smooth_ms = 2000,
                     .normalize = {.min_spread = 2.0}}};
  CandidateOptions o;
  o.peaks.top_k = 3;
  auto r = FindMoments(signals, 3600000, o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->moments.size(), 3u);
  for (const Moment& m : r->moments) {
    bool planted = false;
    for (int bump : {600, 2100, 2700}) {
      if (m.peak_ms >= bump * 1000 - 2000 && m.peak_ms <= bump * 1000 + 6000) planted = true;
    }
    EXPECT_TRUE(planted) << "peak at " << m.peak_ms << " score " << m.score;
  }
}

TEST(FindMoments, NoSignalIsAnError) {
  auto r = FindMoments({}, 60000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(FindMoments, FlatSignalGivesNoMoments) {
  AnalysisSignal flat;
  flat.name = "loudness";
  flat.values = TimeSeries{100, std::vector<double>(6000, -30)};
  SignalSet signals{flat};
  auto r = FindMoments(signals, 600000);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->moments.empty());
}

}  // namespace
}  // namespace clipthat::analysis
