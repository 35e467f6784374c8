// ScenePainter: draws the "gameplay" under the facecam, one of kLookCount distinct looks (racer,
// platformer, space shooter, top-down arena, lobby menu, block puzzle), each moving all the time,
// coloured from a seed so pieces with the same look still differ. Flat shapes only: they encode
// small, which keeps multi-hour samples cheap on disk.
#pragma once

#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>

namespace clipthat::sample {

class ScenePainter {
 public:
  // Precomputes what does not move (backgrounds, terrain strips) for width x height.
  ScenePainter(int width, int height, int look, std::uint64_t seed);
  ~ScenePainter();
  ScenePainter(ScenePainter&&) noexcept;
  ScenePainter& operator=(ScenePainter&&) noexcept;

  // Draws the frame at `t_s` seconds into the piece into `frame` (BGR, width x height).
  // `excitement` 0..1 adds flashes, explosions and shake (planted moments).
  void Paint(cv::Mat& frame, double t_s, double excitement) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::sample
