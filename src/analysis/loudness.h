// LoudnessMeter: RMS level per short window (default 100 ms) in dBFS, computed as audio
// streams past, so a four-hour VOD never sits in memory.
//
//   LoudnessMeter meter;
//   while (decoder.Next(&chunk)) meter.Push(chunk);
//   TimeSeries loudness_db = meter.Finish();
//
// Windows are cut by sample count from the first pushed sample (chunks must be contiguous,
// as AudioDecoder's are). Multi-channel audio is averaged to mono first. A full-scale sine
// reads -3 dB; silence reads floor_db.
#pragma once

#include <cstdint>

#include "analysis/time_series.h"
#include "media/frame.h"

namespace clipthat::analysis {

struct LoudnessOptions {
  TimeMs window_ms = 100;
  // Digital silence and near-silence read as this, so quiet stretches do not stretch the
  // signal's range down to -infinity.
  double floor_db = -60.0;
};

class LoudnessMeter {
 public:
  explicit LoudnessMeter(const LoudnessOptions& options = {});

  // Adds a chunk. All chunks must share one sample rate (the first chunk's).
  void Push(const media::AudioBuffer& chunk);
  // Closes the last, partial window and returns the series (step = window_ms).
  TimeSeries Finish();

 private:
  void CloseWindow();

  LoudnessOptions options_;
  int sample_rate_hz_ = 0;
  std::int64_t window_samples_ = 0;
  std::int64_t in_window_ = 0;
  double sum_squares_ = 0;
  TimeSeries series_;
};

// dBFS of a mean square value, floored at floor_db.
double MeanSquareToDb(double mean_square, double floor_db);

}  // namespace clipthat::analysis
