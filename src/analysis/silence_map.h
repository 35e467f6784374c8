// Silence map: the stretches of a VOD where nobody speaks and the level is low, for snapping
// clip starts and ends so a clip never opens or closes mid-word.
//
// Real streams are rarely digitally silent: game music and ambience run under the talk. So a
// window counts as quiet when it has no voice and its level is either below an absolute
// threshold or within a margin of the running noise floor (the floor follows the level down
// at once and creeps up slowly, so steady game audio becomes the floor and pauses in speech
// over it count as silence).
#pragma once

#include <vector>

#include "analysis/moment.h"
#include "analysis/time_series.h"

namespace clipthat::analysis {

struct SilenceMapOptions {
  TimeMs min_silence_ms = 300;
  double absolute_silence_db = -50.0;  // dBFS; quieter is silence whatever the floor
  double floor_margin_db = 6.0;        // within this of the noise floor counts as quiet
  double floor_rise_db_per_s = 1.0;    // how fast the floor follows a rising level
  double max_voice = 0.2;              // voice (0..1) above this is never silence
};

// Runs of quiet windows of at least min_silence_ms, in time order, as [start_ms, end_ms) on
// loudness_db's grid. `voice` must share the grid (missing values count as no voice).
std::vector<TimeRange> FindSilences(const TimeSeries& loudness_db, const TimeSeries& voice,
                                    const SilenceMapOptions& options = {});

}  // namespace clipthat::analysis
