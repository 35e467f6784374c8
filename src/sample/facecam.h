// Facecam: the streamer's camera box, drawn from a real photo of a face shipped with Debian's
// opencv-doc package, so face detectors and trackers find a real face in the sample stream.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "sample/sample_options.h"

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

// Where the facecam box sits in a frame of frame_width x frame_height pixels (see
// FacecamPosition): 4:3, facecam.width_pct of the frame width (at least 32 px), at most half the
// frame height (narrowed, aspect kept, when it would be taller), even sizes, inset from the
// frame edges it is placed against by max(2, frame_height / 40) pixels and centred along the
// others. kFull: the whole frame. kNone: an empty rect (0, 0, 0, 0). The box includes the border
// line's inner half; the line's outer half lies up to border_px / 2 outside it.
cv::Rect FacecamBox(const FacecamOptions& facecam, int frame_width, int frame_height);

// The default camera: bottom-left corner, 30% of the frame width.
cv::Rect FacecamBox(int frame_width, int frame_height);

enum class FacecamBorder { kNone, kLine };

// Width of the border line for a box `box_width` pixels wide: max(1, box_width / 120).
int FacecamBorderPx(int box_width);

// Draws the camera box for time `t_s` at `box`: the face sways and bobs slowly as a head does,
// faster while `excitement` (0..1) is high; kLine draws a purple line (FacecamBorderPx) around
// it. A box of another aspect than the photo's crop (kFull) shows the crop's centre, scaled to
// cover it. Immutable after construction: one per piece.
class FacecamPainter {
 public:
  FacecamPainter(const FacePhoto& photo, cv::Rect box, FacecamBorder border = FacecamBorder::kLine);
  void Paint(cv::Mat& frame, double t_s, double excitement) const;

 private:
  cv::Mat source_;  // the crop scaled a little larger than the box, room for the sway
  cv::Rect box_;
  FacecamBorder border_;
};

}  // namespace clipthat::sample
