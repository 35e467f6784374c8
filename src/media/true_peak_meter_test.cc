#include "media/true_peak_meter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace clipthat::media {
namespace {

// A sine faded in over its first 10 ms (as a real sound starts: no step from silence).
std::vector<float> Sine(double cycles_per_sample, double amplitude, double phase, int frames,
                        int channels) {
  std::vector<float> out(static_cast<std::size_t>(frames) * channels);
  for (int n = 0; n < frames; ++n) {
    const double fade = std::min(1.0, n / 480.0);
    const double v =
        fade * amplitude * std::sin(2 * std::numbers::pi * cycles_per_sample * n + phase);
    for (int c = 0; c < channels; ++c) out[n * channels + c] = static_cast<float>(v);
  }
  return out;
}

// A sine at a quarter of the sample rate, sampled 45 degrees off its crests: every sample is
// at 0.707 of the peak (-3 dB), the reconstructed wave reaches the peak. FFmpeg's ebur128
// (peak=true) reads the same signal, written to a 48 kHz float WAV, as Peak: -6.0 dBFS.
TEST(TruePeakMeterTest, FindsThePeakBetweenSamples) {
  TruePeakMeter meter(2);
  meter.Add(Sine(0.25, 0.5, std::numbers::pi / 4, 48000, 2));
  EXPECT_NEAR(meter.sample_peak_dbfs(), -9.03, 0.01);
  EXPECT_NEAR(meter.true_peak_dbtp(), -6.02, 0.1);
  EXPECT_GT(meter.true_peak_dbtp(), meter.sample_peak_dbfs() + 2.8);
}

TEST(TruePeakMeterTest, LowFrequenciesReadTheirSamplePeak) {
  TruePeakMeter meter(1);
  meter.Add(Sine(997.0 / 48000, 0.9, 0.3, 48000, 1));
  EXPECT_NEAR(meter.true_peak_dbtp(), AmplitudeToDb(0.9), 0.02);
  EXPECT_GE(meter.true_peak_dbtp(), meter.sample_peak_dbfs());
}

// Across many phases and frequencies up to 0.38 fs the reading stays within 0.15 dB of the
// analogue peak (the standard allows the 4x reading to under-read by up to 0.69 dB).
TEST(TruePeakMeterTest, CloseToTheAnaloguePeakAcrossTheBand) {
  for (double f : {0.05, 0.13, 0.25, 0.3, 0.38}) {
    for (double phase : {0.0, 0.4, 0.8, 1.3}) {
      TruePeakMeter meter(1);
      meter.Add(Sine(f, 0.5, phase, 4800, 1));
      EXPECT_NEAR(meter.true_peak_dbtp(), AmplitudeToDb(0.5), 0.15) << f << " " << phase;
    }
  }
}

TEST(TruePeakMeterTest, SilenceIsMinusInfinityAndChannelsAreIndependent) {
  TruePeakMeter meter(2);
  meter.Add(std::vector<float>(2000, 0.0f));
  EXPECT_TRUE(std::isinf(meter.true_peak_dbtp()));
  std::vector<float> right_only(2000, 0.0f);
  right_only[1001] = -0.25f;  // one click on the right channel
  meter.Add(right_only);
  EXPECT_GE(meter.true_peak(), 0.25);
  EXPECT_LT(meter.true_peak(), 0.3);
}

TEST(TruePeakMeterTest, DecibelConversions) {
  EXPECT_NEAR(AmplitudeToDb(0.5), -6.0206, 1e-4);
  EXPECT_NEAR(DbToAmplitude(-6.0206), 0.5, 1e-5);
  EXPECT_TRUE(std::isinf(AmplitudeToDb(0)));
}

}  // namespace
}  // namespace clipthat::media
