#include "media/loudness_gain.h"

#include <cmath>

namespace clipthat::media {

std::string_view GainLimitName(GainLimit limit) {
  switch (limit) {
    case GainLimit::kNone: return "none";
    case GainLimit::kTruePeak: return "true_peak";
    case GainLimit::kMaxBoost: return "max_boost";
    case GainLimit::kSilent: return "silent";
  }
  return "none";
}

double LoudnessGain::linear() const { return DbToAmplitude(gain_db); }

LoudnessGain PlanLoudnessGain(const LoudnessReading& measured, const LoudnessTarget& target) {
  LoudnessGain g;
  if (!measured.integrated_lufs) {
    g.limit = GainLimit::kSilent;
    return g;
  }
  g.gain_db = target.integrated_lufs - *measured.integrated_lufs;
  if (g.gain_db > target.max_boost_db) {
    g.gain_db = target.max_boost_db;
    g.limit = GainLimit::kMaxBoost;
  }
  if (std::isfinite(measured.true_peak_dbtp)) {
    const double room_db = target.true_peak_ceiling_dbtp - measured.true_peak_dbtp;
    if (g.gain_db > room_db) {
      g.gain_db = room_db;
      g.limit = GainLimit::kTruePeak;
    }
  }
  return g;
}

}  // namespace clipthat::media
