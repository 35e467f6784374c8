// Test media with a real face at a known place in every frame, for tests of face tracking, crop
// paths and the vertical render.
//
// WriteMovingFaceMedia writes an H.264 (x264 ultrafast) + AAC MP4, by default 1920x1080 at
// 30 fps for 6 s, showing a real face photo (from Debian's opencv-doc package, checked with
// FaceDetector) pasted as a head-and-shoulders patch (twice the face's size) on a still,
// textured background (blurred noise, rectangles and lines: clutter as in a real stream). The
// face's centre is at 45% of the frame height; its box is face_width_fraction of the frame
// width (230 px by default) and follows a known path:
//
//   kPan   (default): still with its centre at x = width/3 for still_start_ms, then a pan to
//          x = 2*width/3 over pan_ms, eased at both ends (smoothstep: peak speed 1.5 times the
//          mean, 480 px/s at the defaults), then still to the end.
//   kStill: still at x = width/3 for the whole clip.
//
// Writing the default clip costs about 1.3 s of CPU (x264 ultrafast on a mostly static
// picture). It lives in the clipthat_vision library (namespace vision::testing), so any test
// linking clipthat_vision or clipthat_reframe can use it.
//
// The truth is returned for every frame (`faces[n]` is the face box of frame n, which is
// presented at n * 1000 / fps ms), and FaceBoxAt() gives it for any time. Boxes are the face
// region the detector reports on the photo, mapped to the frame, in frame pixels.
//
//   clipthat::TempDir dir;
//   ASSIGN_OR_RETURN(auto media, vision::testing::WriteMovingFaceMedia(dir.path() / "face.mp4"));
//   // media.path, media.faces[n], media.FaceBoxAt(t_ms)
//
// Errors: NotFound when the photo or the cascade is missing (install opencv-doc and
// opencv-data); those of media::Mp4Writer.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"
#include "vision/face_detector.h"

namespace clipthat::vision::testing {

enum class FaceMotion {
  kPan,    // still, then a pan across the frame, then still
  kStill,  // still for the whole clip
};

struct MovingFaceSpec {
  int width = 1920;
  int height = 1080;
  int fps = 30;
  TimeMs duration_ms = 6000;
  FaceMotion motion = FaceMotion::kPan;
  TimeMs still_start_ms = 2000;       // kPan: the face is still at the start this long
  TimeMs pan_ms = 2000;               // kPan: then crosses from the left to the right third
  double face_width_fraction = 0.12;  // the face box's width / frame width
  bool with_audio = true;             // a quiet tone (AAC), so the file looks like a VOD
  int gop_frames = 30;                // keyframe interval in frames
  int crf = 23;
};

struct MovingFaceMedia {
  std::string path;
  MovingFaceSpec spec;
  std::vector<FaceBox> faces;  // the face box of frame n (score 1), frame pixels
  std::string photo_path;      // the photo the face comes from

  long long frame_count() const { return static_cast<long long>(faces.size()); }
  // The face box on screen at t_ms (the frame presented at or before t_ms; clamped to the clip).
  FaceBox FaceBoxAt(TimeMs t_ms) const;
};

// Writes the clip to `path`. Takes about a second for the default 6 s at 1080p.
Result<MovingFaceMedia> WriteMovingFaceMedia(const std::filesystem::path& path,
                                             const MovingFaceSpec& spec = {});

}  // namespace clipthat::vision::testing
