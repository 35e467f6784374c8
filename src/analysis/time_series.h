// TimeSeries: a signal sampled on a uniform grid from time 0 (loudness per 100 ms, chat
// messages per second, the fused interest curve), and the resampling helpers the analysis
// uses to bring signals onto one grid.
#pragma once

#include <vector>

#include "core/time_units.h"

namespace clipthat::analysis {

struct TimeSeries {
  TimeMs step_ms = 1000;       // values[i] covers [i * step_ms, (i + 1) * step_ms)
  std::vector<double> values;  // in the signal's own unit (dB, messages per second, z)

  TimeMs duration_ms() const { return step_ms * static_cast<TimeMs>(values.size()); }
  // Index of the bin holding `t_ms`, clamped to the series (0 for an empty series).
  size_t IndexAt(TimeMs t_ms) const;
};

// Averages `in` onto a grid of `step_ms` covering [0, duration_ms): each new bin is the
// overlap-weighted mean of the old bins it covers. Bins past the end of `in` repeat its last
// value (0 for an empty series).
TimeSeries ResampleMean(const TimeSeries& in, TimeMs step_ms, TimeMs duration_ms);

// Centred moving average over about `window_ms` (at least one bin); edges average what exists.
TimeSeries MovingAverage(const TimeSeries& in, TimeMs window_ms);

// out(t) = in(t + delay_ms): moves a reaction that lags its cause back onto the cause. The
// freed tail holds the series' mean (neither a fake burst nor a fake lull). Delays are rounded
// to whole bins.
TimeSeries ShiftEarlier(const TimeSeries& in, TimeMs delay_ms);

}  // namespace clipthat::analysis
