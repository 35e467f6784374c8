// PlanLoudnessGain: the one gain that brings a measured clip to a loudness target without its
// true peak passing a ceiling (what the platforms ask of uploads: -14 LUFS integrated, peaks
// at most -1 dBTP).
//
//   LoudnessGain g = PlanLoudnessGain(meter.Reading(), {.integrated_lufs = -14});
//   for (float& s : samples) s *= static_cast<float>(g.linear());
//
// The rules, in order:
//   1. no integrated loudness (silence, everything below the -70 LUFS gate, under 400 ms of
//      sound): gain 0 dB, limit kSilent; there is nothing to normalise, and boosting noise
//      would only make it audible;
//   2. gain = target - integrated;
//   3. at most max_boost_db (default +20 dB): a near-silent clip (a quiet room, a muted
//      microphone) is lifted, but its hiss is not raised to speech level (limit kMaxBoost);
//   4. at most ceiling - true peak: the gain is lowered until the true peak lands on the
//      ceiling (limit kTruePeak). This is gain only, no limiter: a clip with a high crest
//      factor (a gunshot or a shout among quiet talk) ends quieter than the target rather
//      than having its peaks squashed.
// A source already louder than the target, or peaking above the ceiling, gets a negative gain.
#pragma once

#include <string_view>

#include "media/loudness_meter.h"

namespace clipthat::media {

struct LoudnessTarget {
  double integrated_lufs = -14.0;        // wanted integrated loudness
  double true_peak_ceiling_dbtp = -1.0;  // the true peak after the gain is at most this
  double max_boost_db = 20.0;            // never raise the level by more than this
};

enum class GainLimit {
  kNone,      // the gain reaches the target exactly
  kTruePeak,  // lowered so the true peak sits on the ceiling
  kMaxBoost,  // capped at max_boost_db
  kSilent,    // nothing to measure: gain 0
};

std::string_view GainLimitName(GainLimit limit);  // "none", "true_peak", "max_boost", "silent"

struct LoudnessGain {
  double gain_db = 0;
  GainLimit limit = GainLimit::kNone;
  double linear() const;  // the factor to multiply samples by
};

LoudnessGain PlanLoudnessGain(const LoudnessReading& measured, const LoudnessTarget& target);

}  // namespace clipthat::media
