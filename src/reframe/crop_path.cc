#include "reframe/crop_path.h"

#include <algorithm>
#include <cmath>

namespace clipthat::reframe {
namespace {

// While panning, the goal follows the target only when it moves by more than this fraction of
// the dead zone, so detector noise never keeps a finished pan creeping.
constexpr double kMovingHysteresisFraction = 0.25;
// A pan ends (the crop snaps to its goal and rests) within this distance, px.
constexpr double kSettlePx = 0.5;

}  // namespace

CropPathSolver::CropPathSolver(const CropPathOptions& options) : options_(options) {
  options_.frame_width = std::max(2, options_.frame_width);
  options_.frame_height = std::max(2, options_.frame_height);
  options_.fps = std::max(1, options_.fps);
  options_.lookahead_frames = std::max(0, options_.lookahead_frames);
  crop_w_ = std::clamp(options_.crop_width, 2, options_.frame_width);
  crop_h_ = std::clamp(options_.crop_height, 2, options_.frame_height);
  auto init = [](Axis& a, int crop, int frame, double dead_zone_fraction) {
    a.min = crop / 2.0;
    a.max = frame - crop / 2.0;
    a.pos = a.goal = frame / 2.0;
    a.dead_zone = std::max(0.0, dead_zone_fraction) * crop;
  };
  init(ax_, crop_w_, options_.frame_width, options_.dead_zone_fraction);
  init(ay_, crop_h_, options_.frame_height, options_.dead_zone_fraction);
}

void CropPathSolver::Push(std::optional<std::pair<double, double>> target_centre_px) {
  pending_.push_back(target_centre_px);
  while (static_cast<int>(pending_.size()) > options_.lookahead_frames) Step();
}

std::optional<media::CropRect> CropPathSolver::Pop() {
  if (ready_.empty()) return std::nullopt;
  media::CropRect rect = ready_.front();
  ready_.pop_front();
  return rect;
}

void CropPathSolver::Finish() {
  finished_ = true;
  while (!pending_.empty()) Step();
}

// The top-left corner for the axis' centre: even, inside the frame.
int CropPathSolver::Corner(const Axis& axis, int crop_size, int frame_size) const {
  const int max_corner = (frame_size - crop_size) & ~1;
  const long corner = 2 * std::lround((axis.pos - crop_size / 2.0) / 2.0);
  return std::clamp(static_cast<int>(corner), 0, std::max(0, max_corner));
}

void CropPathSolver::StepAxis(Axis& a, std::optional<double> target, bool drifting) const {
  if (a.max <= a.min) {  // the crop spans the frame on this axis
    a.pos = a.goal = (a.min + a.max) / 2;
    a.vel = 0;
    a.resting = true;
    return;
  }
  double max_speed = options_.max_speed_px_per_s;
  if (drifting) {
    a.goal = (a.min + a.max) / 2;
    if (a.pos != a.goal) a.resting = false;
    max_speed = std::min(max_speed, options_.drift_speed_px_per_s);
  } else if (target) {
    const double t = std::clamp(*target, a.min, a.max);
    if (a.resting) {
      if (std::abs(t - a.pos) > a.dead_zone) {
        a.resting = false;
        a.goal = t;
      }
    } else if (std::abs(t - a.goal) > kMovingHysteresisFraction * a.dead_zone) {
      a.goal = t;
    }
  }
  if (a.resting) return;

  // Bang-bang with a braking curve: head for the goal at the speed from which the bounded
  // deceleration still stops there, changing velocity by at most max_accel per second.
  const double dt = 1.0 / options_.fps;
  const double accel = std::max(1.0, options_.max_accel_px_per_s2);
  const double d = a.goal - a.pos;
  // Braking from k steps of accel*dt per frame covers accel*dt^2 * k(k+1)/2: the largest
  // speed that still stops at the goal is k*accel*dt for that distance (no overshoot).
  const double step = accel * dt * dt;
  const double k = (std::sqrt(1.0 + 8.0 * std::abs(d) / step) - 1.0) / 2.0;
  const double speed = std::min({max_speed, k * accel * dt, std::abs(d) / dt});
  const double want = d >= 0 ? speed : -speed;
  a.vel += std::clamp(want - a.vel, -accel * dt, accel * dt);
  a.vel = std::clamp(a.vel, -max_speed, max_speed);
  a.pos += a.vel * dt;
  if (a.pos < a.min || a.pos > a.max) {
    a.pos = std::clamp(a.pos, a.min, a.max);
    a.vel = 0;
  }
  if (std::abs(a.goal - a.pos) < kSettlePx && std::abs(a.vel) <= accel * dt) {
    a.pos = a.goal;
    a.vel = 0;
    a.resting = true;
  }
}

void CropPathSolver::Step() {
  if (pending_.empty()) return;
  // The target for this frame: the mean of the targets over the lookahead window, so the path
  // starts moving before the subject does and detector noise averages out.
  const std::size_t window = std::min<std::size_t>(pending_.size(), options_.lookahead_frames + 1);
  double sx = 0, sy = 0;
  int n = 0;
  for (std::size_t i = 0; i < window; ++i) {
    if (!pending_[i]) continue;
    sx += pending_[i]->first;
    sy += pending_[i]->second;
    ++n;
  }
  std::optional<double> tx, ty;
  if (n > 0) {
    tx = sx / n;
    ty = sy / n;
  }
  if (!started_) {
    // The first crop sits on the first target (no pan in from the centre).
    started_ = true;
    if (tx) {
      ax_.pos = ax_.goal = std::clamp(*tx, ax_.min, ax_.max);
      ay_.pos = ay_.goal = std::clamp(*ty, ay_.min, ay_.max);
    }
  }
  frames_without_target_ = n > 0 ? 0 : frames_without_target_ + 1;
  const bool drifting = frames_without_target_ > options_.no_target_hold_frames;
  StepAxis(ax_, tx, drifting);
  StepAxis(ay_, ty, drifting);
  pending_.pop_front();
  ready_.push_back(media::CropRect{Corner(ax_, crop_w_, options_.frame_width),
                                   Corner(ay_, crop_h_, options_.frame_height), crop_w_, crop_h_});
}

std::vector<media::CropRect> SolveCropPath(
    const std::vector<std::optional<std::pair<double, double>>>& targets,
    const CropPathOptions& options) {
  CropPathSolver solver(options);
  std::vector<media::CropRect> path;
  path.reserve(targets.size());
  for (const auto& t : targets) {
    solver.Push(t);
    while (auto rect = solver.Pop()) path.push_back(*rect);
  }
  solver.Finish();
  while (auto rect = solver.Pop()) path.push_back(*rect);
  return path;
}

}  // namespace clipthat::reframe
