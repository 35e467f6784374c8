#include "analysis/vocal_excitement.h"

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

// Harmonics of f0 under vowel-like formants.
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

struct Talk {
  double gain = 0.05;
  double pitch_lo_hz = 110, pitch_hi_hz = 160;
  double syllable_lo_s = 0.14, syllable_hi_s = 0.30;
  double gap_lo_s = 0.05, gap_hi_s = 0.16;
};

// Syllables of random length and gap, the pitch gliding inside each.
void AddTalk(std::vector<float>& x, double from_s, double to_s, const Talk& talk, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> syl(talk.syllable_lo_s, talk.syllable_hi_s),
      gap(talk.gap_lo_s, talk.gap_hi_s), pitch(talk.pitch_lo_hz, talk.pitch_hi_hz);
  double t = from_s;
  while (t < to_s) {
    const double len = syl(rng);
    const double f_start = pitch(rng), f_end = pitch(rng);
    double phase = 0;
    for (size_t i = At(t); i < At(std::min(to_s, t + len)) && i < x.size(); ++i) {
      const double u = (static_cast<double>(i) / kRate - t) / len;
      const double f0 = f_start + (f_end - f_start) * u;
      phase += kTwoPi * f0 / kRate;
      x[i] += static_cast<float>(talk.gain * std::sin(std::numbers::pi * u) * Voiced(phase, f0));
    }
    t += len + gap(rng);
  }
}

// A loud game sting: a held brass-like chord swelling in over 0.3 s.
void AddSting(std::vector<float>& x, double from_s, double to_s, double gain) {
  const double notes[] = {196, 246.9, 293.7};
  for (size_t i = At(from_s); i < At(to_s); ++i) {
    const double t = static_cast<double>(i) / kRate - from_s;
    double v = 0;
    for (double f : notes)
      for (int k = 1; k <= 6; ++k) v += std::sin(kTwoPi * k * f * t) / k;
    x[i] += static_cast<float>(gain * std::min(1.0, t / 0.3) * v);
  }
}

// An explosion: low noise with a long decay.
void AddBoom(std::vector<float>& x, double at_s, double gain) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(-1, 1);
  double y = 0;
  const double a = 1 - std::exp(-kTwoPi * 500 / kRate);
  for (size_t i = At(at_s); i < At(at_s + 2.0) && i < x.size(); ++i) {
    const double t = static_cast<double>(i) / kRate - at_s;
    y += a * (u(rng) - y);
    x[i] += static_cast<float>(gain * 6 * y * std::exp(-2 * t));
  }
}

AudioFeatures Analyse(const std::vector<float>& x) {
  AudioFeatureExtractor extractor;
  for (size_t at = 0; at < x.size(); at += kRate) {
    media::AudioBuffer buf;
    buf.sample_rate_hz = kRate;
    buf.channels = 1;
    buf.start_ms = static_cast<TimeMs>(at * 1000 / kRate);
    buf.samples.assign(x.begin() + static_cast<std::ptrdiff_t>(at),
                       x.begin() + static_cast<std::ptrdiff_t>(std::min(x.size(), at + kRate)));
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

// 60 s of calm talk over quiet game music, with: 20-26 s an excited stretch (louder, higher,
// faster); 38-41 s a loud sting with no talk; 48 s an explosion under the calm talk.
class StreamedVoiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::vector<float> x(At(60), 0.0f);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-1, 1);
    for (float& v : x) v += 0.002f * u(rng);
    const Talk calm;
    AddTalk(x, 0.5, 19.5, calm, 1);
    AddTalk(x, 27, 37.5, calm, 2);
    AddTalk(x, 42, 60, calm, 3);
    const Talk excited{.gain = 0.12,
                       .pitch_lo_hz = 170,
                       .pitch_hi_hz = 260,
                       .syllable_lo_s = 0.10,
                       .syllable_hi_s = 0.22,
                       .gap_lo_s = 0.03,
                       .gap_hi_s = 0.08};
    AddTalk(x, 20, 26, excited, 4);
    AddSting(x, 38, 41, 0.15);
    AddBoom(x, 48, 0.5);
    features_ = new AudioFeatures(Analyse(x));
    vocal_ = new VocalExcitement(MeasureVocalExcitement(*features_));
  }
  static void TearDownTestSuite() {
    delete features_;
    delete vocal_;
  }
  static AudioFeatures* features_;
  static VocalExcitement* vocal_;
};
AudioFeatures* StreamedVoiceTest::features_ = nullptr;
VocalExcitement* StreamedVoiceTest::vocal_ = nullptr;

TEST_F(StreamedVoiceTest, EverySeriesOnTheVoiceGrid) {
  for (const TimeSeries* s : {&vocal_->voice_loudness_db, &vocal_->voice_pitch_st,
                              &vocal_->voice_range_st, &vocal_->speech_rate, &vocal_->excitement}) {
    EXPECT_EQ(s->step_ms, features_->voice.step_ms);
    EXPECT_EQ(s->values.size(), features_->voice.values.size());
  }
}

