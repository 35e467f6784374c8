// SampleOptions: what `clipthat sample` makes, with the limits it accepts.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "core/time_units.h"

namespace clipthat::sample {

inline constexpr int kMinDurationSeconds = 30;
inline constexpr int kMaxDurationSeconds = 6 * 3600;
inline constexpr int kAutoMoments = -1;

// Where the streamer's camera sits in the frame. The corners and the middles of the four edges
// hold a 4:3 camera box inset by a small margin (1/40 of the frame height); kFull is a "just
// chatting" stream, the camera picture filling the whole frame; kNone draws no camera.
enum class FacecamPosition {
  kNone,
  kTopLeft,
  kTop,
  kTopRight,
  kLeft,
  kRight,
  kBottomLeft,
  kBottom,
  kBottomRight,
  kFull,
};

// "none", "top-left", "top", "top-right", "left", "right", "bottom-left", "bottom",
// "bottom-right", "full".
std::string_view FacecamPositionName(FacecamPosition position);

// The inverse of FacecamPositionName (exact, lower case). InvalidArgument naming the value and
// listing the accepted ones.
Result<FacecamPosition> ParseFacecamPosition(std::string_view name);

// All the names FacecamPositionName gives, in the enum's order.
const std::vector<std::string>& FacecamPositionNames();

inline constexpr int kMinFacecamWidthPct = 5;
inline constexpr int kMaxFacecamWidthPct = 50;

struct FacecamOptions {
  FacecamPosition position = FacecamPosition::kBottomLeft;
  // Camera box width in percent of the frame width, 5..50 (ignored by kFull and kNone). The box
  // is 4:3 and at most half the frame height (narrowed, aspect kept, when it would be taller).
  int width_pct = 30;
  bool border = true;  // a purple line around the box (never drawn for kFull)

  bool operator==(const FacecamOptions&) const = default;
};

struct SampleOptions {
  int duration_s = 600;  // length of the stream in whole seconds, 30 s .. 6 h
  int width = 1920;      // frame size in pixels; both even
  int height = 1080;
  int fps = 60;                // frames per second; must divide 48000 (audio alignment)
  int moments = kAutoMoments;  // planted moments; kAutoMoments = one per ~10 minutes
  std::uint64_t seed = 1;      // everything random derives from this
  int jobs = 0;                // pieces rendered side by side; 0 = one per core (at most 4)
  FacecamOptions facecam;      // the streamer's camera in the picture
  // Extra planted events for the judgement tests (0 = none, the plan unchanged): moments where
  // only the streamer's voice reacts (no chat, no game sound), and decoys, loud game sounds
  // nobody reacts to (not moments). Each takes a 32 s slot like a moment.
  int vocal_only_moments = 0;
  int decoys = 0;

  TimeMs duration_ms() const { return static_cast<TimeMs>(duration_s) * 1000; }
};

// The moment count after resolving kAutoMoments.
int ResolvedMomentCount(const SampleOptions& options);

// The most moments a stream of `duration_s` can hold without overlap.
int MaxMomentCount(int duration_s);

// InvalidArgument naming the option and the accepted range. Moments, vocal-only moments and
// decoys together must fit MaxMomentCount().
Status ValidateSampleOptions(const SampleOptions& options);

// {"duration_s","width","height","fps","moments","seed"} (moments resolved), plus, only when
// the facecam options differ from the defaults (so the default truth.json stays as it was),
// "facecam": {"position","width_pct","border","x","y","width","height"} (the box in pixels,
// all 0 for "none"); "vocal_only_moments" and "decoys" only when not 0.
nlohmann::json SampleOptionsToJson(const SampleOptions& options);

}  // namespace clipthat::sample
