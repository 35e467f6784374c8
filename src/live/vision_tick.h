// VisionTick: every interval_ms of the live stream, a verdict on what the picture shows, logged
// as a `tick` event and fed to the live score.
//
// Built in (no network): the keyframes since the last tick (small BGR pictures from the
// ingest) give how much the picture moved (mean absolute luma difference between consecutive
// keyframes, 0..255), flashes (a keyframe far brighter than the one before) and scene cuts;
// score = 0.6 x min(1, change / 40) + 0.4 x min(1, flash / 60). The built-in verdict never
// asks for a clip by itself: a busy picture with no one reacting is not a moment (the same
// rule as the VOD analysis's loud sound with no reaction).
//
// Remote (when vision.base_url is set): the latest keyframe goes to an OpenAI-compatible
// chat completions server with images (ai/chat_client.h, settings vision.base_url,
// vision.model, vision.api_key, vision.timeout_ms) with a JSON schema
// {"score": 0..1, "clip_worthy": bool, "description": string}; a clip_worthy verdict with a
// score of at least remote_min_score is a `vision` trigger. A failed call falls back to the
// built-in verdict for that tick (its error is in `error`).
//
// Not thread-safe: the session's vision thread owns it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ai/chat_client.h"
#include "core/time_units.h"
#include "media/frame.h"

namespace clipthat::live {

struct VisionTickOptions {
  TimeMs interval_ms = 30000;
  double remote_min_score = 0.8;
  int jpeg_quality = 80;
};

struct TickVerdict {
  TimeMs at_ms = 0;
  std::string scorer;  // "builtin" or "remote"
  double score = 0;    // 0..1
  bool clip_worthy = false;
  std::string description;
  double change = 0;  // built-in measures over the tick
  double flash = 0;
  int keyframes = 0;
  std::string error;  // remote failure, when it fell back
};

class VisionTick {
 public:
  explicit VisionTick(const VisionTickOptions& options = {},
                      std::optional<ai::ChatClient> remote = std::nullopt);

  void PushKeyframe(const media::VideoFrame& frame);  // kBgr24, in time order
  bool Due(TimeMs at_ms) const { return at_ms >= next_ms_; }
  // The verdict over the keyframes since the last tick; starts the next interval.
  TickVerdict Tick(TimeMs at_ms);

 private:
  VisionTickOptions options_;
  std::optional<ai::ChatClient> remote_;
  TimeMs next_ms_;
  std::vector<std::uint8_t> last_luma_;
  double last_mean_ = -1;
  double change_sum_ = 0;
  double flash_max_ = 0;
  int keyframes_ = 0;
  int pairs_ = 0;
  media::VideoFrame latest_;
};

}  // namespace clipthat::live
