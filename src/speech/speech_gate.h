// SpeechGate: is there a voice in this audio at all? A cheap test that keeps recognizers from
// hearing words in silence, game audio or music ("dog dog" in a muted stretch).
//
// Speech comes in syllables: its energy, measured in 20 ms frames, keeps dropping well below
// its own mean between syllables and words, while music, game ambience and noise fill the
// gaps. The share of frames quieter than half the mean energy of a one-second window (the
// "low-energy frame ratio") separates them: measured on 12 minutes of generated talk over
// game audio (bench/talk_track), one-second windows of speech have a ratio of 0.56 (median;
// 10% are under 0.48), game audio alone 0.02 (90% are under 0.12), a synthetic chord-and-drum
// loop 0.08. Digital silence has no energy to compare and counts as no speech, as does audio
// under a level floor.
#pragma once

#include <cstddef>

namespace clipthat::speech {

struct SpeechGateOptions {
  double min_low_energy_ratio = 0.25;  // speech above, music and game audio below
  double min_rms = 0.002;              // about -54 dBFS: quieter is silence, whatever its shape
};

// The low-energy frame ratio of samples [0, count) (16 kHz): the share of 20 ms frames whose
// energy is under half the mean frame energy. 0 for silence or under one frame.
double LowEnergyFrameRatio(const float* samples, std::size_t count);

// Root mean square of samples [0, count); 0 when empty.
double Rms(const float* samples, std::size_t count);

// True when the audio is loud enough and shaped like speech (about a second is best).
bool SoundsLikeSpeech(const float* samples, std::size_t count,
                      const SpeechGateOptions& options = {});

}  // namespace clipthat::speech
