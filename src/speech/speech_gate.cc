#include "speech/speech_gate.h"

#include <cmath>
#include <vector>

namespace clipthat::speech {

double LowEnergyFrameRatio(const float* samples, std::size_t count) {
  constexpr std::size_t kFrame = 320;  // 20 ms at 16 kHz
  const std::size_t frames = count / kFrame;
  if (frames == 0) return 0.0;
  std::vector<double> energy(frames, 0.0);
  double total = 0;
  for (std::size_t f = 0; f < frames; ++f) {
    for (std::size_t i = f * kFrame; i < (f + 1) * kFrame; ++i) {
      energy[f] += static_cast<double>(samples[i]) * samples[i];
    }
    total += energy[f];
  }
  const double half_mean = 0.5 * total / static_cast<double>(frames);
  if (!(half_mean > 0)) return 0.0;
  std::size_t low = 0;
  for (double e : energy) low += e < half_mean ? 1 : 0;
  return static_cast<double>(low) / static_cast<double>(frames);
}

double Rms(const float* samples, std::size_t count) {
  if (count == 0) return 0.0;
  double e = 0;
  for (std::size_t i = 0; i < count; ++i) e += static_cast<double>(samples[i]) * samples[i];
  return std::sqrt(e / static_cast<double>(count));
}

bool SoundsLikeSpeech(const float* samples, std::size_t count, const SpeechGateOptions& options) {
  return Rms(samples, count) >= options.min_rms &&
         LowEnergyFrameRatio(samples, count) >= options.min_low_energy_ratio;
}

}  // namespace clipthat::speech
