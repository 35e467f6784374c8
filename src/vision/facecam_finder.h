// FindFacecam: the rectangle of a streamer's camera overlay around a face, found from the
// straight edges that bound it in a few frames of the stream.
//
// A webcam overlay is a rectangle pasted on the gameplay: its four sides are straight lines of
// colour discontinuity (a border line, or just the camera picture meeting the game), and they
// stay put while the game moves. The finder marks, in each frame, the pixels where the picture
// steps sharply across a column (for vertical sides) or a row (for horizontal sides), keeps
// those marked in most frames (moving game edges drop out; one frame is used as it is), and
// then looks for the rectangle around the face whose four sides are best covered by marks.
// A side lying on the frame's edge counts as covered (overlays sit against it), but at least
// two sides must be real lines. Of the rectangles scoring nearly the best, the smallest wins:
// an outer frame of game lines around the camera scores as well as the camera's own border.
// When no rectangle has four sides, one with two opposite real sides is taken, its other two
// placed for a 4:3 camera around the face (a borderless camera whose picture matches the game
// along two sides).
//
// Pure: frames in, rectangle out; no decoding. Cost: a few ms per 960x540 frame.
//
//   std::optional<vision::FacecamRect> cam = vision::FindFacecam(frames, face);
//   if (cam) Use(cam->rect);  // frames' pixels
#pragma once

#include <optional>
#include <vector>

#include "media/frame.h"
#include "media/scaler.h"
#include "vision/face_detector.h"

namespace clipthat::vision {

struct FacecamFinderOptions {
  int edge_threshold = 14;          // gray levels across 2 pixels that make an edge mark
  double min_side_support = 0.6;    // every side: this share of its pixels marked
  double min_mean_support = 0.8;    // the four sides on average
  double near_best_support = 0.04;  // rectangles this close to the best score compete on size
  // The camera's size in face sizes (the face box as the detector gives it), and its aspect.
  double min_width_faces = 1.3, max_width_faces = 6.0;
  double min_height_faces = 1.15, max_height_faces = 5.0;
  double min_aspect = 0.5, max_aspect = 2.6;  // width / height
};

struct FacecamRect {
  media::CropRect rect;      // the frames' pixels: first and last column/row inside the camera
  double support = 0;        // mean share of the sides' pixels marked (frame edges count as 1)
  int frame_edge_sides = 0;  // sides lying on the frame's edge (0..2)
  // 0: all four sides seen. 2: only two opposite sides seen (support is theirs); the other two
  // placed for a 4:3 camera around the face.
  int guessed_sides = 0;
};

// `frames`: one or more frames of the same size (kGray8 or kYuv420p: the luma plane; kBgr24 is
// converted), in any order; `face`: the face box in those frames' pixels. nullopt when no
// rectangle around the face meets the options (no overlay, or one whose sides do not show).
std::optional<FacecamRect> FindFacecam(const std::vector<media::VideoFrame>& frames,
                                       const FaceBox& face,
                                       const FacecamFinderOptions& options = {});

}  // namespace clipthat::vision
