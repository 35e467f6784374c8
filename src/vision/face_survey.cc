#include "vision/face_survey.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>
#include <vector>

#include "media/keyframe_decoder.h"
#include "media/probe.h"

// Cost (bench/survey_bench on 60 s 1080p30 samples, 8 samples per 30 s window, one core of the
// 2-core development machine under load): 250-320 ms of CPU per survey, 1.7-1.9 times the
// whole-frame-only survey at 480 px it replaced (140-170 ms). Decoding to 960 px and the
// whole-frame scan add ~10%, the border scan for small faces most of the rest (~12 ms a
// sample), the camera rectangle search ~1 ms. Rendering a 30 s clip costs ~16 s of CPU, so the
// survey went from ~1% to ~1.7% of a clip.
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

FaceTrackerOptions SurveyTrackerOptions(TimeMs window_ms) {
  // A tracker with a memory as long as the window: samples are seconds apart.
  FaceTrackerOptions topt;
  topt.hold_ms = std::max<TimeMs>(1, window_ms) + 1;
  topt.switch_ms = 0;
  topt.min_hits = 1;
  topt.match_distance = 3.0;
  topt.box_smoothing = 1.0;
  return topt;
}

// `frame` as a kGray8 picture `width` wide (its aspect kept, even height).
media::VideoFrame GrayAtWidth(const media::VideoFrame& frame, int width) {
  if (frame.format == media::PixelFormat::kGray8 && frame.width == width) return frame;
  auto* data = const_cast<std::uint8_t*>(frame.data.data());
  cv::Mat gray;
  if (frame.format == media::PixelFormat::kBgr24) {
    cv::cvtColor(cv::Mat(frame.height, frame.width, CV_8UC3, data), gray, cv::COLOR_BGR2GRAY);
  } else {
    gray = cv::Mat(frame.height, frame.width, CV_8UC1, data);  // kGray8, or kYuv420p's luma
  }
  const int height = std::max(2, static_cast<int>(std::lround(static_cast<double>(width) *
                                                              frame.height / frame.width / 2.0)) *
                                     2);
  media::VideoFrame out;
  out.pts_ms = frame.pts_ms;
  out.keyframe = frame.keyframe;
  out.Allocate(width, height, media::PixelFormat::kGray8);
  cv::Mat dst(height, width, CV_8UC1, out.data.data());
  cv::resize(gray, dst, dst.size(), 0, 0, width < frame.width ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}

}  // namespace

int FaceSurveyBuilder::AnalysisWidth(int frame_width, const FaceSurveyOptions& options) {
  return std::max(2, std::min(frame_width, options.analysis_width_px) & ~1);
}

FaceSurveyBuilder::FaceSurveyBuilder(int frame_width, int frame_height, TimeMs window_ms,
                                     FaceDetector& detector, const FaceSurveyOptions& options)
    : frame_width_(frame_width),
      frame_height_(frame_height),
      detector_(&detector),
      options_(options),
      tracker_(SurveyTrackerOptions(window_ms)) {}

Status FaceSurveyBuilder::Add(const media::VideoFrame& frame) {
  if (frame.width <= 0 || frame.height <= 0 ||
      frame.data.size() < media::VideoFrame::BufferSize(frame.width, frame.height, frame.format)) {
    return InvalidArgumentError("face survey: frame at " + FormatClock(frame.pts_ms) +
                                " is empty or smaller than its size");
  }
  media::VideoFrame gray = GrayAtWidth(frame, AnalysisWidth(frame_width_, options_));
  const int aw = gray.width, ah = gray.height;
  ASSIGN_OR_RETURN(std::vector<FaceBox> faces, detector_->Detect(gray));

  // The borders again at the analysis width, for faces below the whole-frame scan's floor.
  const int band_w = static_cast<int>(options_.small_face_band_width * aw);
  const int band_h = static_cast<int>(options_.small_face_band_height * ah);
  if (band_w > 0 && band_h > 0) {
    const double max_px = 1.3 * detector_->MinFaceWidthPx(aw);
    const int overlap = static_cast<int>(std::ceil(max_px));
    const int side_y0 = std::max(0, band_h - overlap);
    const int side_y1 = std::min(ah, ah - band_h + overlap);
    const media::CropRect bands[] = {{0, 0, aw, band_h},
                                     {0, ah - band_h, aw, band_h},
                                     {0, side_y0, band_w, side_y1 - side_y0},
                                     {aw - band_w, side_y0, band_w, side_y1 - side_y0}};
    std::vector<FaceBox> small;
    for (const media::CropRect& band : bands) {
      FaceDetector::RegionSearch search;
      search.region = band;
      search.scale = 1.0;
      search.max_face_px = max_px;
      search.min_neighbors = options_.small_face_min_neighbors;
      ASSIGN_OR_RETURN(std::vector<FaceBox> found, detector_->DetectInRegion(gray, search));
      for (const FaceBox& f : found) {
        // Bands overlap, and the whole-frame scan may have the same face: keep one of each.
        auto same = [&](const FaceBox& g) { return IntersectionOverUnion(f, g) > 0.3; };
        if (std::none_of(faces.begin(), faces.end(), same) &&
            std::none_of(small.begin(), small.end(), same)) {
          small.push_back(f);
        }
      }
    }
    faces.insert(faces.end(), small.begin(), small.end());
  }

  const double sx = static_cast<double>(frame_width_) / aw;
  const double sy = static_cast<double>(frame_height_) / ah;
  for (FaceBox& f : faces) {
    f.x *= sx;
    f.width *= sx;
    f.y *= sy;
    f.height *= sy;
  }
  ++samples_;
  if (!faces.empty()) ++samples_with_face_;
  const std::optional<FaceBox> subject = tracker_.Observe(frame.pts_ms, faces);
  if (subject && std::any_of(faces.begin(), faces.end(),
                             [&](const FaceBox& f) { return SameBox(f, *subject); })) {
    subject_boxes_.push_back(*subject);
  }
  gray_.push_back(std::move(gray));
  return Status::Ok();
}

