#include "sample/audio_synth.h"

#include <algorithm>
#include <cmath>

#include "sample/rng.h"

namespace clipthat::sample {
namespace {

constexpr double kTwoPi = 2 * M_PI;
constexpr double kGameRms = 0.04;  // about -28 dBFS: under the streamer's voice

double NoteHz(double base_hz, int semitones) { return base_hz * std::pow(2.0, semitones / 12.0); }

// One-pole low-pass state, for noise colouring.
struct OnePole {
  double a = 0, y = 0;
  OnePole(double cutoff_hz, int rate) : a(1 - std::exp(-kTwoPi * cutoff_hz / rate)) {}
  double operator()(double x) { return y += a * (x - y); }
};

void AddEffect(std::vector<float>& out, std::size_t at, int kind, int rate, Rng& rng) {
  std::size_t len = static_cast<std::size_t>(rate * (kind == 1 ? 0.35 : 0.12));
  OnePole lp(400, rate);
  double phase = 0;
  for (std::size_t i = 0; i < len && at + i < out.size(); ++i) {
    double t = static_cast<double>(i) / len;
    double v = 0;
    if (kind == 0) {  // blip: quick upward sweep
      phase += kTwoPi * (600 + 900 * t) / rate;
      v = 0.5 * std::sin(phase) * (1 - t);
    } else if (kind == 1) {  // boom: low noise burst
      v = 2.5 * lp(rng.Uniform(-1, 1)) * std::exp(-5 * t);
    } else {  // laser: falling sweep
      phase += kTwoPi * (1800 - 1500 * t) / rate;
      v = 0.4 * (std::sin(phase) > 0 ? 1 : -1) * (1 - t);
    }
    out[at + i] += static_cast<float>(v);
  }
}

}  // namespace

std::vector<float> SynthGameAudio(int look, std::uint64_t seed, std::size_t frames, int rate) {
  Rng rng = Rng(seed).Fork("game-audio");
  std::vector<float> out(frames);
  static const int kChords[][3] = {{0, 4, 7}, {7, 11, 14}, {9, 12, 16}, {5, 9, 12}};
  const double base_hz = NoteHz(110, look * 2 + static_cast<int>(rng.Int(0, 3)));
  const double beat_s = 60.0 / static_cast<double>(rng.Int(96, 140));
  OnePole ambience_lp(300 + 200 * look, rate);
  for (std::size_t i = 0; i < frames; ++i) {
    double t = static_cast<double>(i) / rate;
    int beat = static_cast<int>(t / beat_s);
    double in_beat = t / beat_s - beat;
    const int* chord = kChords[(beat / 4) % 4];
    double bass = std::sin(kTwoPi * NoteHz(base_hz / 2, chord[0]) * t) * std::exp(-3 * in_beat);
    double pad = 0;
    for (int k = 0; k < 3; ++k) pad += std::sin(kTwoPi * NoteHz(base_hz, chord[k]) * t);
    int eighth = static_cast<int>(t / (beat_s / 2));
    double in_eighth = t / (beat_s / 2) - eighth;
    double arp_hz = NoteHz(base_hz * 2, chord[eighth % 3]);
    double arp = (std::sin(kTwoPi * arp_hz * t) + std::sin(3 * kTwoPi * arp_hz * t) / 3) *
                 std::exp(-6 * in_eighth);
    double ambience = ambience_lp(rng.Uniform(-1, 1));
    out[i] = static_cast<float>(0.5 * bass + 0.12 * pad + 0.25 * arp + 0.8 * ambience);
  }
  double t_s = rng.Uniform(0.5, 2.0);
  while (t_s * rate < frames) {
    AddEffect(out, static_cast<std::size_t>(t_s * rate), static_cast<int>(rng.Int(0, 2)), rate,
              rng);
    t_s += rng.Uniform(1.0, 4.0);
  }
  NormalizeRms(out, kGameRms);
  return out;
}

void AddCheer(std::vector<float>& mix, std::size_t start, std::size_t peak, std::size_t end,
              int rate, std::uint64_t seed, float gain) {
  Rng rng = Rng(seed).Fork("cheer");
  end = std::min(end, mix.size());
  if (start >= end) return;
  peak = std::clamp(peak, start + 1, end);
  OnePole low(3000, rate), high(300, rate);
  double am_hz[4], am_phase[4];
  for (int k = 0; k < 4; ++k) {
    am_hz[k] = rng.Uniform(2.5, 7.0);
    am_phase[k] = rng.Uniform(0, kTwoPi);
  }
  for (std::size_t i = start; i < end; ++i) {
    double env = i < peak ? static_cast<double>(i - start) / (peak - start)
                          : std::exp(-3.0 * (i - peak) / std::max<std::size_t>(1, end - peak));
    double t = static_cast<double>(i) / rate;
    double am = 0;
    for (int k = 0; k < 4; ++k)
      am += 0.25 * (0.5 + 0.5 * std::sin(kTwoPi * am_hz[k] * t + am_phase[k]));
    double x = rng.Uniform(-1, 1);
    double lowered = low(x);
    double band = lowered - high(lowered);  // roughly 300 Hz .. 3 kHz: crowd voices
    mix[i] += static_cast<float>(gain * 2.2 * band * env * (0.5 + 0.5 * am));
  }
}

void AddLaughter(std::vector<float>& mix, std::size_t start, std::size_t end, int rate,
                 std::uint64_t seed, float gain) {
  Rng rng = Rng(seed).Fork("laughter");
  end = std::min(end, mix.size());
  std::size_t at = start;
  while (at < end) {
    int pulses = static_cast<int>(rng.Int(5, 8));
    double pulse_s = 1.0 / rng.Uniform(4.5, 5.5);
    double f0_start = rng.Uniform(260, 330);
    for (int p = 0; p < pulses; ++p) {
      double f0 = f0_start * (1 - 0.04 * p);
      std::size_t len = static_cast<std::size_t>(pulse_s * 0.6 * rate);
      std::size_t p0 = at + static_cast<std::size_t>(p * pulse_s * rate);
      for (std::size_t i = 0; i < len && p0 + i < end; ++i) {
        double t = static_cast<double>(i) / rate;
        double env = std::min(1.0, t / 0.01) * std::exp(-t / (pulse_s * 0.25));
        double v = 0;
        for (int k = 1; k <= 12; ++k) {  // harmonics shaped like an "ah" vowel
          double hz = k * f0;
          double formant = 1 + 2 * std::exp(-std::pow((hz - 800) / 200, 2)) +
                           1.5 * std::exp(-std::pow((hz - 1200) / 250, 2));
          v += formant / k * std::sin(kTwoPi * hz * t);
        }
        v = 0.25 * v + 0.15 * rng.Uniform(-1, 1);  // breath
        mix[p0 + i] += static_cast<float>(gain * v * env);
      }
    }
    at += static_cast<std::size_t>((pulses * pulse_s + rng.Uniform(0.3, 0.9)) * rate);
  }
}

void AddDecoySound(std::vector<float>& mix, const DecoyScript& decoy, int rate,
                   std::uint64_t seed) {
  Rng rng = Rng(seed).Fork("decoy");
  const auto at = static_cast<std::size_t>(decoy.start_ms) * rate / 1000;
  const auto len =
      static_cast<std::size_t>(std::max<TimeMs>(1, decoy.end_ms - decoy.start_ms)) * rate / 1000;
  std::vector<float> sound(len, 0.0f);
  double target_rms = 0;
  if (decoy.sound == DecoySound::kExplosion) {
    OnePole low1(250, rate), low2(250, rate), crackle_lp(2500, rate);
    double thump_phase = 0;
    const double span_s = static_cast<double>(len) / rate;
    for (std::size_t i = 0; i < len; ++i) {
      const double t = static_cast<double>(i) / rate;
      const double crack = rng.Uniform(-1, 1) * std::exp(-t / 0.04);
      const double rumble = 4.0 * low2(low1(rng.Uniform(-1, 1))) * std::exp(-t / (0.35 * span_s));
      thump_phase += kTwoPi * (35 + 25 * std::exp(-t / 0.15)) / rate;
      const double thump = std::sin(thump_phase) * std::exp(-t / 0.4);
      // Debris: sparse clicks through the tail.
      const double debris =
          rng.Chance(30.0 / rate) ? crackle_lp(rng.Uniform(-1, 1)) * 8 : crackle_lp(0.0);
      sound[i] = static_cast<float>(crack + rumble + thump + 0.3 * debris * std::exp(-t / 1.0));
    }
    target_rms = 0.32;
  } else {
    const double root_hz = NoteHz(196, static_cast<int>(rng.Int(0, 5)));
    const int chord[] = {0, 4, 7, 12};
    OnePole crash_lp(6000, rate), crash_low(2000, rate);
    const double hold_s = static_cast<double>(len) / rate - 0.8;
    for (std::size_t i = 0; i < len; ++i) {
      const double t = static_cast<double>(i) / rate;
      const double env =
          std::min(1.0, t / 0.06) *
          (t < hold_s ? 1.0 - 0.15 * t / hold_s : 0.85 * std::exp(-(t - hold_s) / 0.25));
      double brass = 0;
      for (int n : chord) {
        const double hz = NoteHz(root_hz, n);
        for (int k = 1; k <= 10 && k * hz < 6000; ++k) brass += std::sin(kTwoPi * k * hz * t) / k;
      }
      const double x = crash_lp(rng.Uniform(-1, 1));
      const double crash = (x - crash_low(x)) * std::exp(-t / 0.5);
      sound[i] = static_cast<float>(env * brass + 3.0 * crash);
    }
    target_rms = 0.25;
  }
  // The level over the first second is what a listener hears as "loud".
  const double head = Rms(sound, 0, std::min<std::size_t>(len, rate));
  if (head > 1e-9) {
    const auto k = static_cast<float>(target_rms / head);
    for (float& v : sound) v *= k;
  }
  AddAt(mix, sound, at, 1.0f);
}

void AddAt(std::vector<float>& mix, const std::vector<float>& src, std::size_t offset, float gain) {
  for (std::size_t i = 0; i < src.size() && offset + i < mix.size(); ++i) {
    mix[offset + i] += gain * src[i];
  }
}

double Rms(const std::vector<float>& samples, std::size_t begin, std::size_t end) {
  end = std::min(end, samples.size());
  if (begin >= end) return 0;
  double sum = 0;
  for (std::size_t i = begin; i < end; ++i) sum += static_cast<double>(samples[i]) * samples[i];
  return std::sqrt(sum / (end - begin));
}

void NormalizeRms(std::vector<float>& samples, double target_rms) {
  double rms = Rms(samples, 0, samples.size());
  if (rms < 1e-9) return;
  float k = static_cast<float>(target_rms / rms);
  for (float& s : samples) s *= k;
}

void SoftClip(std::vector<float>& samples) {
  for (float& s : samples) {
    if (std::abs(s) > 0.8f)
      s = std::copysign(0.8f + 0.2f * std::tanh((std::abs(s) - 0.8f) / 0.2f), s);
  }
}

}  // namespace clipthat::sample
