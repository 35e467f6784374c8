#include "vision/face_survey.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "media/keyframe_decoder.h"
#include "media/probe.h"
#include "vision/face_tracker.h"

namespace clipthat::vision {
namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  double m = v[mid];
  if (v.size() % 2 == 0) {
    m = (m + *std::max_element(v.begin(), v.begin() + mid)) / 2;
  }
  return m;
}

bool SameBox(const FaceBox& a, const FaceBox& b) {
  return a.x == b.x && a.y == b.y && a.width == b.width && a.height == b.height;
}

}  // namespace

Result<FaceSurvey> SurveyFaces(const std::string& path, TimeMs start_ms, TimeMs end_ms,
                               FaceDetector& detector, int max_samples) {
  if (end_ms <= start_ms || max_samples < 1) {
    return InvalidArgumentError(path + ": bad face survey window " + FormatClock(start_ms) +
                                " to " + FormatClock(end_ms) + " with " +
                                std::to_string(max_samples) + " samples");
  }
  ASSIGN_OR_RETURN(media::ProbeInfo info, media::Probe(path));
  if (info.video() == nullptr) return UnsupportedError(path + ": no video stream");
  FaceSurvey survey;
  survey.frame_width = info.video()->width;
  survey.frame_height = info.video()->height;
  if (survey.frame_width <= 0 || survey.frame_height <= 0) {
    return DataError(path + ": video stream has no size");
  }

  // Keyframes only, decoded straight to the detector's size in gray: the detector then has
  // nothing to convert or shrink.
  media::KeyframeDecoderOptions kopt;
  kopt.width = std::min(survey.frame_width, detector.options().detect_width_px) & ~1;
  kopt.format = media::PixelFormat::kGray8;
  ASSIGN_OR_RETURN(media::KeyframeDecoder decoder, media::KeyframeDecoder::Open(path, kopt));

  // A tracker with a memory as long as the window: samples are seconds apart.
  FaceTrackerOptions topt;
  topt.hold_ms = end_ms - start_ms + 1;
  topt.switch_ms = 0;
  topt.min_hits = 1;
  topt.match_distance = 3.0;
  topt.box_smoothing = 1.0;
  FaceTracker tracker(topt);

  std::vector<FaceBox> subject_boxes;
  TimeMs last_pts_ms = -1;
  // Each sample is the last keyframe at or before its time. Keyframes are read in order while
  // samples are close together (no waste: every decoded keyframe is either a sample or the one
  // just past it); a sample several keyframe intervals ahead is reached by seeking.
  media::VideoFrame cur, next;
  bool have_cur = false, have_next = false, at_end = false;
  TimeMs interval_ms = 0;
  RETURN_IF_ERROR(decoder.Seek(start_ms));
  for (int k = 0; k < max_samples; ++k) {
    const TimeMs t_ms =
        start_ms +
        static_cast<TimeMs>((k + 0.5) * static_cast<double>(end_ms - start_ms) / max_samples);
    const TimeMs frontier_ms = have_next ? next.pts_ms : have_cur ? cur.pts_ms : start_ms;
    if (interval_ms > 0 && t_ms - frontier_ms > 2 * interval_ms) {
      RETURN_IF_ERROR(decoder.Seek(t_ms));
      have_cur = have_next = at_end = false;
    }
    while (!at_end) {
      if (!have_next) {
        ASSIGN_OR_RETURN(have_next, decoder.Next(&next));
        if (!have_next) {
          at_end = true;
          break;
        }
        if (have_cur && next.pts_ms > cur.pts_ms) interval_ms = next.pts_ms - cur.pts_ms;
      }
      if (have_cur && next.pts_ms > t_ms) break;
      std::swap(cur, next);
      have_cur = true;
      have_next = false;
    }
    if (!have_cur || cur.pts_ms == last_pts_ms) continue;  // the same keyframe as before
    if (cur.pts_ms >= end_ms && survey.samples > 0) break;
    last_pts_ms = cur.pts_ms;
    ASSIGN_OR_RETURN(std::vector<FaceBox> faces, detector.Detect(cur));
    const double sx = static_cast<double>(survey.frame_width) / cur.width;
    const double sy = static_cast<double>(survey.frame_height) / cur.height;
    for (FaceBox& f : faces) {
      f.x *= sx;
      f.width *= sx;
      f.y *= sy;
      f.height *= sy;
    }
    ++survey.samples;
    if (!faces.empty()) ++survey.samples_with_face;
    const std::optional<FaceBox> subject = tracker.Observe(cur.pts_ms, faces);
    if (subject && std::any_of(faces.begin(), faces.end(),
                               [&](const FaceBox& f) { return SameBox(f, *subject); })) {
      subject_boxes.push_back(*subject);
    }
  }
  if (subject_boxes.empty()) return survey;

  auto median_of = [&](double FaceBox::*field) {
    std::vector<double> v;
    for (const FaceBox& b : subject_boxes) v.push_back(b.*field);
    return Median(std::move(v));
  };
  FaceBox main;
  main.x = median_of(&FaceBox::x);
  main.y = median_of(&FaceBox::y);
  main.width = median_of(&FaceBox::width);
  main.height = median_of(&FaceBox::height);
  main.score = median_of(&FaceBox::score);
  survey.main_face = main;
  survey.main_face_width_fraction = main.width / survey.frame_width;
  std::vector<double> cx, cy;
  for (const FaceBox& b : subject_boxes) {
    cx.push_back(b.center_x());
    cy.push_back(b.center_y());
  }
  const double mx = Median(cx), my = Median(cy);
  double spread = 0;
  for (std::size_t i = 0; i < cx.size(); ++i) {
    spread = std::max(spread, std::hypot(cx[i] - mx, cy[i] - my));
  }
  survey.face_motion_fraction = spread / survey.frame_width;
  return survey;
}

}  // namespace clipthat::vision
