// TruePeakMeter: the true peak of interleaved float audio as ITU-R BS.1770-4 Annex 2 defines
// it: the largest absolute value of the signal oversampled 4x, in dBTP (dB relative to full
// scale, 1.0). A digital signal can swing higher between its samples than at them (a sine at
// a quarter of the sample rate sampled 45 degrees off its crest reads 3 dB low at the samples);
// a DAC or a lossy encoder reconstructs those inter-sample peaks, so a ceiling on sample peaks
// alone lets the played-back signal clip.
//
//   TruePeakMeter meter(2);  // channels
//   meter.Add(chunk.samples);  // as many chunks as needed, in order
//   double dbtp = meter.true_peak_dbtp();
//
// The interpolator is a polyphase FIR: a Kaiser-windowed sinc of 4 x 16 taps cut off at the
// input's Nyquist frequency; sines up to 0.38 x the sample rate (18 kHz at 48 kHz) read
// within 0.15 dB of their analogue peak, whatever their phase. The same filter serves
// every sample rate (it is defined relative to it). The reading is never below the sample peak.
// Before its first sample the stream is taken to hold that sample's value (no ringing from a step
// out of silence that is not in the source).
#pragma once

#include <array>
#include <span>
#include <vector>

namespace clipthat::media {

class TruePeakMeter {
 public:
  static constexpr int kOversampling = 4;
  static constexpr int kTapsPerPhase = 16;

  // `channels` >= 1; samples are interleaved, frames * channels values.
  explicit TruePeakMeter(int channels);

  // The next samples of the stream (a whole number of frames; a trailing partial frame is
  // ignored).
  void Add(std::span<const float> interleaved);

  // Largest oversampled |sample| so far, linear (1.0 = full scale); 0 before any sound.
  double true_peak() const { return true_peak_; }
  // The same in dBTP; -infinity for digital silence.
  double true_peak_dbtp() const;
  // Largest |sample| so far, in dBFS; -infinity for digital silence.
  double sample_peak_dbfs() const;

 private:
  int channels_;
  // coefficients_[p] holds phase p's taps, oldest input sample first.
  std::array<std::array<float, kTapsPerPhase>, kOversampling> coefficients_{};
  std::vector<std::vector<float>> history_;  // per channel: the last kTapsPerPhase - 1 inputs
  std::vector<float> work_;                  // one channel's history + new samples
  bool started_ = false;
  double true_peak_ = 0;
  double sample_peak_ = 0;
};

// 20 log10(linear); -infinity for 0.
double AmplitudeToDb(double linear);
// 10^(db / 20).
double DbToAmplitude(double db);

}  // namespace clipthat::media
