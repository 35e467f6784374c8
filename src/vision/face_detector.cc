#include "vision/face_detector.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <string>

namespace clipthat::vision {

// Why the LBP frontal cascade (24x24 window) is the default. CPU per whole-frame Detect() of a
// 1920x1080 kYuv420p frame at detect_width_px 480, one OpenCV thread, on the development machine
// (the project's face photo on a cluttered background, face 5% to 20% of the frame width):
//   haarcascade_frontalface_default    ~110 ms (scale step 1.1), ~65 ms (1.2)
//   lbpcascade_frontalface              ~22 ms (1.1), ~13.5 ms (1.2); DetectNear ~2 ms
//   lbpcascade_frontalface_improved     ~16 ms (1.1), ~10 ms (1.2), but its 45x45 window misses
//                                       faces under ~15% of the frame width at 480 px, and its
//                                       boxes sit inside the face
// Where they find the face, Haar and LBP agree on the box (within a few pixels at 480 px); LBP
// is five times cheaper, which matters next to x264 (crop, scale and encode of a 1080x1920
// frame at veryfast: ~20 ms of CPU on the same machine). The smallest face found is the 24 px
// window: 5% of the frame width at 480 px (found in 10 of 10 frames of the test clip at 5%).
namespace {

constexpr char kFallbackCascade[] =
    "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

}  // namespace

double IntersectionOverUnion(const FaceBox& a, const FaceBox& b) {
  const double ix = std::max(0.0, std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x));
  const double iy = std::max(0.0, std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y));
  const double inter = ix * iy;
  const double uni = a.area() + b.area() - inter;
  return uni > 0 ? inter / uni : 0.0;
}

struct FaceDetector::Impl {
  FaceDetectorOptions options;
  cv::CascadeClassifier cascade;
  cv::Size window;  // the cascade's own window: the smallest face it can see
  cv::Mat gray;     // reused between calls
  std::vector<cv::Rect> rects;
  std::vector<int> neighbours;

  // Searches `roi` (frame pixels) of `frame` shrunk by `scale`, for faces whose width at that
  // scale is in [min_px, max_px].
  Result<std::vector<FaceBox>> Run(const media::VideoFrame& frame, cv::Rect roi, double scale,
                                   double min_px, double max_px, int min_neighbors);
  double DetectScale(const media::VideoFrame& frame) const {
    return std::min(1.0, static_cast<double>(options.detect_width_px) / frame.width);
  }
};

