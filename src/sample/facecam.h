// Facecam: the streamer's camera box, drawn from a real photo of a face shipped with Debian's
// opencv-doc package, so face detectors and trackers find a real face in the sample stream.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/result.h"

namespace clipthat::sample {

inline constexpr char kFrontalFaceCascade[] =
    "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

// Photos tried in order; the first in which the cascade finds a face is used.
const std::vector<std::string>& FacePhotoCandidates();

// A face photo cropped around the detected face (face about half the crop's width).
struct FacePhoto {
  cv::Mat crop;  // BGR
  std::string source_path;
};

// Errors: NotFound naming the first candidate when no photo exists (install opencv-doc),
// DataError when no candidate holds a detectable face.
Result<FacePhoto> LoadFacePhoto();

// Where the facecam box sits in a frame: bottom-left corner, 4:3, 30% of the frame width.
cv::Rect FacecamBox(int frame_width, int frame_height);

// Draws the camera box for time `t_s` at `box`: the face sways and bobs slowly as a head does,
// faster while `excitement` (0..1) is high. Immutable after construction: one per piece.
class FacecamPainter {
 public:
  FacecamPainter(const FacePhoto& photo, cv::Rect box);
  void Paint(cv::Mat& frame, double t_s, double excitement) const;

 private:
  cv::Mat source_;  // the crop scaled a little larger than the box, room for the sway
  cv::Rect box_;
};

}  // namespace clipthat::sample
