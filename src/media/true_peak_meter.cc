#include "media/true_peak_meter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace clipthat::media {
namespace {

// Kaiser window shape: about 70 dB of image rejection with 64 taps.
constexpr double kKaiserBeta = 7.0;

double Sinc(double x) {
  if (std::abs(x) < 1e-12) return 1.0;
  return std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
}

}  // namespace

TruePeakMeter::TruePeakMeter(int channels)
    : channels_(std::max(1, channels)),
      history_(static_cast<std::size_t>(channels_), std::vector<float>(kTapsPerPhase - 1, 0.0f)) {
  // Prototype low-pass at the input's Nyquist frequency on the 4x grid, phase-split.
  // Symmetric about tap 32, so the 4x grid lands on the input samples and on exact quarter
  // points between them (tap 64, which would close the symmetry, is a zero of the sinc).
  constexpr int kTaps = kOversampling * kTapsPerPhase;
  const double centre = kTaps / 2.0;
  const double norm = std::cyl_bessel_i(0.0, kKaiserBeta);
  std::array<double, kTaps> h{};
  for (int k = 0; k < kTaps; ++k) {
    const double r = (k - centre) / centre;
    const double window = std::cyl_bessel_i(0.0, kKaiserBeta * std::sqrt(1.0 - r * r)) / norm;
    h[k] = Sinc((k - centre) / kOversampling) * window;
  }
  for (int p = 0; p < kOversampling; ++p) {
    // Output p of input n is sum_j h[j * 4 + p] x[n - j]; each phase passes DC unchanged.
    double sum = 0;
    for (int j = 0; j < kTapsPerPhase; ++j) sum += h[j * kOversampling + p];
    for (int j = 0; j < kTapsPerPhase; ++j) {
      coefficients_[p][kTapsPerPhase - 1 - j] = static_cast<float>(h[j * kOversampling + p] / sum);
    }
  }
}

void TruePeakMeter::Add(std::span<const float> interleaved) {
  const std::size_t frames = interleaved.size() / static_cast<std::size_t>(channels_);
  if (frames == 0) return;
  constexpr std::size_t kKeep = kTapsPerPhase - 1;
  for (int c = 0; c < channels_; ++c) {
    std::vector<float>& history = history_[c];
    // Before its first sample the stream is taken to hold that value, so the meter does not
    // read the ringing of a step from silence that the source never had.
    if (!started_) history.assign(kKeep, interleaved[c]);
    work_.assign(history.begin(), history.end());
    work_.reserve(kKeep + frames);
    float sample_peak = 0;
    for (std::size_t i = 0; i < frames; ++i) {
      const float x = interleaved[i * channels_ + c];
      work_.push_back(x);
      sample_peak = std::max(sample_peak, std::abs(x));
    }
    float peak = sample_peak;
    for (std::size_t n = 0; n < frames; ++n) {
      const float* x = &work_[n];  // the kTapsPerPhase inputs ending at this one
      for (const auto& phase : coefficients_) {
        float s = 0;
        for (int j = 0; j < kTapsPerPhase; ++j) s += phase[j] * x[j];
        peak = std::max(peak, std::abs(s));
      }
    }
    history.assign(work_.end() - kKeep, work_.end());
    true_peak_ = std::max(true_peak_, static_cast<double>(peak));
    sample_peak_ = std::max(sample_peak_, static_cast<double>(sample_peak));
  }
  started_ = true;
}

double TruePeakMeter::true_peak_dbtp() const { return AmplitudeToDb(true_peak_); }

double TruePeakMeter::sample_peak_dbfs() const { return AmplitudeToDb(sample_peak_); }

double AmplitudeToDb(double linear) {
  if (linear <= 0) return -std::numeric_limits<double>::infinity();
  return 20.0 * std::log10(linear);
}

double DbToAmplitude(double db) { return std::pow(10.0, db / 20.0); }

}  // namespace clipthat::media
