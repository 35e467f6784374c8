#include "analysis/reaction_delay.h"

#include <gtest/gtest.h>

#include <random>

namespace clipthat::analysis {
namespace {

// Reactions every few minutes: the streamer's voice at t, chat `lag_s` later, both over noise.
void Plant(int seconds, int lag_s, TimeSeries* audio, TimeSeries* chat, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.7);
  audio->step_ms = chat->step_ms = 1000;
  audio->values.assign(static_cast<size_t>(seconds), 0.0);
  chat->values.assign(static_cast<size_t>(seconds), 0.0);
  for (int i = 0; i < seconds; ++i) {
    audio->values[static_cast<size_t>(i)] = noise(rng);
    chat->values[static_cast<size_t>(i)] = noise(rng);
  }
  for (int t = 100; t + lag_s + 20 < seconds; t += 170 + (t % 7) * 20) {
    for (int k = 0; k < 6; ++k) audio->values[static_cast<size_t>(t + k)] += 5.0 - k * 0.5;
    for (int k = 0; k < 12; ++k) chat->values[static_cast<size_t>(t + lag_s + k)] += 8.0 - k * 0.5;
  }
}

TEST(ReactionDelay, FindsThePlantedLag) {
  for (int lag : {3, 7, 12}) {
    TimeSeries audio, chat;
    Plant(3600, lag, &audio, &chat, static_cast<unsigned>(lag));
    auto e = EstimateReactionDelay(chat, audio);
    ASSERT_TRUE(e.has_value()) << lag;
    EXPECT_NEAR(e->delay_ms, lag * 1000, 2000) << lag;
    EXPECT_GT(e->correlation, 0.1);
  }
}

TEST(ReactionDelay, UnrelatedSeriesTellNothing) {
  TimeSeries audio, chat, unrelated_audio, unrelated_chat;
  Plant(3600, 5, &audio, &chat, 1);
  Plant(3600, 5, &unrelated_audio, &unrelated_chat, 2);
  // The chat of one stream against the audio of another, with reactions at other times.
  std::rotate(unrelated_audio.values.begin(), unrelated_audio.values.begin() + 77,
              unrelated_audio.values.end());
  EXPECT_FALSE(EstimateReactionDelay(chat, unrelated_audio).has_value());
  TimeSeries flat{1000, std::vector<double>(3600, 0.0)};
  EXPECT_FALSE(EstimateReactionDelay(chat, flat).has_value());
  TimeSeries short_one{1000, std::vector<double>(50, 1.0)};
  EXPECT_FALSE(EstimateReactionDelay(short_one, short_one).has_value());
}

}  // namespace
}  // namespace clipthat::analysis
