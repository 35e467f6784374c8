#include "sample/sample_options.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sample/stream_plan.h"

namespace clipthat::sample {

int MaxMomentCount(int duration_s) {
  // Moment pieces are 3 grid units long and need one unit of ordinary stream between them.
  long long units = static_cast<long long>(duration_s) * 1000 / kPieceGridMs;
  return static_cast<int>(std::max<long long>(0, (units + 1) / 4));
}

int ResolvedMomentCount(const SampleOptions& options) {
  if (options.moments != kAutoMoments) return options.moments;
  int by_length = static_cast<int>(std::lround(options.duration_s / 600.0));
  return std::clamp(by_length, 1, std::max(1, MaxMomentCount(options.duration_s)));
}

Status ValidateSampleOptions(const SampleOptions& o) {
  if (o.duration_s < kMinDurationSeconds || o.duration_s > kMaxDurationSeconds) {
    return InvalidArgumentError("--duration " + std::to_string(o.duration_s) +
                                ": must be between 30 and 21600 seconds");
  }
  if (o.width < 64 || o.height < 64 || o.width > 3840 || o.height > 2160 || o.width % 2 != 0 ||
      o.height % 2 != 0) {
    return InvalidArgumentError("--size " + std::to_string(o.width) + "x" +
                                std::to_string(o.height) +
                                ": width and height must be even, 64..3840 x 64..2160");
  }
  if (o.fps < 1 || o.fps > 120 || 48000 % o.fps != 0) {
    return InvalidArgumentError("--fps " + std::to_string(o.fps) +
                                ": must be 1..120 and divide 48000 (e.g. 24, 25, 30, 60)");
  }
  int max_moments = MaxMomentCount(o.duration_s);
  if (o.moments != kAutoMoments && (o.moments < 0 || o.moments > max_moments)) {
    return InvalidArgumentError("--moments " + std::to_string(o.moments) + ": a " +
                                std::to_string(o.duration_s) + " s stream holds 0.." +
                                std::to_string(max_moments) + " moments");
  }
  if (o.jobs < 0) return InvalidArgumentError("jobs must not be negative");
  return Status::Ok();
}

nlohmann::json SampleOptionsToJson(const SampleOptions& o) {
  return {
      {"duration_s", o.duration_s},        {"width", o.width}, {"height", o.height}, {"fps", o.fps},
      {"moments", ResolvedMomentCount(o)}, {"seed", o.seed}};
}

}  // namespace clipthat::sample
