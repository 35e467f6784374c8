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

// Count z-score: for signals that count people or events in a window (distinct chatters in
// 20 s, viewers reacting), where the noise grows with the level, as counts do:
//
//   z(t) = (x(t) - m(t)) / sqrt(m(t) + variance_floor)
//
// m(t) is the rolling median over baseline_window_ms (an hour: long enough that a long hype
// stretch does not become its own baseline, short enough to follow a stream that grows from
// fifty viewers to five thousand). Unlike the robust z, strong peaks are not clamped: the
// order among them is what ranks a busy stream's moments. Above soft_limit_z the value is
// compressed, z' = L + L * ln(1 + (z - L) / L), which keeps the order but lets another signal
// still count next to a chat peak of z 30.
struct CountZOptions {
  TimeMs baseline_window_ms = 3600000;  // 1 hour
  TimeMs baseline_hop_ms = 30000;
  double variance_floor = 5.0;  // in counts; a quiet chat's 0 -> 3 is not a 30-sigma event
  double soft_limit_z = 8.0;    // <= 0: no compression
};

TimeSeries CountZScore(const TimeSeries& in, const CountZOptions& options = {});

// The compression CountZScore applies above `limit` (identity at or below it).
double SoftLimit(double z, double limit);

}  // namespace clipthat::analysis
