// Reaction delay: how far a stream's chat lags what happens on it, measured from the stream
// itself where the audio can tell.
//
// Viewers watch a few seconds behind the streamer (Twitch's latency: 2-15 s, more on low
// latency off or on a phone), then take a few seconds to type. The delay is the lag that best
// lines chat bursts up with the streamer's own vocal reactions: the cross-correlation of the
// two z-scored series (positive parts, one value a second) over lags min_lag_ms..max_lag_ms,
// taken at its maximum when that maximum is clear: at least min_correlation, and at least
// min_margin above the median correlation over all lags (a flat correlation, as from a
// stream with no shared reactions, tells nothing). Otherwise the estimate is empty and the
// caller keeps its default.
#pragma once

#include <optional>

#include "analysis/time_series.h"

namespace clipthat::analysis {

struct ReactionDelayOptions {
  TimeMs min_lag_ms = 0;
  TimeMs max_lag_ms = 20000;
  TimeMs step_ms = 1000;
  double min_correlation = 0.1;
  double min_margin = 0.05;
  // Only these many seconds of both series are compared (a 4-hour stream needs no more).
  TimeMs max_span_ms = 4 * 3600 * 1000;
};

struct ReactionDelayEstimate {
  TimeMs delay_ms = 0;
  double correlation = 0;  // at delay_ms
};

// `chat_z` and `audio_z`: z-scores on any grids (resampled to step_ms), both from time 0.
std::optional<ReactionDelayEstimate> EstimateReactionDelay(
    const TimeSeries& chat_z, const TimeSeries& audio_z, const ReactionDelayOptions& options = {});

}  // namespace clipthat::analysis
