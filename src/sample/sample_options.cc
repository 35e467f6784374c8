#include "sample/sample_options.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sample/facecam.h"
#include "sample/stream_plan.h"

namespace clipthat::sample {

const std::vector<std::string>& FacecamPositionNames() {
  static const std::vector<std::string> kNames = {
      "none",  "top-left",    "top",    "top-right",    "left",
      "right", "bottom-left", "bottom", "bottom-right", "full"};
  return kNames;
}

std::string_view FacecamPositionName(FacecamPosition position) {
  const auto index = static_cast<std::size_t>(position);
  if (index >= FacecamPositionNames().size()) return "none";
  return FacecamPositionNames()[index];
}

Result<FacecamPosition> ParseFacecamPosition(std::string_view name) {
  const std::vector<std::string>& names = FacecamPositionNames();
  std::string all;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (name == names[i]) return static_cast<FacecamPosition>(i);
    all += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return InvalidArgumentError("unknown facecam position \"" + std::string(name) + "\" (expected " +
                              all + ")");
}

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
  if (o.vocal_only_moments < 0 || o.decoys < 0) {
    return InvalidArgumentError("--vocal-only-moments and --decoys must not be negative");
  }
  if (o.vocal_only_moments + o.decoys > 0 &&
      ResolvedMomentCount(o) + o.vocal_only_moments + o.decoys > max_moments) {
    return InvalidArgumentError("--moments " + std::to_string(ResolvedMomentCount(o)) +
                                " + --vocal-only-moments " + std::to_string(o.vocal_only_moments) +
                                " + --decoys " + std::to_string(o.decoys) + ": a " +
                                std::to_string(o.duration_s) + " s stream holds " +
                                std::to_string(max_moments) + " in all");
  }
  if (o.facecam.width_pct < kMinFacecamWidthPct || o.facecam.width_pct > kMaxFacecamWidthPct) {
    return InvalidArgumentError("--facecam-width-pct " + std::to_string(o.facecam.width_pct) +
                                ": must be between " + std::to_string(kMinFacecamWidthPct) +
                                " and " + std::to_string(kMaxFacecamWidthPct));
  }
  if (o.jobs < 0) return InvalidArgumentError("jobs must not be negative");
  return Status::Ok();
}

nlohmann::json SampleOptionsToJson(const SampleOptions& o) {
  nlohmann::json j = {
      {"duration_s", o.duration_s},        {"width", o.width}, {"height", o.height}, {"fps", o.fps},
      {"moments", ResolvedMomentCount(o)}, {"seed", o.seed}};
  if (!(o.facecam == FacecamOptions{})) {
    const cv::Rect box = FacecamBox(o.facecam, o.width, o.height);
    j["facecam"] = {{"position", std::string(FacecamPositionName(o.facecam.position))},
                    {"width_pct", o.facecam.width_pct},
                    {"border", o.facecam.border},
                    {"x", box.x},
                    {"y", box.y},
                    {"width", box.width},
                    {"height", box.height}};
  }
  if (o.vocal_only_moments > 0) j["vocal_only_moments"] = o.vocal_only_moments;
  if (o.decoys > 0) j["decoys"] = o.decoys;
  return j;
}

}  // namespace clipthat::sample
