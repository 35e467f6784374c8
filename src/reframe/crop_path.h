// CropPathSolver: turns a per-frame target (where the subject is) into a smooth path for a
// fixed-size crop window, as a camera operator would: the crop holds still while the target
// stays inside a dead zone around the crop's centre, and pans with eased motion (bounded
// velocity and acceleration) when it leaves it, starting early thanks to a lookahead.
//
// Pure code (no OpenCV, no libav): plain numbers in, crop rectangles out. The crop moves
// horizontally and vertically when the crop is smaller than the frame in that direction; for
// the usual 9:16 crop of a 16:9 frame it moves horizontally only.
//
//   CropPathOptions options;  // 1920x1080 source, 608x1080 crop, 30 fps by default
//   CropPathSolver solver(options);
//   for (each frame) { solver.Push(target); while (auto c = solver.Pop()) Use(*c); }
//   solver.Finish(); while (auto c = solver.Pop()) Use(*c);
#pragma once

#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "media/scaler.h"

namespace clipthat::reframe {

struct CropPathOptions {
  int frame_width = 1920, frame_height = 1080;  // source frame, pixels
  int crop_width = 608, crop_height = 1080;     // crop window, pixels (<= frame)
  int fps = 30;                                 // output frames per second
  double dead_zone_fraction = 0.12;   // of the crop width (height): the crop holds still while the
                                      // target stays within this distance of the crop centre
  double max_speed_px_per_s = 900;    // pan velocity bound
  double max_accel_px_per_s2 = 1800;  // pan acceleration (and deceleration) bound
  int lookahead_frames = 15;          // the path starts moving this early (output is delayed by it)
  // With no target, the crop holds where it is for this long, then drifts to the frame centre
  // at drift_speed_px_per_s.
  int no_target_hold_frames = 45;
  double drift_speed_px_per_s = 120;
};

// Online solver: one target per output frame in, one crop per output frame out,
// lookahead_frames behind. Crops are always inside the frame, crop_width x crop_height (clamped
// to the frame size), with even x and y.
class CropPathSolver {
 public:
  explicit CropPathSolver(const CropPathOptions& options);

  // The target centre for the next frame, in frame pixels; nullopt: no target (hold, then drift
  // to the centre slowly).
  void Push(std::optional<std::pair<double, double>> target_centre_px);
  // The next crop when one is ready (lookahead_frames targets after its own, or after Finish).
  std::optional<media::CropRect> Pop();
  // No more targets: Pop() drains the rest.
  void Finish();

  const CropPathOptions& options() const { return options_; }

 private:
  // One axis of the path: position and velocity of the crop centre, and where it is heading.
  struct Axis {
    double pos = 0;           // crop centre, px
    double vel = 0;           // px per second
    double goal = 0;          // where the centre is heading (== pos when resting)
    bool resting = true;      // holding still until the target leaves the dead zone
    double min = 0, max = 0;  // allowed range of the centre
    double dead_zone = 0;     // px
  };
  void Step();
  void StepAxis(Axis& axis, std::optional<double> target, bool drifting) const;
  int Corner(const Axis& axis, int crop_size, int frame_size) const;

  CropPathOptions options_;
  int crop_w_ = 0, crop_h_ = 0;
  Axis ax_, ay_;
  std::deque<std::optional<std::pair<double, double>>> pending_;  // targets not yet solved
  std::deque<media::CropRect> ready_;
  bool finished_ = false;
  bool started_ = false;
  long long frames_without_target_ = 0;
};

// Offline convenience: the whole path at once (the same result as Push/Pop).
std::vector<media::CropRect> SolveCropPath(
    const std::vector<std::optional<std::pair<double, double>>>& targets,
    const CropPathOptions& options);

}  // namespace clipthat::reframe
