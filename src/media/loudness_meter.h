// LoudnessMeter: integrated loudness (ITU-R BS.1770-4, EBU R128) and true peak of a stream of
// interleaved float audio, measured as it arrives without holding the audio.
//
//   LoudnessMeter meter(48000, 2);
//   while (...) meter.Add(chunk.samples);
//   LoudnessReading r = meter.Reading();
//   if (r.integrated_lufs) ... *r.integrated_lufs, r.true_peak_dbtp ...
//
// How, per BS.1770-4:
//   - each channel is K-weighted: a high-shelf pre-filter (+4 dB above ~1.7 kHz, the head's
//     effect) then the RLB high-pass (~38 Hz), two biquads whose coefficients are derived for
//     the stream's own sample rate from the standard's analogue prototypes (at 48 kHz they are
//     the standard's tabulated ones);
//   - mean squares over 400 ms blocks starting every 100 ms (75% overlap), summed over
//     channels with weights 1.0, except 5.1 (6 channels in FFmpeg's order L R C LFE Ls Rs):
//     LFE 0 and the surrounds 1.41; loudness of a block = -0.691 + 10 log10(weighted sum);
//   - integrated loudness: the mean of the blocks above the absolute gate (-70 LUFS), then of
//     those also above the relative gate (that mean's loudness - 10 LU).
// Only whole 400 ms blocks count, so a stream shorter than 400 ms has no integrated loudness;
// nor does one whose blocks are all below -70 LUFS (silence, near-silence).
//
// A 997 Hz sine at -23 dBFS peak on both channels of a stereo stream reads -23.0 LUFS; the
// same sine on a mono stream reads -26.0 LUFS (one channel carries half the power).
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "media/true_peak_meter.h"

namespace clipthat::media {

struct LoudnessReading {
  // Gated integrated loudness in LUFS; nullopt when no 400 ms block is above -70 LUFS
  // (silence, or under 400 ms of audio).
  std::optional<double> integrated_lufs;
  double true_peak_dbtp = 0;    // 4x oversampled peak over all channels; -inf for silence
  double sample_peak_dbfs = 0;  // largest |sample|; -inf for silence
  long long frames = 0;         // sample frames measured
};

class LoudnessMeter {
 public:
  static constexpr double kAbsoluteGateLufs = -70.0;
  static constexpr double kRelativeGateLu = -10.0;

  // sample_rate_hz >= 8000 (the filters' prototypes need headroom above 1.7 kHz), channels >= 1.
  LoudnessMeter(int sample_rate_hz, int channels);

  // The next samples of the stream: interleaved, a whole number of frames (a trailing partial
  // frame is ignored).
  void Add(std::span<const float> interleaved);

  // The reading of everything added so far (cheap; may be called at any time).
  LoudnessReading Reading() const;

 private:
  struct Biquad {
    double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
  };
  struct ChannelState {
    double weight = 1.0;
    double z1[2] = {0, 0}, z2[2] = {0, 0};  // per stage, direct form II transposed
  };

  int channels_;
  Biquad stages_[2];  // K-weighting: pre-filter, RLB high-pass
  std::vector<ChannelState> state_;
  long long step_frames_;            // 100 ms
  long long in_step_ = 0;            // frames in the current 100 ms step
  double step_energy_ = 0;           // weighted sum of squares of the current step
  std::vector<double> steps_;        // the last (up to) 3 finished steps' energy
  std::vector<double> block_power_;  // weighted mean square of every whole 400 ms block
  long long frames_ = 0;
  TruePeakMeter peak_;
};

// -0.691 + 10 log10(power): BS.1770's loudness of a weighted mean square.
double PowerToLufs(double power);

}  // namespace clipthat::media