Result<FaceDetector> FaceDetector::Open(const FaceDetectorOptions& options) {
  if (options.detect_width_px < 32 || options.min_face_width_fraction <= 0 ||
      options.max_face_width_fraction <= options.min_face_width_fraction ||
      options.scale_factor <= 1.0 || options.min_neighbors < 0) {
    return InvalidArgumentError("face detector: bad options (detect_width_px " +
                                std::to_string(options.detect_width_px) + ", scale_factor " +
                                std::to_string(options.scale_factor) + ")");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (impl->options.cascade_path.empty()) {
    impl->options.cascade_path = kDefaultFaceCascade;
    if (!std::filesystem::exists(impl->options.cascade_path)) {
      impl->options.cascade_path = kFallbackCascade;
    }
  }
  const std::string& path = impl->options.cascade_path;
  if (!std::filesystem::exists(path)) {
    return NotFoundError(path + ": face cascade not found (install opencv-data)");
  }
  try {
    if (!impl->cascade.load(path) || impl->cascade.empty()) {
      return NotFoundError(path + ": cannot load face cascade (install opencv-data)");
    }
    impl->window = impl->cascade.getOriginalWindowSize();
  } catch (const cv::Exception& e) {
    return NotFoundError(path + ": cannot load face cascade: " + e.what());
  }
  if (impl->window.width <= 0) impl->window = cv::Size(24, 24);
  return FaceDetector(std::move(impl));
}

FaceDetector::FaceDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceDetector::FaceDetector(FaceDetector&&) noexcept = default;
FaceDetector& FaceDetector::operator=(FaceDetector&&) noexcept = default;
FaceDetector::~FaceDetector() = default;

const FaceDetectorOptions& FaceDetector::options() const { return impl_->options; }

namespace {

Status CheckFrame(const media::VideoFrame& frame) {
  if (frame.width <= 0 || frame.height <= 0 ||
      frame.data.size() < media::VideoFrame::BufferSize(frame.width, frame.height, frame.format)) {
    return InvalidArgumentError("face detector: frame at " + FormatClock(frame.pts_ms) +
                                " is empty or smaller than " + std::to_string(frame.width) + "x" +
                                std::to_string(frame.height));
  }
  return Status::Ok();
}

// Best first: the largest face, then the surest (areas within 10% count as equal).
void SortBestFirst(std::vector<FaceBox>* faces) {
  std::sort(faces->begin(), faces->end(), [](const FaceBox& a, const FaceBox& b) {
    if (std::abs(a.area() - b.area()) > 0.1 * std::max(a.area(), b.area())) {
      return a.area() > b.area();
    }
    return a.score > b.score;
  });
}

}  // namespace

Result<std::vector<FaceBox>> FaceDetector::Impl::Run(const media::VideoFrame& frame, cv::Rect roi,
                                                     double scale, double min_px, double max_px,
                                                     int min_neighbors) {
  const int width = std::max(1, static_cast<int>(std::lround(roi.width * scale)));
  const int height = std::max(1, static_cast<int>(std::lround(roi.height * scale)));
  std::vector<FaceBox> faces;
  try {
    auto* data = const_cast<std::uint8_t*>(frame.data.data());
    if (frame.format == media::PixelFormat::kBgr24) {
      cv::Mat bgr = cv::Mat(frame.height, frame.width, CV_8UC3, data)(roi);
      cv::Mat small;
      if (width == roi.width && height == roi.height) {
        small = bgr;
      } else {
        cv::resize(bgr, small, cv::Size(width, height), 0, 0, cv::INTER_AREA);
      }
      cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
    } else {
      // kGray8 and kYuv420p: the first plane is the gray picture, used in place.
      cv::Mat plane = cv::Mat(frame.height, frame.width, CV_8UC1, data)(roi);
      if (width == roi.width && height == roi.height) {
        plane.copyTo(gray);
      } else {
        cv::resize(plane, gray, cv::Size(width, height), 0, 0, cv::INTER_AREA);
      }
    }
    cv::equalizeHist(gray, gray);
    const int lo = std::max(window.width, static_cast<int>(std::lround(min_px)));
    const int hi =
        std::min(std::min(width, height), std::max(lo + 1, static_cast<int>(std::lround(max_px))));
    if (hi <= lo) return faces;  // the region is smaller than the smallest face
    const double aspect = static_cast<double>(window.height) / window.width;
    rects.clear();
    neighbours.clear();
    cascade.detectMultiScale(gray, rects, neighbours, options.scale_factor, min_neighbors, 0,
                             cv::Size(lo, static_cast<int>(std::lround(lo * aspect))),
                             cv::Size(hi, static_cast<int>(std::lround(hi * aspect))));
    faces.reserve(rects.size());
    const double sx = static_cast<double>(roi.width) / width;
    const double sy = static_cast<double>(roi.height) / height;
    for (std::size_t i = 0; i < rects.size(); ++i) {
      const cv::Rect& r = rects[i];
      FaceBox box;
      box.x = roi.x + r.x * sx;
      box.y = roi.y + r.y * sy;
      box.width = r.width * sx;
      box.height = r.height * sy;
      box.score = i < neighbours.size() ? neighbours[i] : 1.0;
      faces.push_back(box);
    }
  } catch (const cv::Exception& e) {
    return DataError("face detector: frame at " + FormatClock(frame.pts_ms) +
                     ": OpenCV: " + e.what());
  }
  SortBestFirst(&faces);
  return faces;
}

Result<std::vector<FaceBox>> FaceDetector::Detect(const media::VideoFrame& frame) {
  if (!impl_) return InvalidArgumentError("face detector: moved from");
  RETURN_IF_ERROR(CheckFrame(frame));
  const FaceDetectorOptions& opt = impl_->options;
  const double width = std::min(frame.width, opt.detect_width_px);
  return impl_->Run(frame, cv::Rect(0, 0, frame.width, frame.height), impl_->DetectScale(frame),
                    opt.min_face_width_fraction * width, opt.max_face_width_fraction * width,
                    opt.min_neighbors);
}

double FaceDetector::MinFaceWidthPx(int frame_width) const {
  const FaceDetectorOptions& opt = impl_->options;
  const double scale = std::min(1.0, static_cast<double>(opt.detect_width_px) / frame_width);
  return std::max(impl_->window.width / scale,
                  opt.min_face_width_fraction * std::min(frame_width, opt.detect_width_px) / scale);
}

Result<std::vector<FaceBox>> FaceDetector::DetectInRegion(const media::VideoFrame& frame,
                                                          const RegionSearch& search) {
  if (!impl_) return InvalidArgumentError("face detector: moved from");
  RETURN_IF_ERROR(CheckFrame(frame));
  if (!(search.scale > 0 && search.scale <= 1.0) || search.min_face_px < 0 ||
      search.max_face_px < 0) {
    return InvalidArgumentError("face detector: bad region search (scale " +
                                std::to_string(search.scale) + ")");
  }
  const media::CropRect& r = search.region;
  const cv::Rect roi = (r.width <= 0 || r.height <= 0 ? cv::Rect(0, 0, frame.width, frame.height)
                                                      : cv::Rect(r.x, r.y, r.width, r.height)) &
                       cv::Rect(0, 0, frame.width, frame.height);
  if (roi.width < 8 || roi.height < 8) return std::vector<FaceBox>{};
  const double max_px = search.max_face_px > 0 ? search.max_face_px : 1e9;
  return impl_->Run(
      frame, roi, search.scale, search.min_face_px * search.scale,
      std::min(1e6, max_px * search.scale),
      search.min_neighbors >= 0 ? search.min_neighbors : impl_->options.min_neighbors);
}

Result<std::vector<FaceBox>> FaceDetector::DetectNear(const media::VideoFrame& frame,
                                                      const FaceBox& hint, double search_widths) {
  if (!impl_) return InvalidArgumentError("face detector: moved from");
  RETURN_IF_ERROR(CheckFrame(frame));
  if (hint.width <= 0 || hint.height <= 0) return Detect(frame);
  const double reach_x = search_widths * hint.width + hint.width / 2;
  const double reach_y = search_widths * hint.height + hint.height / 2;
  const cv::Rect roi = cv::Rect(static_cast<int>(hint.center_x() - reach_x),
                                static_cast<int>(hint.center_y() - reach_y),
                                static_cast<int>(2 * reach_x), static_cast<int>(2 * reach_y)) &
                       cv::Rect(0, 0, frame.width, frame.height);
  if (roi.width < 8 || roi.height < 8) return std::vector<FaceBox>{};
  const double scale = impl_->DetectScale(frame);
  return impl_->Run(frame, roi, scale, 0.6 * hint.width * scale, 1.6 * hint.width * scale,
                    impl_->options.min_neighbors);
}

}  // namespace clipthat::vision
