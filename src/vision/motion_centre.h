// MotionCentre: where the picture changes, for framing shots without a face.
//
// Each observed frame is reduced to a small gray picture; the absolute difference with the
// previous one, thresholded, gives the moving pixels; their centroid (smoothed over time) is
// the centre of motion, in source-frame pixels. Cheap: a few hundred microseconds per frame.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "media/frame.h"

namespace clipthat::vision {

struct MotionCentreOptions {
  int analysis_width_px = 96;          // frames are reduced to this width
  int pixel_threshold = 18;            // gray-level change (0..255) that counts as motion
  double min_moving_fraction = 0.004;  // below this fraction of moving pixels the picture is still
  double smoothing = 0.3;              // weight of the newest centroid (0..1]
};

class MotionCentre {
 public:
  explicit MotionCentre(MotionCentreOptions options = {});

  // Feeds a sampled frame (any format and size; a size change restarts). Returns the smoothed
  // centre of motion (x, y) in that frame's pixels, or nullopt when the picture is still (and
  // for the first frame, which has nothing to compare with).
  std::optional<std::pair<double, double>> Observe(const media::VideoFrame& frame);

  void Reset();

 private:
  MotionCentreOptions options_;
  int src_width_ = 0, src_height_ = 0;
  int width_ = 0, height_ = 0;
  std::vector<unsigned char> previous_;
  std::vector<unsigned char> current_;
  std::optional<std::pair<double, double>> centre_;
};

// Reduces `frame` to a width x height gray picture by box averaging (the Y plane for
// kYuv420p, luma from BGR). `out` is resized to width * height.
void ReduceToGray(const media::VideoFrame& frame, int width, int height,
                  std::vector<unsigned char>* out);

}  // namespace clipthat::vision
