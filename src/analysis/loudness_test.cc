#include "analysis/loudness.h"

#include <gtest/gtest.h>

#include <cmath>

namespace clipthat::analysis {
namespace {

media::AudioBuffer Sine(double amplitude, TimeMs ms, int rate = 16000, int channels = 1) {
  media::AudioBuffer b;
  b.sample_rate_hz = rate;
  b.channels = channels;
  const int frames = static_cast<int>(rate * ms / 1000);
  for (int i = 0; i < frames; ++i) {
    const float v = static_cast<float>(amplitude * std::sin(2 * M_PI * 440.0 * i / rate));
    for (int c = 0; c < channels; ++c) b.samples.push_back(v);
  }
  return b;
}

TEST(Loudness, FullScaleSineIsMinusThreeDb) {
  LoudnessMeter meter;
  meter.Push(Sine(1.0, 1000));
  TimeSeries s = meter.Finish();
  ASSERT_EQ(s.values.size(), 10u);
  EXPECT_EQ(s.step_ms, 100);
  for (double db : s.values) EXPECT_NEAR(db, -3.01, 0.05);
}

TEST(Loudness, SilenceReadsFloorAndStepsAreVisible) {
  LoudnessMeter meter({.window_ms = 100, .floor_db = -60});
  meter.Push(Sine(0.0, 500));
  meter.Push(Sine(0.1, 500));  // -23 dB
  TimeSeries s = meter.Finish();
  ASSERT_EQ(s.values.size(), 10u);
  EXPECT_DOUBLE_EQ(s.values[0], -60);
  EXPECT_NEAR(s.values[7], -23.0, 0.1);
}

TEST(Loudness, WindowsSpanChunksAndChannelsAreMixed) {
  LoudnessMeter meter;
  // Chunks of 30 ms do not line up with 100 ms windows; stereo is mixed down.
  for (int i = 0; i < 10; ++i) meter.Push(Sine(0.5, 30, 16000, 2));
  TimeSeries s = meter.Finish();
  ASSERT_EQ(s.values.size(), 3u);  // 300 ms: two full windows and one partial
  EXPECT_NEAR(s.values[0], 20 * std::log10(0.5) - 3.01, 0.1);
}

}  // namespace
}  // namespace clipthat::analysis
