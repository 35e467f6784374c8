// ChooseLayout: picks the layout of a clip from where the streamer's face sits in the stream
// (a FaceSurvey over the clip's frames).
//
// The rules, in order:
//   - no face (no main face, or a face in under 30% of the samples) -> kFit: the whole
//     picture, nothing is cut off;
//   - a small face (under 20% of the frame width) that stays put (its centre spreads less than
//     8% of the frame width), off-centre (its centre 20% of the frame or more from the middle
//     on an axis), in a camera region that reaches near a frame edge -> kSplit with that region
//     as the facecam and the default gameplay region (the compositor keeps it clear of the
//     facecam): a webcam overlay on gameplay. The camera region is the rectangle the survey
//     found around the face (FaceSurvey::facecam: the camera's own frame, within 10% of the
//     frame's size of an edge), else the camera-shaped box FacecamBoxAround puts around the
//     face (which must reach a frame edge);
//   - any other face (a large one, a talking-head stream, a face near the middle, or one that
//     wanders) -> kFill, which follows the face.
#pragma once

#include <string>

#include "media/scaler.h"
#include "reframe/layout.h"
#include "vision/face_detector.h"
#include "vision/face_survey.h"

namespace clipthat::reframe {

struct LayoutChoice {
  Layout layout = Layout::kFit;
  SplitParams split;   // filled for kSplit (facecam region, gameplay default)
  std::string reason;  // one line for logs and the UI: "small face in the bottom-left corner"
};

LayoutChoice ChooseLayout(const vision::FaceSurvey& survey);

// The facecam region of a survey: the camera rectangle it found when that holds the main
// face's centre, else FacecamBoxAround(main face). An empty rect when there is no main face.
media::CropRect FacecamRegion(const vision::FaceSurvey& survey);

// The camera box around a face (`face` in frame pixels): the face grown to a 3:2 box about
// 2.2 face widths wide, the face a little above its middle. A box that comes within 8% of the
// frame's size of a frame edge is moved onto that edge (webcam overlays sit against the frame
// edges), and grown, aspect kept, where moving it would cut the face off. The result lies in
// the frame, contains the face (unless the face itself is larger), and has even coordinates
// and sizes.
media::CropRect FacecamBoxAround(const vision::FaceBox& face, int frame_width, int frame_height);

}  // namespace clipthat::reframe
