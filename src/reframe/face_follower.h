// FaceFollower: the adapter the renderer uses for the `fill` layout. It looks at the source
// frames as they are rendered, detects faces a few times a second, tracks the main subject
// (falling back to the centre of motion, then the frame centre) and smooths that into a crop
// path (CropPathSolver).
//
//   reframe::FaceFollowerOptions options;
//   options.frame_width = 1920, options.frame_height = 1080;  // the source
//   options.crop_width = 608, options.crop_height = 1080;     // 9:16 of it
//   ASSIGN_OR_RETURN(reframe::FaceFollower follower, reframe::FaceFollower::Create(options));
//   for (each output frame) {
//     RETURN_IF_ERROR(follower.Push(frame));
//     while (auto crop = follower.Pop()) Render(queued frame, *crop);  // in frame order
//   }
//   follower.Finish();
//   while (auto crop = follower.Pop()) Render(queued frame, *crop);
//
// The caller keeps the frames it pushed until their crop comes out (lookahead_frames() of them).
//
// Cost: detection runs on one frame in detect_every_frames, mostly as a search near the face
// being followed (FaceDetector::DetectNear, ~2 ms of CPU for 1080p), with a whole-frame scan
// (~13.5 ms) once a second and whenever the near search misses. Averaged over a 1920x1080 clip
// at 30 fps that is ~0.7 ms of CPU per frame, under 4% of cropping, scaling and encoding the
// 1080x1920 output with x264 veryfast (~20 ms per frame) on the same machine. The motion centre
// and the path solver add a few microseconds per frame.
#pragma once

#include <memory>
#include <optional>

#include "core/result.h"
#include "media/frame.h"
#include "media/scaler.h"
#include "reframe/crop_path.h"
#include "vision/face_detector.h"
#include "vision/face_tracker.h"
#include "vision/motion_centre.h"

namespace clipthat::reframe {

struct FaceFollowerOptions {
  int frame_width = 0, frame_height = 0;  // source frames, pixels
  int crop_width = 0, crop_height = 0;    // crop window, pixels
  int fps = 30;                           // output frames per second
  int detect_every_frames = 6;            // detection rate = fps / this
  // Detections search near the face being followed (FaceDetector::DetectNear, cheap); a
  // whole-frame scan runs at least this often to find new faces, and right after a near
  // search misses.
  int full_scan_every_frames = 30;
  // With no face to follow, whole-frame scans run this often (the motion centre fills in).
  int idle_scan_every_frames = 12;
  vision::FaceDetectorOptions detector;
  vision::FaceTrackerOptions tracker;
  vision::MotionCentreOptions motion;
  CropPathOptions path;  // its frame/crop/fps fields are filled from the above
};

struct FaceFollowerStats {
  long long frames = 0;               // frames pushed
  long long detections_run = 0;       // detector calls, near searches and whole-frame scans
  long long full_scans = 0;           // of which whole-frame scans
  long long frames_with_subject = 0;  // frames whose target was a tracked face
  long long frames_from_motion = 0;   // frames whose target was the centre of motion
  double detect_seconds = 0;          // wall time spent in the detector
  double full_scan_seconds = 0;       // of which in whole-frame scans
  double total_seconds = 0;           // wall time spent in Push()
};

// Not thread-safe; one per render. Move-only.
class FaceFollower {
 public:
  // Errors: InvalidArgument for a bad size (crop larger than the frame, zero sizes, fps < 1,
  // detect_every_frames < 1); those of FaceDetector::Open.
  static Result<FaceFollower> Create(const FaceFollowerOptions& options);

  FaceFollower(FaceFollower&&) noexcept;
  FaceFollower& operator=(FaceFollower&&) noexcept;
  ~FaceFollower();

  // Output frame n, in order: the source-size frame shown at that output time (any format;
  // kYuv420p is cheapest). Errors: InvalidArgument when the frame's size is not the options'
  // frame size; those of Detect.
  Status Push(const media::VideoFrame& frame);
  // Crops in frame order, lookahead_frames() behind Push.
  std::optional<media::CropRect> Pop();
  // No more frames: Pop() drains the rest.
  void Finish();

  int lookahead_frames() const;
  const FaceFollowerStats& stats() const;

 private:
  struct Impl;
  explicit FaceFollower(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::reframe
