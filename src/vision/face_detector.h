// FaceDetector: finds frontal faces in decoded frames, cheaply enough to run a few times a
// second while a clip renders.
//
// Frames are reduced to a small gray picture (detect_width_px wide; for kYuv420p the Y plane is
// used directly as the gray picture, no colour conversion) and searched with an OpenCV cascade
// from Debian's opencv-data package. Boxes come back in the source frame's pixels.
//
//   ASSIGN_OR_RETURN(vision::FaceDetector detector, vision::FaceDetector::Open());
//   ASSIGN_OR_RETURN(std::vector<vision::FaceBox> faces, detector.Detect(frame));
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "media/frame.h"
#include "media/scaler.h"

namespace clipthat::vision {

// A face in source-frame pixels (top-left corner and size).
struct FaceBox {
  double x = 0, y = 0, width = 0, height = 0;
  // Detector confidence: higher is surer. For the cascade detector it is the number of
  // neighbouring raw detections merged into this box (typically 3 to 50).
  double score = 0;

  double center_x() const { return x + width / 2; }
  double center_y() const { return y + height / 2; }
  double area() const { return width * height; }
};

// Intersection over union of two boxes, in [0, 1].
double IntersectionOverUnion(const FaceBox& a, const FaceBox& b);

// The cascade used when FaceDetectorOptions::cascade_path is empty: opencv-data's LBP frontal
// face cascade. It finds the same faces as the Haar default about five times faster (integer
// features): a whole 1920x1080 frame costs ~13.5 ms of CPU at the default options, a
// DetectNear() search ~2 ms. The LBP "improved" cascade is a little faster but its 45 px window
// misses small faces at the detection width. The 24 px window of this one sets the smallest face
// found: 24 / detect_width_px of the frame width (5% at 480; raise it for smaller faces, at a
// cost growing with its square). When it is missing, the Haar default is tried. Figures in
// face_detector.cc.
inline constexpr char kDefaultFaceCascade[] =
    "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml";

struct FaceDetectorOptions {
  int detect_width_px = 480;              // frames are downscaled to this width before detection
  double min_face_width_fraction = 0.04;  // smallest face searched, as a fraction of frame width
                                          // (the cascade's 24 px window may set a larger floor)
  double max_face_width_fraction = 0.6;   // largest face searched, as a fraction of frame width
  double scale_factor = 1.2;              // cascade pyramid step (> 1; larger is faster)
  int min_neighbors = 3;                  // raw detections needed to accept a face
  std::string cascade_path;               // empty: kDefaultFaceCascade
};

// Not thread-safe; one per render. Move-only.
class FaceDetector {
 public:
  // Errors: NotFound naming the cascade path when it does not exist or does not load (install
  // opencv-data); InvalidArgument for unusable options.
  static Result<FaceDetector> Open(const FaceDetectorOptions& options = {});

  FaceDetector(FaceDetector&&) noexcept;
  FaceDetector& operator=(FaceDetector&&) noexcept;
  ~FaceDetector();

  // Faces in `frame` (any media::PixelFormat), in frame pixels, best (largest, then highest
  // score) first; empty when there is none. Errors: InvalidArgument for an empty or malformed
  // frame; DataError when OpenCV fails.
  Result<std::vector<FaceBox>> Detect(const media::VideoFrame& frame);

  // The same, searching only near `hint` (a face found earlier, frame pixels): within
  // search_widths of its width around its centre, for faces 0.6 to 1.6 times its size. About
  // ten times cheaper than Detect(); what trackers use between whole-frame scans.
  Result<std::vector<FaceBox>> DetectNear(const media::VideoFrame& frame, const FaceBox& hint,
                                          double search_widths = 1.0);

  // Faces in one region of `frame`, searched at a chosen resolution: for the small faces of a
  // facecam, which the whole-frame scan at detect_width_px cannot see. `search.region` (frame
  // pixels, clipped to the frame) is shrunk by `search.scale` (1 = the frame's own pixels) and
  // searched for faces min_face_px..max_face_px wide (frame pixels; the cascade's window sets a
  // floor of window / scale). The cost grows with the region's area times scale squared, and
  // falls with a narrower size range. Boxes come back in frame pixels, best first. Errors as
  // Detect(), and InvalidArgument for a scale outside (0, 1] or a negative size.
  struct RegionSearch {
    media::CropRect region;  // frame pixels; width 0 = the whole frame
    double scale = 1.0;      // detection pixels per frame pixel, (0, 1]
    double min_face_px = 0;  // frame pixels
    double max_face_px = 0;  // frame pixels; 0 = no upper bound
    int min_neighbors = -1;  // -1: options().min_neighbors
  };
  Result<std::vector<FaceBox>> DetectInRegion(const media::VideoFrame& frame,
                                              const RegionSearch& search);

  // The smallest face width (frame pixels) a whole-frame Detect() of a frame `frame_width`
  // wide can report: the larger of the cascade's window at detect_width_px and
  // min_face_width_fraction.
  double MinFaceWidthPx(int frame_width) const;

  const FaceDetectorOptions& options() const;

 private:
  struct Impl;
  explicit FaceDetector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::vision
