#include "reframe/layout_chooser.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace clipthat::reframe {
namespace {

// A face in fewer samples than this is not the streamer (a game character, a poster).
constexpr double kMinFacePresence = 0.3;
// A face wider than this share of the frame is the picture itself, not a camera overlay.
constexpr double kMaxFacecamFaceWidth = 0.2;
// The face centre must lie this far (as a share of the frame) from the frame's centre on at
// least one axis to count as a corner/edge overlay.
constexpr double kMinOffCentre = 0.2;
// A webcam overlay stays put: the face in it moves less than this share of the frame width.
constexpr double kMaxFacecamMotion = 0.08;
// The camera box: width in face widths, aspect, where the face centre sits (share from top).
constexpr double kBoxFaceWidths = 2.2;
constexpr double kBoxAspect = 1.5;
constexpr double kFaceCentreFromTop = 0.45;
// Box edges closer than this share of the frame to a frame edge are moved onto it.
constexpr double kSnapFraction = 0.08;
// A camera rectangle found in the picture counts as an overlay when one of its sides is this
// close (share of the frame) to a frame edge.
constexpr double kFoundNearEdge = 0.1;

int Even(double v) { return static_cast<int>(std::lround(v / 2.0)) * 2; }

std::string Where(double cx_fraction, double cy_fraction) {
  const char* v = cy_fraction < 0.35 ? "top" : cy_fraction > 0.65 ? "bottom" : "middle";
  const char* h = cx_fraction < 0.35 ? "left" : cx_fraction > 0.65 ? "right" : "centre";
  if (std::string(v) == "middle") return std::string(h) + " edge";
  if (std::string(h) == "centre") return std::string(v) + " edge";
  return std::string(v) + "-" + h + " corner";
}

}  // namespace

media::CropRect FacecamBoxAround(const vision::FaceBox& face, int frame_width, int frame_height) {
  const double fw = frame_width, fh = frame_height;
  const double cx = face.center_x(), cy = face.center_y();
  const double pad = 0.1 * face.width;  // room kept around the face when snapping
  const double snap_x = kSnapFraction * fw, snap_y = kSnapFraction * fh;
  enum class Anchor { kFree, kLow, kHigh };  // where the box is held on an axis
  Anchor ax = Anchor::kFree, ay = Anchor::kFree;
  double w = face.width * kBoxFaceWidths, h = w / kBoxAspect;
  double x = 0, y = 0;
  auto place = [&] {
    x = ax == Anchor::kLow ? 0 : ax == Anchor::kHigh ? fw - w : cx - w / 2;
    y = ay == Anchor::kLow ? 0 : ay == Anchor::kHigh ? fh - h : cy - h * kFaceCentreFromTop;
  };
  // Overlays sit against the frame edges: a box near an edge is held on it, and grown (aspect
  // kept) when holding it there would cut the face off.
  for (int round = 0; round < 3; ++round) {
    place();
    if (ax == Anchor::kFree) {
      if (x < snap_x)
        ax = Anchor::kLow;
      else if (x + w > fw - snap_x)
        ax = Anchor::kHigh;
    }
    if (ay == Anchor::kFree) {
      if (y < snap_y)
        ay = Anchor::kLow;
      else if (y + h > fh - snap_y)
        ay = Anchor::kHigh;
    }
    double need_w = w, need_h = h;
    if (ax == Anchor::kLow) need_w = face.x + face.width + pad;
    if (ax == Anchor::kHigh) need_w = fw - (face.x - pad);
    if (ay == Anchor::kLow) need_h = face.y + face.height + pad;
    if (ay == Anchor::kHigh) need_h = fh - (face.y - pad);
    const double grown = std::max(need_w, need_h * kBoxAspect);
    if (grown <= w) break;
    w = grown;
    h = w / kBoxAspect;
  }
  w = std::min(w, fw);
  h = std::min(h, fh);
  place();

  media::CropRect box;
  box.width = std::clamp(Even(w), 2, frame_width & ~1);
  box.height = std::clamp(Even(h), 2, frame_height & ~1);
  const int max_x = (frame_width - box.width) & ~1, max_y = (frame_height - box.height) & ~1;
  box.x = ax == Anchor::kHigh ? max_x : std::clamp(Even(x), 0, max_x);
  box.y = ay == Anchor::kHigh ? max_y : std::clamp(Even(y), 0, max_y);
  return box;
}

