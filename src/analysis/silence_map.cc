#include "analysis/silence_map.h"

#include <algorithm>

namespace clipthat::analysis {

std::vector<TimeRange> FindSilences(const TimeSeries& loudness_db, const TimeSeries& voice,
                                    const SilenceMapOptions& options) {
  std::vector<TimeRange> out;
  const TimeMs step = std::max<TimeMs>(1, loudness_db.step_ms);
  const size_t n = loudness_db.values.size();
  if (n == 0) return out;
  const double rise_per_window = options.floor_rise_db_per_s * static_cast<double>(step) / 1000.0;
  // Starting low means a VOD that opens on steady game audio has no silence until the floor
  // has climbed to it, rather than every window of it counting as silence.
  double floor_db = options.absolute_silence_db;
  size_t run_start = 0;
  bool in_run = false;
  auto close_run = [&](size_t end) {
    const TimeMs start_ms = static_cast<TimeMs>(run_start) * step;
    const TimeMs end_ms = static_cast<TimeMs>(end) * step;
    if (end_ms - start_ms >= options.min_silence_ms) out.push_back({start_ms, end_ms});
    in_run = false;
  };
  for (size_t i = 0; i < n; ++i) {
    const double db = loudness_db.values[i];
    floor_db = std::min(db, floor_db + rise_per_window);
    const double v = i < voice.values.size() ? voice.values[i] : 0.0;
    const bool quiet = v <= options.max_voice && (db <= options.absolute_silence_db ||
                                                  db <= floor_db + options.floor_margin_db);
    if (quiet && !in_run) {
      run_start = i;
      in_run = true;
    } else if (!quiet && in_run) {
      close_run(i);
    }
  }
  if (in_run) close_run(n);
  return out;
}

}  // namespace clipthat::analysis
