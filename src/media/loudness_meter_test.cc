#include "media/loudness_meter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace clipthat::media {
namespace {

// `seconds` of a sine of `peak_dbfs` at `hz` on every channel (silence for -inf).
std::vector<float> Sine(double hz, double peak_dbfs, double seconds, int rate, int channels) {
  const long long frames = std::llround(seconds * rate);
  const double a = DbToAmplitude(peak_dbfs);
  std::vector<float> out(static_cast<std::size_t>(frames * channels));
  for (long long n = 0; n < frames; ++n) {
    const float v = static_cast<float>(a * std::sin(2 * std::numbers::pi * hz * n / rate));
    for (int c = 0; c < channels; ++c) out[n * channels + c] = v;
  }
  return out;
}

std::vector<float> Silence(double seconds, int rate, int channels) {
  return std::vector<float>(static_cast<std::size_t>(std::llround(seconds * rate) * channels));
}

LoudnessReading Measure(const std::vector<float>& samples, int rate, int channels) {
  LoudnessMeter meter(rate, channels);
  meter.Add(samples);
  return meter.Reading();
}

// EBU Tech 3341 case 1: a 1 kHz (here 997 Hz, off the rate's divisors) sine at -23 dBFS on
// both channels of a stereo stream is -23.0 LUFS. FFmpeg's ebur128 filter reads the same file
// (written as a 48 kHz float WAV) as I: -23.0 LUFS, and at 44.1 kHz too.
TEST(LoudnessMeterTest, StereoSineAtMinus23IsMinus23Lufs) {
  for (int rate : {48000, 44100, 32000, 96000}) {
    const LoudnessReading r = Measure(Sine(997, -23, 20, rate, 2), rate, 2);
    ASSERT_TRUE(r.integrated_lufs.has_value()) << rate;
    EXPECT_NEAR(*r.integrated_lufs, -23.0, 0.05) << rate << " Hz";
    EXPECT_NEAR(r.sample_peak_dbfs, -23.0, 0.01);
    EXPECT_NEAR(r.true_peak_dbtp, -23.0, 0.05);
    EXPECT_EQ(r.frames, 20LL * rate);
  }
}

// One channel carries half the power of two: a mono 1 kHz sine at -20 dBFS is -23.0 LUFS
// (FFmpeg: I: -23.0 LUFS).
TEST(LoudnessMeterTest, MonoSineReadsThreeDbBelowItsStereoTwin) {
  const LoudnessReading r = Measure(Sine(1000, -20, 10, 48000, 1), 48000, 1);
  ASSERT_TRUE(r.integrated_lufs.has_value());
  EXPECT_NEAR(*r.integrated_lufs, -23.0, 0.05);
}

// K-weighting: +4 dB shelf in the treble, the RLB high-pass cuts the deep bass.
TEST(LoudnessMeterTest, KWeightingFavoursTrebleAndCutsBass) {
  const double at_1k = *Measure(Sine(1000, -20, 5, 48000, 2), 48000, 2).integrated_lufs;
  const double at_10k = *Measure(Sine(10000, -20, 5, 48000, 2), 48000, 2).integrated_lufs;
  const double at_20 = *Measure(Sine(20, -20, 5, 48000, 2), 48000, 2).integrated_lufs;
  EXPECT_NEAR(at_10k - at_1k, 3.3, 0.4);
  EXPECT_LT(at_20 - at_1k, -10);
}

// Gating: the silence before a tone does not dilute it (absolute gate), and a much quieter
// passage is left out too (relative gate, 10 LU below); only the blocks that straddle the
// tone's edges pull it down a little. FFmpeg's ebur128 reads this signal as I: -23.1 LUFS.
TEST(LoudnessMeterTest, GatesLeaveOutSilenceAndQuietPassages) {
  std::vector<float> s = Silence(10, 48000, 2);
  const std::vector<float> tone = Sine(997, -23, 10, 48000, 2);
  s.insert(s.end(), tone.begin(), tone.end());
  const std::vector<float> quiet = Sine(997, -50, 10, 48000, 2);
  s.insert(s.end(), quiet.begin(), quiet.end());
  const LoudnessReading r = Measure(s, 48000, 2);
  ASSERT_TRUE(r.integrated_lufs.has_value());
  EXPECT_NEAR(*r.integrated_lufs, -23.1, 0.05);
}

TEST(LoudnessMeterTest, SilenceAndShortSoundsHaveNoIntegratedLoudness) {
  const LoudnessReading silent = Measure(Silence(5, 48000, 2), 48000, 2);
  EXPECT_FALSE(silent.integrated_lufs.has_value());
  EXPECT_TRUE(std::isinf(silent.true_peak_dbtp) && silent.true_peak_dbtp < 0);
  // Below the absolute gate.
  EXPECT_FALSE(Measure(Sine(997, -75, 5, 48000, 2), 48000, 2).integrated_lufs.has_value());
  // Under one 400 ms block.
  EXPECT_FALSE(Measure(Sine(997, -10, 0.39, 48000, 2), 48000, 2).integrated_lufs.has_value());
}

TEST(LoudnessMeterTest, ChunkingDoesNotChangeTheReading) {
  std::vector<float> s = Sine(440, -12, 3, 48000, 2);
  const std::vector<float> quiet = Sine(3000, -30, 3, 48000, 2);
  s.insert(s.end(), quiet.begin(), quiet.end());
  const LoudnessReading whole = Measure(s, 48000, 2);
  LoudnessMeter meter(48000, 2);
  std::size_t at = 0;  // in samples; chunks of whole stereo frames, of many lengths
  for (std::size_t frames = 1; at < s.size(); frames = frames * 3 % 7919 + 1) {
    const std::size_t n = std::min(frames * 2, s.size() - at);
    meter.Add(std::span<const float>(s).subspan(at, n));
    at += n;
  }
  const LoudnessReading parts = meter.Reading();
  ASSERT_TRUE(whole.integrated_lufs && parts.integrated_lufs);
  EXPECT_NEAR(*parts.integrated_lufs, *whole.integrated_lufs, 1e-6);
  EXPECT_NEAR(parts.true_peak_dbtp, whole.true_peak_dbtp, 1e-6);
}

// 5.1: the LFE does not count, the surrounds count 1.41 times.
TEST(LoudnessMeterTest, FivePointOneWeightsTheChannels) {
  const int rate = 48000;
  const std::vector<float> mono = Sine(997, -20, 5, rate, 1);
  auto on = [&](int channel) {
    std::vector<float> s(mono.size() * 6);
    for (std::size_t n = 0; n < mono.size(); ++n) s[n * 6 + channel] = mono[n];
    return *Measure(s, rate, 6).integrated_lufs;
  };
  const double left = on(0);
  EXPECT_NEAR(left, -23.0, 0.05);
  EXPECT_NEAR(on(4) - left, 10 * std::log10(1.41), 0.01);
  std::vector<float> lfe(mono.size() * 6);
  for (std::size_t n = 0; n < mono.size(); ++n) lfe[n * 6 + 3] = mono[n];
  EXPECT_FALSE(Measure(lfe, rate, 6).integrated_lufs.has_value());
}

}  // namespace
}  // namespace clipthat::media
