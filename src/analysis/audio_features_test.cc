#include "analysis/audio_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>

namespace clipthat::analysis {
namespace {

constexpr int kRate = 16000;
constexpr double kTwoPi = 2 * std::numbers::pi;

size_t At(double s) { return static_cast<size_t>(s * kRate); }

// Harmonics of f0 shaped by vowel-like formants.
double Voiced(double phase, double f0) {
  double v = 0;
  for (int k = 1; k * f0 < 4000; ++k) {
    const double hz = k * f0;
    const double formant = 0.3 + std::exp(-std::pow((hz - 700) / 150, 2)) +
                           0.7 * std::exp(-std::pow((hz - 1200) / 200, 2)) +
                           0.3 * std::exp(-std::pow((hz - 2600) / 300, 2));
    v += formant * std::sin(k * phase);
  }
  return v;
}

// Speech-like: syllables of irregular length and gaps, pitch gliding around 140 Hz.
void AddSpeech(std::vector<float>& x, double from_s, double to_s, double gain, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> syl(0.12, 0.32), gap(0.04, 0.15), pitch(110, 170);
  double t = from_s;
  while (t < to_s) {
    const double len = syl(rng);
    const double f_start = pitch(rng), f_end = pitch(rng);
    double phase = 0;
    for (size_t i = At(t); i < At(std::min(to_s, t + len)) && i < x.size(); ++i) {
      const double u = (static_cast<double>(i) / kRate - t) / len;
      const double f0 = f_start + (f_end - f_start) * u;
      phase += kTwoPi * f0 / kRate;
      const double env = std::sin(std::numbers::pi * u);
      x[i] += static_cast<float>(gain * env * Voiced(phase, f0));
    }
    t += len + gap(rng);
  }
}

// Crowd-like: band-limited noise (about 300 Hz - 3 kHz) with slow irregular swells.
void AddCheer(std::vector<float>& x, double from_s, double to_s, double gain, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  double low = 0, high = 0;
  const double a_low = std::exp(-kTwoPi * 3000 / kRate), a_high = std::exp(-kTwoPi * 300 / kRate);
  for (size_t i = At(from_s); i < At(to_s); ++i) {
    const double t = static_cast<double>(i) / kRate;
    low = (1 - a_low) * u(rng) + a_low * low;
    high = (1 - a_high) * low + a_high * high;
    const double am = 0.8 + 0.1 * std::sin(kTwoPi * 2.7 * t) + 0.1 * std::sin(kTwoPi * 5.3 * t);
    x[i] += static_cast<float>(gain * 4 * (low - high) * am);
  }
}

// "Ha-ha-ha": voiced pulses at 5 Hz, high and falling pitch.
void AddLaughter(std::vector<float>& x, double from_s, double to_s, double gain) {
  const double pulse_s = 0.2;
  int p = 0;
  for (double t = from_s; t + pulse_s <= to_s; t += pulse_s, ++p) {
    const double f0 = 300 * (1 - 0.03 * (p % 6));
    double phase = 0;
    for (size_t i = At(t); i < At(t + pulse_s * 0.6); ++i) {
      const double dt = static_cast<double>(i) / kRate - t;
      phase += kTwoPi * f0 / kRate;
      const double env = std::min(1.0, dt / 0.01) * std::exp(-dt / (pulse_s * 0.25));
      x[i] += static_cast<float>(gain * env * Voiced(phase, f0));
    }
  }
}

// Steady game-music chord with bass, no modulation.
void AddMusic(std::vector<float>& x, double from_s, double to_s, double gain) {
  const double notes[] = {110, 220, 277.2, 329.6, 440};
  for (size_t i = At(from_s); i < At(to_s); ++i) {
    const double t = static_cast<double>(i) / kRate;
    double v = 0;
    for (double f : notes) v += std::sin(kTwoPi * f * t) + 0.3 * std::sin(kTwoPi * 2 * f * t);
    x[i] += static_cast<float>(gain * v);
  }
}

void AddNoiseFloor(std::vector<float>& x, double level) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1, 1);
  for (float& v : x) v += static_cast<float>(level) * u(rng);
}

