// AudioSynth: the non-speech sound of the sample stream, synthesized from the seed: quiet game
// audio (a chord loop, ambience, effects) and the crowd-like reactions of planted moments (cheer
// and laughter bursts). Mono float samples in [-1, 1]; positions are sample indices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sample/stream_plan.h"

namespace clipthat::sample {

// Game audio for one piece: music, ambience and effects for `look`, at about -28 dBFS RMS.
std::vector<float> SynthGameAudio(int look, std::uint64_t seed, std::size_t frames,
                                  int sample_rate_hz);

// A crowd cheer swelling from `start` to `peak` and fading by `end`, added to `mix`.
void AddCheer(std::vector<float>& mix, std::size_t start, std::size_t peak, std::size_t end,
              int sample_rate_hz, std::uint64_t seed, float gain);

// Bursts of "ha-ha-ha" (voiced pulses at ~5 Hz with falling pitch) between `start` and `end`.
void AddLaughter(std::vector<float>& mix, std::size_t start, std::size_t end, int sample_rate_hz,
                 std::uint64_t seed, float gain);

// A decoy's loud game sound (stream_plan.h), added to `mix` (the piece's samples) from
// decoy.start_ms to decoy.end_ms:
//   kExplosion  a noise crack, a low rumble and a sub thump decaying over the span, about
//               -10 dBFS RMS over its first second (louder than the streamer shouting);
//   kSting      a loud orchestral hit: a brass-like major chord (harmonic, 200-260 Hz root)
//               with a crash, held and released, about -12 dBFS RMS.
void AddDecoySound(std::vector<float>& mix, const DecoyScript& decoy, int sample_rate_hz,
                   std::uint64_t seed);

// mix[offset + i] += gain * src[i], clipped to the end of `mix`.
void AddAt(std::vector<float>& mix, const std::vector<float>& src, std::size_t offset, float gain);

// Root mean square of samples [begin, end).
double Rms(const std::vector<float>& samples, std::size_t begin, std::size_t end);

// Scales `samples` so their RMS is `target_rms` (silence stays silent).
void NormalizeRms(std::vector<float>& samples, double target_rms);

// Keeps every sample inside [-1, 1] with a gentle knee instead of hard clipping.
void SoftClip(std::vector<float>& samples);

}  // namespace clipthat::sample
