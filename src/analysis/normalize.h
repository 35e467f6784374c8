// Robust z-score against a rolling baseline: how unusual each moment of a signal is compared
// with the stream around it, in a way that one loud game or a chat flood does not skew.
//
//   z(t) = (x(t) - median(window around t)) / spread(window around t)
//
// where spread is 1.4826 * MAD (the standard deviation for normal data). The baseline is
// measured every baseline_hop_ms over baseline_window_ms centred on that point and
// interpolated between, so a four-hour signal normalises in milliseconds.
//
// The spread never falls below min_spread (in the signal's unit) nor below
// global_spread_fraction of the whole signal's spread: after ten silent minutes the next
// sentence is not a thirty-sigma event.
#pragma once

#include "analysis/time_series.h"

namespace clipthat::analysis {

struct RobustZOptions {
  TimeMs baseline_window_ms = 300000;  // 5 minutes
  TimeMs baseline_hop_ms = 10000;
  double min_spread = 1.0;  // in the signal's unit (dB, messages per second)
  double global_spread_fraction = 0.5;
  double max_abs_z = 8.0;  // clamp, so one signal cannot drown the others
};

TimeSeries RobustZScore(const TimeSeries& in, const RobustZOptions& options = {});

}  // namespace clipthat::analysis