AudioFeatures Analyse(const std::vector<float>& x, size_t chunk = 16000,
                      const AudioFeatureOptions& options = {}) {
  AudioFeatureExtractor extractor(options);
  for (size_t at = 0; at < x.size(); at += chunk) {
    media::AudioBuffer buf;
    buf.sample_rate_hz = kRate;
    buf.channels = 1;
    buf.start_ms = static_cast<TimeMs>(at * 1000 / kRate);
    buf.samples.assign(x.begin() + static_cast<std::ptrdiff_t>(at),
                       x.begin() + static_cast<std::ptrdiff_t>(std::min(x.size(), at + chunk)));
    extractor.Push(buf);
  }
  return extractor.Finish();
}

double Mean(const TimeSeries& s, double from_s, double to_s) {
  const size_t a = s.IndexAt(static_cast<TimeMs>(from_s * 1000));
  const size_t b = s.IndexAt(static_cast<TimeMs>(to_s * 1000));
  double sum = 0;
  for (size_t i = a; i < b; ++i) sum += s.values[i];
  return b > a ? sum / static_cast<double>(b - a) : 0;
}

double Max(const TimeSeries& s, double from_s, double to_s) {
  const size_t a = s.IndexAt(static_cast<TimeMs>(from_s * 1000));
  const size_t b = s.IndexAt(static_cast<TimeMs>(to_s * 1000));
  double m = 0;
  for (size_t i = a; i < b; ++i) m = std::max(m, s.values[i]);
  return m;
}

// 0-3 s near-silence, 3-9 speech, 9-11 silence, 11-16 loud music, 16-17 silence, 17-21
// cheer, 21-23 silence, 23-27 laughter, 27-29 silence.
class PlantedSoundsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<float> x(At(29), 0.0f);
    AddSpeech(x, 3, 9, 0.05, 1);
    AddMusic(x, 11, 16, 0.06);
    AddCheer(x, 17, 21, 0.3, 2);
    AddLaughter(x, 23, 27, 0.06);
    AddNoiseFloor(x, 0.0005);
    features_ = new AudioFeatures(Analyse(x, 4000));
  }
  static void TearDownTestSuite() { delete features_; }
  static AudioFeatures* features_;
};
AudioFeatures* PlantedSoundsTest::features_ = nullptr;

TEST_F(PlantedSoundsTest, AllSeriesShareTheGrid) {
  const AudioFeatures& f = *features_;
  EXPECT_EQ(f.loudness_db.values.size(), 290u);
  for (const TimeSeries* s :
       {&f.loudness_jump_db, &f.spectral_flux_db, &f.voice, &f.pitch_hz, &f.pitch_raise_st,
        &f.pitch_range_st, &f.laughter, &f.cheer, &f.speech_level_db, &f.syllables}) {
    EXPECT_EQ(s->step_ms, 100);
    EXPECT_EQ(s->values.size(), 290u);
  }
}

TEST_F(PlantedSoundsTest, VoiceInSpeechNotInMusicNoiseOrSilence) {
  const AudioFeatures& f = *features_;
  const double speech = Mean(f.voice, 4, 9), music = Mean(f.voice, 12, 16);
  const double cheer = Mean(f.voice, 18, 21), silence = Mean(f.voice, 0, 3);
  std::printf("voice: speech %.2f music %.2f cheer %.2f silence %.2f\n", speech, music, cheer,
              silence);
  EXPECT_GT(speech, 0.4);
  EXPECT_LT(music, 0.1);
  EXPECT_LT(cheer, 0.1);
  EXPECT_EQ(silence, 0.0);
}

TEST_F(PlantedSoundsTest, LaughterOnlyWhereLaughed) {
  const AudioFeatures& f = *features_;
  const double laugh = Mean(f.laughter, 24, 27), speech = Mean(f.laughter, 4, 9);
  const double music = Mean(f.laughter, 12, 16), cheer = Mean(f.laughter, 18, 21);
  std::printf("laughter: laugh %.2f speech %.2f music %.2f cheer %.2f\n", laugh, speech, music,
              cheer);
  EXPECT_GT(laugh, 0.5);
  EXPECT_LT(speech, 0.15);
  EXPECT_LT(music, 0.05);
  EXPECT_LT(cheer, 0.15);
}