namespace {

// The survey's camera rectangle when it holds the face's centre.
std::optional<media::CropRect> FoundFacecam(const vision::FaceSurvey& survey) {
  if (!survey.facecam || !survey.main_face) return std::nullopt;
  const media::CropRect& r = *survey.facecam;
  const double cx = survey.main_face->center_x(), cy = survey.main_face->center_y();
  if (r.width <= 0 || r.height <= 0 || cx < r.x || cx > r.x + r.width || cy < r.y ||
      cy > r.y + r.height) {
    return std::nullopt;
  }
  return r;
}

}  // namespace

media::CropRect FacecamRegion(const vision::FaceSurvey& survey) {
  if (!survey.main_face) return {};
  if (std::optional<media::CropRect> found = FoundFacecam(survey)) return *found;
  return FacecamBoxAround(*survey.main_face, survey.frame_width, survey.frame_height);
}

LayoutChoice ChooseLayout(const vision::FaceSurvey& survey) {
  LayoutChoice choice;
  const double presence =
      survey.samples > 0 ? static_cast<double>(survey.samples_with_face) / survey.samples : 0.0;
  if (!survey.main_face || survey.frame_width <= 0 || survey.frame_height <= 0 ||
      presence < kMinFacePresence) {
    choice.layout = Layout::kFit;
    choice.reason = "no steady face: the whole frame on a blurred background";
    return choice;
  }
  const vision::FaceBox& face = *survey.main_face;
  const double width_fraction = survey.main_face_width_fraction > 0
                                    ? survey.main_face_width_fraction
                                    : face.width / survey.frame_width;
  const double cx = face.center_x() / survey.frame_width;
  const double cy = face.center_y() / survey.frame_height;
  const bool off_centre =
      std::abs(cx - 0.5) >= kMinOffCentre || std::abs(cy - 0.5) >= kMinOffCentre;

  char percent[32];
  std::snprintf(percent, sizeof percent, "%.0f%%", width_fraction * 100);
  if (width_fraction < kMaxFacecamFaceWidth && off_centre &&
      survey.face_motion_fraction <= kMaxFacecamMotion) {
    const int fw = survey.frame_width, fh = survey.frame_height;
    bool at_edge = false;
    std::string how;
    media::CropRect box;
    if (std::optional<media::CropRect> found = FoundFacecam(survey)) {
      box = *found;
      const double near_x = kFoundNearEdge * fw, near_y = kFoundNearEdge * fh;
      at_edge = box.x <= near_x || box.y <= near_y || box.x + box.width >= fw - near_x ||
                box.y + box.height >= fh - near_y;
      char size[64];
      std::snprintf(size, sizeof size, "camera frame %dx%d found", box.width, box.height);
      how = size;
    } else {
      box = FacecamBoxAround(face, fw, fh);
      at_edge = box.x == 0 || box.y == 0 || box.x + box.width >= (fw & ~1) ||
                box.y + box.height >= (fh & ~1);
      how = "box around the face";
    }
    if (at_edge) {
      choice.layout = Layout::kSplit;
      choice.split.facecam = box;
      choice.reason = "small face (" + std::string(percent) + " of the width) at the " +
                      Where(cx, cy) + ", " + how + ": facecam on top, gameplay below";
      return choice;
    }
  }
  choice.layout = Layout::kFill;
  choice.reason = width_fraction >= kMaxFacecamFaceWidth
                      ? "large face (" + std::string(percent) + " of the width): following it"
                      : "face near the middle of the frame: following it";
  return choice;
}

}  // namespace clipthat::reframe
