// Speech from the espeak-ng command-line tool: each line is spoken into a WAV file by a child
// process started with posix_spawn (argv, no shell), then read back as float samples.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace clipthat::sample {

struct VoiceParams {
  std::string voice = "en-us";
  int words_per_minute = 165;  // espeak-ng -s
  int pitch = 45;              // espeak-ng -p, 0..99
  int amplitude = 100;         // espeak-ng -a, 0..200
};

// Speaks `text` and returns mono samples in [-1, 1] at `sample_rate_hz`. `work_dir` holds the
// temporary WAV. Errors: NotFound when espeak-ng is missing, IoError when it fails, DataError
// when its output is not a 16-bit PCM WAV.
Result<std::vector<float>> Speak(const std::string& text, const VoiceParams& voice,
                                 int sample_rate_hz, const std::filesystem::path& work_dir);

// Parses a RIFF/WAVE file of 16-bit PCM and returns its first channel and rate.
Result<std::vector<float>> ReadWav16(const std::filesystem::path& path, int* sample_rate_hz);

// Linear-interpolation resampling; good enough for speech mixed under game audio.
std::vector<float> Resample(const std::vector<float>& in, int from_hz, int to_hz);

}  // namespace clipthat::sample
