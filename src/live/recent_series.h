// RecentSeries: a time series of the last minutes of a live stream, on a fixed grid of
// bin_ms, forgetting bins older than keep_ms behind the newest. The live session keeps two:
// the audio level (dBFS per bin) and the chat activity (messages per bin); clip windows are
// chosen from them (clip_window.h).
//
//   RecentSeries level({.bin_ms = 250, .keep_ms = 600000, .empty_value = -90});
//   level.Set(at_ms, dbfs);            // or Add(at_ms, 1) to count
//   double v = level.At(at_ms);        // empty_value outside what is kept
#pragma once

#include <cstdint>
#include <deque>

#include "core/time_units.h"

namespace clipthat::live {

struct RecentSeriesOptions {
  TimeMs bin_ms = 250;
  TimeMs keep_ms = 600000;
  double empty_value = 0;  // bins nothing was written to, and times outside the kept span
};

class RecentSeries {
 public:
  explicit RecentSeries(const RecentSeriesOptions& options = {});

  // Writes into the bin holding at_ms (negative times are ignored). A time older than what is
  // kept is ignored; a newer one extends the series (bins in between hold empty_value) and
  // forgets what falls out of keep_ms.
  void Set(TimeMs at_ms, double value);
  void Add(TimeMs at_ms, double value);

  double At(TimeMs at_ms) const;
  // Start of the oldest kept bin and end of the newest (both 0 when empty).
  TimeMs begin_ms() const;
  TimeMs end_ms() const;
  TimeMs bin_ms() const { return options_.bin_ms; }

 private:
  double* Bin(TimeMs at_ms);  // null when too old

  RecentSeriesOptions options_;
  std::int64_t first_bin_ = 0;  // index of values_.front()
  std::deque<double> values_;
};

}  // namespace clipthat::live
