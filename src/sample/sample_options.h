// SampleOptions: what `clipthat sample` makes, with the limits it accepts.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time_units.h"

namespace clipthat::sample {

inline constexpr int kMinDurationSeconds = 30;
inline constexpr int kMaxDurationSeconds = 6 * 3600;
inline constexpr int kAutoMoments = -1;

struct SampleOptions {
  int duration_s = 600;  // length of the stream in whole seconds, 30 s .. 6 h
  int width = 1920;      // frame size in pixels; both even
  int height = 1080;
  int fps = 60;                // frames per second; must divide 48000 (audio alignment)
  int moments = kAutoMoments;  // planted moments; kAutoMoments = one per ~10 minutes
  std::uint64_t seed = 1;      // everything random derives from this
  int jobs = 0;                // pieces rendered side by side; 0 = one per core (at most 4)

  TimeMs duration_ms() const { return static_cast<TimeMs>(duration_s) * 1000; }
};

// The moment count after resolving kAutoMoments.
int ResolvedMomentCount(const SampleOptions& options);

// The most moments a stream of `duration_s` can hold without overlap.
int MaxMomentCount(int duration_s);

// InvalidArgument naming the option and the accepted range.
Status ValidateSampleOptions(const SampleOptions& options);

// {"duration_s","width","height","fps","moments","seed"} (moments resolved).
nlohmann::json SampleOptionsToJson(const SampleOptions& options);

}  // namespace clipthat::sample
