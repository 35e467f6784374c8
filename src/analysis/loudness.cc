#include "analysis/loudness.h"

#include <algorithm>
#include <cmath>

namespace clipthat::analysis {

double MeanSquareToDb(double mean_square, double floor_db) {
  if (!(mean_square > 0)) return floor_db;
  return std::max(floor_db, 10.0 * std::log10(mean_square));
}

LoudnessMeter::LoudnessMeter(const LoudnessOptions& options) : options_(options) {
  options_.window_ms = std::max<TimeMs>(1, options_.window_ms);
  series_.step_ms = options_.window_ms;
}

void LoudnessMeter::Push(const media::AudioBuffer& chunk) {
  if (chunk.channels <= 0 || chunk.sample_rate_hz <= 0) return;
  if (sample_rate_hz_ == 0) {
    sample_rate_hz_ = chunk.sample_rate_hz;
    window_samples_ = std::max<std::int64_t>(1, sample_rate_hz_ * options_.window_ms / 1000);
  }
  const size_t frames = chunk.frame_count();
  const int ch = chunk.channels;
  const float* s = chunk.samples.data();
  for (size_t f = 0; f < frames; ++f) {
    double v;
    if (ch == 1) {
      v = s[f];
    } else {
      v = 0;
      for (int c = 0; c < ch; ++c) v += s[f * ch + c];
      v /= ch;
    }
    sum_squares_ += v * v;
    if (++in_window_ == window_samples_) CloseWindow();
  }
}

void LoudnessMeter::CloseWindow() {
  series_.values.push_back(
      MeanSquareToDb(sum_squares_ / static_cast<double>(in_window_), options_.floor_db));
  in_window_ = 0;
  sum_squares_ = 0;
}

TimeSeries LoudnessMeter::Finish() {
  if (in_window_ > 0) CloseWindow();
  TimeSeries out = std::move(series_);
  series_ = TimeSeries{options_.window_ms, {}};
  return out;
}

}  // namespace clipthat::analysis
