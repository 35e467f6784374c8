#include "speech/speech_gate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "media/audio_decoder.h"

namespace clipthat::speech {
namespace {

constexpr double kPi2 = 6.283185307179586;

std::vector<float> Tone(double seconds, double hz, double amplitude) {
  std::vector<float> out(static_cast<std::size_t>(seconds * 16000));
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<float>(amplitude * std::sin(kPi2 * hz * static_cast<double>(i) / 16000));
  }
  return out;
}

TEST(SpeechGate, SilenceNoiseAndMusicAreNotSpeech) {
  const std::vector<float> silence(16000, 0.0f);
  EXPECT_FALSE(SoundsLikeSpeech(silence.data(), silence.size()));
  EXPECT_DOUBLE_EQ(LowEnergyFrameRatio(silence.data(), silence.size()), 0.0);

  std::mt19937 rng(5);
  std::normal_distribution<float> gauss(0.0f, 0.05f);
  std::vector<float> noise(16000);
  for (float& s : noise) s = gauss(rng);
  EXPECT_FALSE(SoundsLikeSpeech(noise.data(), noise.size()));

  // A held chord with an arpeggio over it: music fills every frame.
  std::vector<float> music = Tone(1.0, 220, 0.1);
  for (std::size_t i = 0; i < music.size(); ++i) {
    const double t = static_cast<double>(i) / 16000;
    music[i] +=
        static_cast<float>(0.08 * std::sin(kPi2 * 277 * t) + 0.06 * std::sin(kPi2 * 330 * t) +
                           0.05 * std::sin(kPi2 * (440 + 110 * (static_cast<int>(t * 8) % 3)) * t));
  }
  EXPECT_FALSE(SoundsLikeSpeech(music.data(), music.size()));

  // Too quiet to be anyone talking, whatever its shape.
  std::vector<float> whisper = Tone(1.0, 150, 0.001);
  for (std::size_t i = 0; i < whisper.size(); i += 4000) {
    std::fill(whisper.begin() + static_cast<std::ptrdiff_t>(i),
              whisper.begin() + static_cast<std::ptrdiff_t>(i + 1600), 0.0f);
  }
  EXPECT_FALSE(SoundsLikeSpeech(whisper.data(), whisper.size()));
}

TEST(SpeechGate, RealSpeechIsSpeech) {
  // A librivox sentence (pocketsphinx-testdata): most of its seconds sound like speech.
  auto dec = media::AudioDecoder::Open(
      "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav",
      {.sample_rate_hz = 16000, .channels = 1, .chunk_ms = 1000});
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  media::AudioBuffer chunk;
  int seconds = 0, speech = 0;
  while (true) {
    auto more = dec->Next(&chunk);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    if (chunk.samples.size() < 16000) continue;
    ++seconds;
    speech += SoundsLikeSpeech(chunk.samples.data(), chunk.samples.size()) ? 1 : 0;
    std::printf("second %d: low-energy frame ratio %.2f, rms %.4f\n", seconds,
                LowEnergyFrameRatio(chunk.samples.data(), chunk.samples.size()),
                Rms(chunk.samples.data(), chunk.samples.size()));
  }
  ASSERT_GT(seconds, 0);
  EXPECT_GE(speech * 4, seconds * 3);  // at least three seconds in four
}

}  // namespace
}  // namespace clipthat::speech