TEST_F(PlantedSoundsTest, CheerOnlyOnBroadbandNoise) {
  const AudioFeatures& f = *features_;
  const double cheer = Mean(f.cheer, 18, 21), speech = Mean(f.cheer, 4, 9);
  const double music = Mean(f.cheer, 12, 16), laugh = Mean(f.cheer, 24, 27);
  std::printf("cheer: cheer %.2f speech %.2f music %.2f laugh %.2f\n", cheer, speech, music, laugh);
  EXPECT_GT(cheer, 0.5);
  EXPECT_LT(speech, 0.1);
  EXPECT_LT(music, 0.05);
  EXPECT_LT(laugh, 0.15);
}

TEST_F(PlantedSoundsTest, SilenceMapCoversTheGaps) {
  const AudioFeatures& f = *features_;
  auto covered = [&](double from_s, double to_s) {
    for (const TimeRange& r : f.silences)
      if (r.start_ms <= from_s * 1000 && r.end_ms >= to_s * 1000) return true;
    return false;
  };
  auto overlaps = [&](double from_s, double to_s) {
    for (const TimeRange& r : f.silences)
      if (r.start_ms < to_s * 1000 && r.end_ms > from_s * 1000) return true;
    return false;
  };
  EXPECT_TRUE(covered(0, 2.9));
  EXPECT_TRUE(covered(9.3, 10.9));
  EXPECT_TRUE(covered(21.3, 22.9));
  EXPECT_TRUE(covered(27.5, 28.9));
  EXPECT_FALSE(overlaps(3.4, 8.6)) << "a 300 ms silence inside running speech";
  EXPECT_FALSE(overlaps(17.5, 20.5));
  for (size_t i = 1; i < f.silences.size(); ++i) {
    EXPECT_GT(f.silences[i].start_ms, f.silences[i - 1].end_ms);
  }
  for (const TimeRange& r : f.silences) EXPECT_GE(r.end_ms - r.start_ms, 300);
}

TEST_F(PlantedSoundsTest, LoudnessJumpWhereTheMusicStarts) {
  const AudioFeatures& f = *features_;
  EXPECT_GT(Max(f.loudness_jump_db, 11, 11.6), 15);
}

TEST(AudioFeatures, LoudnessJumpFadesAsTheBaselineCatchesUp) {
  // Quiet talk-level music for 12 s, then 20 dB louder for 20 s.
  std::vector<float> x(At(32), 0.0f);
  AddMusic(x, 0, 12, 0.005);
  AddMusic(x, 12, 32, 0.05);
  const AudioFeatures f = Analyse(x);
  EXPECT_LT(Max(f.loudness_jump_db, 2, 11.9), 1);
  EXPECT_NEAR(Max(f.loudness_jump_db, 12, 13), 20, 2);
  EXPECT_LT(Max(f.loudness_jump_db, 23, 32), 1);
}

TEST(AudioFeatures, PitchOfHarmonicTone) {
  for (double f0 : {100.0, 200.0, 320.0}) {
    std::vector<float> x(At(2), 0.0f);
    double phase = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      phase += kTwoPi * f0 / kRate;
      x[i] = static_cast<float>(0.05 * Voiced(phase, f0));
    }
    const AudioFeatures f = Analyse(x);
    for (size_t i = 3; i < f.pitch_hz.values.size(); ++i) {
      EXPECT_NEAR(f.pitch_hz.values[i], f0, f0 * 0.02) << "window " << i;
    }
  }
}