FaceSurvey FaceSurveyBuilder::Finish() const {
  FaceSurvey survey;
  survey.frame_width = frame_width_;
  survey.frame_height = frame_height_;
  survey.samples = samples_;
  survey.samples_with_face = samples_with_face_;
  if (subject_boxes_.empty()) return survey;

  auto median_of = [&](double FaceBox::*field) {
    std::vector<double> v;
    for (const FaceBox& b : subject_boxes_) v.push_back(b.*field);
    return Median(std::move(v));
  };
  FaceBox main;
  main.x = median_of(&FaceBox::x);
  main.y = median_of(&FaceBox::y);
  main.width = median_of(&FaceBox::width);
  main.height = median_of(&FaceBox::height);
  main.score = median_of(&FaceBox::score);
  survey.main_face = main;
  survey.main_face_width_fraction = main.width / frame_width_;
  std::vector<double> cx, cy;
  for (const FaceBox& b : subject_boxes_) {
    cx.push_back(b.center_x());
    cy.push_back(b.center_y());
  }
  const double mx = Median(cx), my = Median(cy);
  double spread = 0;
  for (std::size_t i = 0; i < cx.size(); ++i) {
    spread = std::max(spread, std::hypot(cx[i] - mx, cy[i] - my));
  }
  survey.face_motion_fraction = spread / frame_width_;

  if (survey.main_face_width_fraction < options_.max_facecam_face_width && !gray_.empty()) {
    // The camera rectangle, searched at the analysis width and mapped back.
    const double ax = static_cast<double>(gray_[0].width) / frame_width_;
    const double ay = static_cast<double>(gray_[0].height) / frame_height_;
    FaceBox face = main;
    face.x *= ax;
    face.width *= ax;
    face.y *= ay;
    face.height *= ay;
    if (std::optional<FacecamRect> cam = FindFacecam(gray_, face, options_.finder)) {
      const media::CropRect& r = cam->rect;
      const int x0 = std::clamp(static_cast<int>(std::floor(r.x / ax)) & ~1, 0, frame_width_);
      const int y0 = std::clamp(static_cast<int>(std::floor(r.y / ay)) & ~1, 0, frame_height_);
      const int x1 =
          std::min(frame_width_ & ~1, (static_cast<int>(std::ceil((r.x + r.width) / ax)) + 1) & ~1);
      const int y1 = std::min(frame_height_ & ~1,
                              (static_cast<int>(std::ceil((r.y + r.height) / ay)) + 1) & ~1);
      if (x1 > x0 && y1 > y0) {
        survey.facecam = media::CropRect{x0, y0, x1 - x0, y1 - y0};
        survey.facecam_support = cam->support;
      }
    }
  }
  return survey;
}

Result<FaceSurvey> SurveyFaces(const std::string& path, TimeMs start_ms, TimeMs end_ms,
                               FaceDetector& detector, int max_samples) {
  FaceSurveyOptions options;
  options.max_samples = max_samples;
  return SurveyFaces(path, start_ms, end_ms, detector, options);
}

Result<FaceSurvey> SurveyFaces(const std::string& path, TimeMs start_ms, TimeMs end_ms,
                               FaceDetector& detector, const FaceSurveyOptions& options) {
  const int max_samples = options.max_samples;
  if (end_ms <= start_ms || max_samples < 1) {
    return InvalidArgumentError(path + ": bad face survey window " + FormatClock(start_ms) +
                                " to " + FormatClock(end_ms) + " with " +
                                std::to_string(max_samples) + " samples");
  }
  ASSIGN_OR_RETURN(media::ProbeInfo info, media::Probe(path));
  if (info.video() == nullptr) return UnsupportedError(path + ": no video stream");
  const int frame_width = info.video()->width, frame_height = info.video()->height;
  if (frame_width <= 0 || frame_height <= 0) {
    return DataError(path + ": video stream has no size");
  }

  // Keyframes only, decoded straight to the analysis width in gray: the survey then has
  // nothing to convert.
  media::KeyframeDecoderOptions kopt;
  kopt.width = FaceSurveyBuilder::AnalysisWidth(frame_width, options);
  kopt.format = media::PixelFormat::kGray8;
  ASSIGN_OR_RETURN(media::KeyframeDecoder decoder, media::KeyframeDecoder::Open(path, kopt));
  FaceSurveyBuilder builder(frame_width, frame_height, end_ms - start_ms, detector, options);

  TimeMs last_pts_ms = -1;
  // Each sample is the last keyframe at or before its time. Keyframes are read in order while
  // samples are close together (no waste: every decoded keyframe is either a sample or the one
  // just past it); a sample several keyframe intervals ahead is reached by seeking.
  media::VideoFrame cur, next;
  bool have_cur = false, have_next = false, at_end = false;
  TimeMs interval_ms = 0;
  int samples = 0;
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
    if (cur.pts_ms >= end_ms && samples > 0) break;
    last_pts_ms = cur.pts_ms;
    RETURN_IF_ERROR(builder.Add(cur));
    ++samples;
  }
  return builder.Finish();
}

}  // namespace clipthat::vision