TEST_F(StreamedVoiceTest, ExcitedTalkRisesAboveTheStreamersOwnBaseline) {
  const VocalExcitement& v = *vocal_;
  std::printf("excitement: calm %.3f, excited %.3f, sting %.3f, boom %.3f\n",
              Mean(v.excitement, 2, 18), Mean(v.excitement, 21, 25), Max(v.excitement, 38, 41),
              Max(v.excitement, 47.5, 50));
  std::printf("excited: loudness +%.1f dB, pitch +%.1f st, rate +%.0f%%; calm rate +%.0f%%\n",
              Mean(v.voice_loudness_db, 21, 25), Mean(v.voice_pitch_st, 21, 25),
              100 * Mean(v.speech_rate, 21, 25), 100 * Mean(v.speech_rate, 2, 18));
  // Fewer harmonics at the higher pitch: the gain's 7.6 dB make about 4 dB of speech band.
  EXPECT_GT(Mean(v.voice_loudness_db, 21, 25), 2.0);
  EXPECT_GT(Mean(v.voice_pitch_st, 21, 25), 4.0);
  EXPECT_GT(Mean(v.speech_rate, 21, 25), Mean(v.speech_rate, 2, 18) + 0.1);
  EXPECT_GT(Mean(v.excitement, 21, 25), 0.5);
  EXPECT_LT(Mean(v.excitement, 2, 18), 0.15);
  EXPECT_GT(Mean(v.excitement, 21, 25), 4 * Mean(v.excitement, 2, 18));
}

TEST_F(StreamedVoiceTest, LoudGameSoundsAreNotVocalExcitement) {
  const VocalExcitement& v = *vocal_;
  const AudioFeatures& f = *features_;
  // Both are louder than the excited voice...
  EXPECT_GT(Mean(f.loudness_db, 38.5, 40.5), Mean(f.loudness_db, 21, 25));
  EXPECT_GT(Max(f.loudness_db, 48, 49), Mean(f.loudness_db, 21, 25));
  // ...yet neither reads as an excited voice: the held chord has no syllables, the boom no
  // voice (the calm talk over it stays calm).
  EXPECT_LT(Max(v.excitement, 38.5, 40.5), 0.15);
  EXPECT_LT(Max(v.excitement, 48, 50), 0.3);
  EXPECT_LT(Mean(v.excitement, 48, 50), 0.15);
}

TEST(VocalExcitement, BaselineFollowsTheStreamerNotAFixedPitch) {
  // Hand-made series: a low voice (100 Hz) for 2 minutes, then a high one (220 Hz) for 2
  // minutes; same level, same rate. Neither is excited against its own baseline, except the
  // switch itself.
  AudioFeatures f;
  const size_t n = 2400;
  for (TimeSeries* s : {&f.voice, &f.pitch_hz, &f.speech_level_db, &f.syllables}) {
    s->step_ms = 100;
    s->values.assign(n, 0.0);
  }
  for (size_t i = 0; i < n; ++i) {
    const bool talking = i % 40 < 30;  // 3 s of talk, 1 s pause
    f.voice.values[i] = talking ? 0.8 : 0.0;
    f.pitch_hz.values[i] = talking ? (i < n / 2 ? 100.0 : 220.0) * (1 + 0.05 * (i % 3)) : 0.0;
    f.speech_level_db.values[i] = talking ? -25.0 : -45.0;
    f.syllables.values[i] = talking && i % 2 == 0 ? 1.0 : 0.0;
  }
  const VocalExcitement v = MeasureVocalExcitement(f);
  EXPECT_LT(Mean(v.voice_pitch_st, 10, 100), 0.5);
  EXPECT_LT(Mean(v.voice_pitch_st, 140, 230), 0.5);
  EXPECT_LT(Max(v.excitement, 10, 100), 0.2);
  EXPECT_LT(Max(v.excitement, 140, 230), 0.2);
}

TEST(VocalExcitement, NoVoiceNoExcitement) {
  AudioFeatures f;
  f.voice.step_ms = 100;
  f.voice.values.assign(300, 0.0);
  f.loudness_db = f.voice;
  const VocalExcitement v = MeasureVocalExcitement(f);
  ASSERT_EQ(v.excitement.values.size(), 300u);
  EXPECT_EQ(*std::max_element(v.excitement.values.begin(), v.excitement.values.end()), 0.0);
  EXPECT_TRUE(MeasureVocalExcitement(AudioFeatures{}).excitement.values.empty());
}

TEST(VocalExcitement, PrintsCostOfAFourHourRecording) {
  // The real 60 s of features repeated to four hours: the cost is per window, not per sample.
  AudioFeatures f;
  for (TimeSeries* s : {&f.voice, &f.pitch_hz, &f.speech_level_db, &f.syllables}) s->step_ms = 100;
  std::mt19937 rng(9);
  std::uniform_real_distribution<double> u(0, 1);
  for (size_t i = 0; i < 4 * 36000; ++i) {
    const bool talking = u(rng) < 0.6;
    f.voice.values.push_back(talking ? 0.7 : 0.1);
    f.pitch_hz.values.push_back(talking ? 120 + 40 * u(rng) : 0);
    f.speech_level_db.values.push_back(talking ? -25 + 6 * u(rng) : -40);
    f.syllables.values.push_back(talking && u(rng) < 0.4 ? 1 : 0);
  }
  const auto start = std::chrono::steady_clock::now();
  const VocalExcitement v = MeasureVocalExcitement(f);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(v.excitement.values.size(), f.voice.values.size());
  std::printf("vocal excitement: 4 h of 100 ms windows in %.3f s\n", s);
}

}  // namespace
}  // namespace clipthat::analysis
