// SurveyFaces: a cheap look at a clip window before rendering it, to choose the layout (a big
// face fills the frame; a small facecam goes on top of the gameplay; no face: fit or centre).
//
// Each sampled frame is searched twice: the whole frame at the detector's width (faces from
// about 5% of the frame width up), and the frame's borders (the outer fifth of the width on
// either side, the outer quarter of the height above and below) at analysis_width_px for the
// small faces of a webcam overlay in a corner or along an edge (from about 2.5% of the frame
// width at the default 960 px: the face in a 150 px camera on a 1080p stream). When the main
// face is small, the camera's own rectangle is looked for around it in the sampled frames
// (FindFacecam, facecam_finder.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"
#include "media/frame.h"
#include "media/scaler.h"
#include "vision/face_detector.h"
#include "vision/face_tracker.h"
#include "vision/facecam_finder.h"

namespace clipthat::vision {

struct FaceSurvey {
  int frame_width = 0, frame_height = 0;  // the source's size (boxes below are in its pixels)
  int samples = 0;                        // frames looked at
  int samples_with_face = 0;              // of which had at least one face
  std::optional<FaceBox> main_face;       // median box of the main subject over the samples
  double main_face_width_fraction = 0;    // main_face width / frame width
  double face_motion_fraction = 0;  // spread of the main face centre / frame width (0 = still)
  // The camera rectangle around a small main face (even coordinates and sizes, inside the
  // frame), when the frames show one; nullopt otherwise (no small face, or no rectangle found).
  std::optional<media::CropRect> facecam;
  double facecam_support = 0;  // FacecamRect::support of `facecam` (0..1)
};

struct FaceSurveyOptions {
  int max_samples = 8;  // frames looked at, spread over the window
  // Width of the gray copy each sample is analysed at: the border search for small faces and
  // the camera rectangle search run at this width (the source's own when it is narrower).
  int analysis_width_px = 960;
  // The border bands searched for small faces, as shares of the frame width (left and right
  // bands) and height (top and bottom bands): a face too small for the whole-frame scan sits
  // in a camera at most about a fifth of the frame wide, whose face lies within these of the
  // edge it is placed against. 0 turns the small-face search off.
  double small_face_band_width = 0.2;
  double small_face_band_height = 0.25;
  // Raw detections needed for a small face: more than the whole-frame scan asks, as the
  // finer scan sees more game texture.
  int small_face_min_neighbors = 4;
  // A main face narrower than this share of the frame width gets a camera rectangle search.
  double max_facecam_face_width = 0.2;
  FacecamFinderOptions finder;
};

// The survey's core, for frames already decoded: Add() each sampled frame in time order, then
// Finish(). Not thread-safe; keeps a gray copy of every frame added (analysis_width_px wide).
class FaceSurveyBuilder {
 public:
  // `frame_width` x `frame_height`: the source's size, which boxes are reported in;
  // `window_ms`: the span the samples come from (the tracker's memory).
  FaceSurveyBuilder(int frame_width, int frame_height, TimeMs window_ms, FaceDetector& detector,
                    const FaceSurveyOptions& options = {});

  // One sample: `frame` is the source picture at frame.pts_ms, of any size of the source's
  // aspect (scaled to the analysis width here when it is not already) and any PixelFormat.
  // Errors: those of FaceDetector (InvalidArgument for an empty frame, DataError).
  Status Add(const media::VideoFrame& frame);

  // The survey of the frames added so far.
  FaceSurvey Finish() const;

  // The analysis width for a source `frame_width` wide (even).
  static int AnalysisWidth(int frame_width, const FaceSurveyOptions& options);

 private:
  int frame_width_, frame_height_;
  FaceDetector* detector_;
  FaceSurveyOptions options_;
  FaceTracker tracker_;
  int samples_ = 0, samples_with_face_ = 0;
  std::vector<FaceBox> subject_boxes_;   // frame pixels
  std::vector<media::VideoFrame> gray_;  // the samples, kGray8 at the analysis width
};

// Looks at up to `options.max_samples` frames spread over [start_ms, end_ms) of `path`: at each
// sample time, the keyframe at or before it (keyframes only, decoded straight to the analysis
// width in gray, read in order while samples are close and reached by seeking when they are far
// apart). A window shorter than the keyframe interval still gets one sample (the keyframe at or
// before its middle). The main subject is the face a FaceTracker keeps over the samples; its
// spread is the largest distance of its centre from the median centre. Cost on a 1080p file,
// one core: see face_survey.cc (decoding and the two face searches are most of it, the camera
// rectangle search a few ms). Errors: those of media::KeyframeDecoder (NotFound, DataError,
// Unsupported) and of the detector; InvalidArgument when end_ms <= start_ms or max_samples < 1.
Result<FaceSurvey> SurveyFaces(const std::string& path, TimeMs start_ms, TimeMs end_ms,
                               FaceDetector& detector, const FaceSurveyOptions& options);
// The same with the default options and `max_samples` samples.
Result<FaceSurvey> SurveyFaces(const std::string& path, TimeMs start_ms, TimeMs end_ms,
                               FaceDetector& detector, int max_samples = 8);

}  // namespace clipthat::vision