TEST(AudioFeatures, PitchRaiseAndRange) {
  std::vector<float> x(At(8), 0.0f);
  double phase = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    // Calm at 120 Hz for 6 s, then excited: up an octave, swinging +-3 semitones at 2 Hz.
    const double f0 = t < 6 ? 120 : 240 * std::pow(2.0, 3 * std::sin(kTwoPi * 2 * t) / 12);
    phase += kTwoPi * f0 / kRate;
    x[i] = static_cast<float>(0.05 * Voiced(phase, f0));
  }
  const AudioFeatures f = Analyse(x);
  EXPECT_LT(Mean(f.pitch_raise_st, 1, 5.5), 0.5);
  EXPECT_NEAR(Mean(f.pitch_raise_st, 6.6, 7.5), 12, 2.5);
  EXPECT_LT(Mean(f.pitch_range_st, 1, 5), 0.5);
  EXPECT_GT(Mean(f.pitch_range_st, 6.6, 7.4), 3);
}

TEST(AudioFeatures, FluxPeaksAtOnsets) {
  std::vector<float> x(At(6), 0.0f);
  // A chord that switches on at each whole second and holds 600 ms.
  for (int s = 1; s < 6; ++s) AddMusic(x, s, s + 0.6, 0.05);
  const AudioFeatures f = Analyse(x, 1234);
  for (int s = 1; s < 6; ++s) {
    const double onset =
        std::max(f.spectral_flux_db.values[s * 10], f.spectral_flux_db.values[s * 10 + 1]);
    const double steady = f.spectral_flux_db.values[s * 10 + 3];
    EXPECT_GT(onset, 4 * steady + 1) << "second " << s;
  }
}

TEST(AudioFeatures, LoudnessMatchesLoudnessMeterAcrossRatesAndChannels) {
  for (int rate : {16000, 44100, 48000}) {
    media::AudioBuffer buf;
    buf.sample_rate_hz = rate;
    buf.channels = 2;
    buf.samples.resize(static_cast<size_t>(rate) * 2 * 2);
    for (size_t i = 0; i < buf.samples.size() / 2; ++i) {
      const float v = static_cast<float>((i < static_cast<size_t>(rate) ? 0.5 : 0.05) *
                                         std::sin(kTwoPi * 440.0 * i / rate));
      buf.samples[2 * i] = buf.samples[2 * i + 1] = v;
    }
    AudioFeatureExtractor extractor;
    extractor.Push(buf);
    const AudioFeatures f = extractor.Finish();
    LoudnessMeter meter;
    meter.Push(buf);
    const TimeSeries expected = meter.Finish();
    ASSERT_EQ(f.loudness_db.values.size(), expected.values.size()) << rate;
    for (size_t i = 0; i < expected.values.size(); ++i) {
      EXPECT_NEAR(f.loudness_db.values[i], expected.values[i], 1e-6) << rate << " window " << i;
    }
  }
}

TEST(AudioFeatures, DigitalSilenceIsAllSilence) {
  std::vector<float> x(At(3), 0.0f);
  const AudioFeatures f = Analyse(x);
  ASSERT_EQ(f.silences.size(), 1u);
  EXPECT_EQ(f.silences[0].start_ms, 0);
  EXPECT_EQ(f.silences[0].end_ms, 3000);
  for (double v : f.voice.values) EXPECT_EQ(v, 0);
  for (double v : f.spectral_flux_db.values) EXPECT_EQ(v, 0);
}

// Not a benchmark (tests never assert on time): prints the cost of ten minutes of audio so a
// regression is visible in the test log.
TEST(AudioFeatures, PrintsThroughput) {
  std::vector<float> x(At(60), 0.0f);
  AddSpeech(x, 0, 30, 0.05, 3);
  AddMusic(x, 20, 60, 0.03);
  AddCheer(x, 40, 45, 0.2, 4);
  AudioFeatureExtractor extractor;
  media::AudioBuffer buf;
  buf.samples = x;
  const auto start = std::chrono::steady_clock::now();
  for (int minute = 0; minute < 10; ++minute) {
    buf.start_ms = minute * 60000;
    extractor.Push(buf);
  }
  const AudioFeatures f = extractor.Finish();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(f.loudness_db.values.size(), 6000u);
  std::printf("audio features: 600 s of 16 kHz audio in %.3f s (%.0fx real time)\n", s, 600 / s);
}

}  // namespace
}  // namespace clipthat::analysis
