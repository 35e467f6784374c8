#include "render/audio_cuts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace clipthat::render {
namespace {

constexpr int kRate = 1000;  // one sample per millisecond keeps the arithmetic readable

// A mono chunk on the VOD clock whose sample i holds the value of its VOD time in ms.
media::AudioBuffer Ramp(TimeMs start_ms, int count) {
  media::AudioBuffer b;
  b.sample_rate_hz = kRate;
  b.channels = 1;
  b.start_ms = start_ms;
  for (int i = 0; i < count; ++i) b.samples.push_back(static_cast<float>(start_ms + i));
  return b;
}

TEST(AudioCutterTest, WithoutCutsChunksPassUnchanged) {
  const AudioCutter cutter(formats::ClipTimeline(1000, 5000, {}), kRate);
  const media::AudioBuffer in = Ramp(900, 300);
  const auto out = cutter.Cut(in);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].start_ms, 900);
  EXPECT_EQ(out[0].samples, in.samples);
}

TEST(AudioCutterTest, SamplesInACutAreDroppedAndTheRestClosesUp) {
  // Window [1000, 5000) less [2000, 3000); fades of 10 samples at the join.
  const AudioCutter cutter(formats::ClipTimeline(1000, 5000, {{2000, 3000}}), kRate, 10);
  // A chunk across the whole cut: what is kept closes up into one piece, VOD 3000 right after
  // VOD 1999.
  const auto out = cutter.Cut(Ramp(1900, 1200));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].start_ms, 1900);
  const std::vector<float>& s = out[0].samples;
  ASSERT_EQ(s.size(), 200u);
  EXPECT_FLOAT_EQ(s[50], 1950.0f);   // before the fade: untouched
  EXPECT_FLOAT_EQ(s[150], 3050.0f);  // after it
  // The fades: down to nearly nothing at the join, up from nearly nothing after it.
  EXPECT_LT(s[99], 1999.0f * 0.1f);
  EXPECT_GT(s[89], 1989.0f * 0.9f);
  EXPECT_LT(s[100], 3000.0f * 0.1f);
  EXPECT_GT(s[110], 3010.0f * 0.99f);
  for (int i = 101; i < 110; ++i) EXPECT_GT(s[i], s[i - 1]);
  for (int i = 91; i < 100; ++i) EXPECT_LT(s[i], s[i - 1]);
  // A chunk that starts after the cut's start continues on the closed-up clock.
  const auto later = cutter.Cut(Ramp(2500, 600));
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].start_ms, 2000);
  EXPECT_EQ(later[0].samples.size(), 100u);
}

TEST(AudioCutterTest, ChunksWhollyInACutVanish) {
  const AudioCutter cutter(formats::ClipTimeline(1000, 5000, {{2000, 3000}}), kRate);
  EXPECT_TRUE(cutter.Cut(Ramp(2100, 500)).empty());
  // After the cut a chunk moves earlier by the cut's length.
  const auto after = cutter.Cut(Ramp(4000, 100));
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].start_ms, 3000);
  EXPECT_FLOAT_EQ(after[0].samples[0], 4000.0f);
  // Past the window's end too (the audio track trims it).
  const auto late = cutter.Cut(Ramp(5000, 10));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].start_ms, 4000);
}

TEST(AudioCutterTest, ACutAtTheStartHasNoFadeIn) {
  const AudioCutter cutter(formats::ClipTimeline(1000, 5000, {{1000, 1500}}), kRate, 10);
  const auto before = cutter.Cut(Ramp(990, 10));  // before the window: passed on
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].start_ms, 990);
  const auto out = cutter.Cut(Ramp(1400, 200));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].start_ms, 1000);
  EXPECT_FLOAT_EQ(out[0].samples[0], 1500.0f);
}

TEST(AudioCutterTest, StereoStaysInterleaved) {
  const AudioCutter cutter(formats::ClipTimeline(0, 1000, {{100, 200}}), kRate, 1);
  media::AudioBuffer in;
  in.sample_rate_hz = kRate;
  in.channels = 2;
  in.start_ms = 50;
  for (int i = 0; i < 200; ++i) {
    in.samples.push_back(static_cast<float>(i));
    in.samples.push_back(static_cast<float>(-i));
  }
  const auto out = cutter.Cut(in);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].frame_count(), 100u);         // 50 before the cut, 50 after
  EXPECT_FLOAT_EQ(out[0].samples[102], 151.0f);  // frame 51: VOD 201
  EXPECT_FLOAT_EQ(out[0].samples[103], -151.0f);
}

}  // namespace
}  // namespace clipthat::render
