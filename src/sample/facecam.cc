#include "sample/facecam.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

namespace clipthat::sample {
namespace {

constexpr double kSwayMargin = 1.12;  // source is this much larger than the box
constexpr double kBoxAspect = 4.0 / 3.0;

}  // namespace

const std::vector<std::string>& FacePhotoCandidates() {
  static const std::vector<std::string> kPaths = {
      "/usr/share/doc/opencv-doc/opencv4/html/227943776_1.jpg",
      "/usr/share/doc/opencv-doc/opencv4/html/230501201_1.jpg",
      "/usr/share/doc/opencv-doc/opencv4/html/ab.jpg",
      "/usr/share/doc/opencv-doc/examples/data/messi5.jpg",
  };
  return kPaths;
}

Result<FacePhoto> LoadFacePhoto() {
  try {
    cv::CascadeClassifier cascade;
    if (!cascade.load(kFrontalFaceCascade)) {
      return NotFoundError(std::string(kFrontalFaceCascade) +
                           ": cannot load face cascade (install opencv-data)");
    }
    bool any_exists = false;
    for (const std::string& path : FacePhotoCandidates()) {
      if (!std::filesystem::exists(path)) continue;
      any_exists = true;
      cv::Mat image = cv::imread(path, cv::IMREAD_COLOR);
      if (image.empty()) continue;
      cv::Mat gray;
      cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
      cv::equalizeHist(gray, gray);
      std::vector<cv::Rect> faces;
      cascade.detectMultiScale(gray, faces, 1.1, 5, 0, cv::Size(60, 60));
      if (faces.empty()) continue;
      cv::Rect face = *std::max_element(faces.begin(), faces.end(),
                                        [](auto& a, auto& b) { return a.area() < b.area(); });
      // Head and shoulders: the face takes about half the width, a little above the centre.
      int crop_w = static_cast<int>(face.width * 2.1);
      int crop_h = static_cast<int>(crop_w / kBoxAspect);
      int cx = face.x + face.width / 2;
      int cy = face.y + face.height / 2 + face.height / 10;
      cv::Rect want(cx - crop_w / 2, cy - crop_h / 2, crop_w, crop_h);
      // Pad by replicating the edge where the crop leaves the photo.
      int pad = std::max({0, -want.x, -want.y, want.br().x - image.cols, want.br().y - image.rows});
      cv::Mat padded;
      cv::copyMakeBorder(image, padded, pad, pad, pad, pad, cv::BORDER_REPLICATE);
      FacePhoto photo;
      photo.crop = padded(want + cv::Point(pad, pad)).clone();
      photo.source_path = path;
      return photo;
    }
    if (!any_exists) {
      return NotFoundError(FacePhotoCandidates().front() +
                           ": no face photo found (install opencv-doc)");
    }
    return DataError(FacePhotoCandidates().front() + ": no detectable face in any candidate photo");
  } catch (const cv::Exception& e) {
    return DataError(std::string("face photo: OpenCV: ") + e.what());
  }
}

cv::Rect FacecamBox(const FacecamOptions& facecam, int frame_width, int frame_height) {
  using P = FacecamPosition;
  const P pos = facecam.position;
  if (pos == P::kNone || frame_width <= 0 || frame_height <= 0) return {};
  if (pos == P::kFull) return {0, 0, frame_width, frame_height};
  int w = std::max(32, frame_width * facecam.width_pct / 100) & ~1;
  int h = static_cast<int>(w / kBoxAspect) & ~1;
  if (h > frame_height / 2) {  // keep 4:3: narrow the box instead of squashing the photo
    h = (frame_height / 2) & ~1;
    w = static_cast<int>(h * kBoxAspect) & ~1;
  }
  const int margin = std::max(2, frame_height / 40);
  const bool left = pos == P::kTopLeft || pos == P::kLeft || pos == P::kBottomLeft;
  const bool right = pos == P::kTopRight || pos == P::kRight || pos == P::kBottomRight;
  const bool top = pos == P::kTopLeft || pos == P::kTop || pos == P::kTopRight;
  const bool bottom = pos == P::kBottomLeft || pos == P::kBottom || pos == P::kBottomRight;
  const int x = left ? margin : right ? frame_width - w - margin : ((frame_width - w) / 2) & ~1;
  const int y = top ? margin : bottom ? frame_height - h - margin : ((frame_height - h) / 2) & ~1;
  return {x, y, w, h};
}

cv::Rect FacecamBox(int frame_width, int frame_height) {
  return FacecamBox(FacecamOptions{}, frame_width, frame_height);
}

int FacecamBorderPx(int box_width) { return std::max(1, box_width / 120); }

FacecamPainter::FacecamPainter(const FacePhoto& photo, cv::Rect box, FacecamBorder border)
    : box_(box), border_(border) {
  cv::Size size(static_cast<int>(box.width * kSwayMargin) + 2,
                static_cast<int>(box.height * kSwayMargin) + 2);
  const cv::Mat& crop = photo.crop;
  const double crop_aspect = static_cast<double>(crop.cols) / crop.rows;
  const double box_aspect = static_cast<double>(size.width) / size.height;
  if (std::abs(box_aspect / crop_aspect - 1) > 0.03) {  // kFull: the crop's centre, not squashed
    cv::Rect keep(0, 0, crop.cols, crop.rows);
    if (box_aspect > crop_aspect) {
      keep.height = std::max(1, static_cast<int>(crop.cols / box_aspect));
      // The face sits a little above the crop's middle (LoadFacePhoto): keep its forehead.
      keep.y = std::max(0, (crop.rows - keep.height) / 2 - crop.rows / 16);
    } else {
      keep.width = std::max(1, static_cast<int>(crop.rows * box_aspect));
      keep.x = (crop.cols - keep.width) / 2;
    }
    cv::resize(crop(keep), source_, size, 0, 0,
               size.width > keep.width ? cv::INTER_LINEAR : cv::INTER_AREA);
    return;
  }
  cv::resize(crop, source_, size, 0, 0, cv::INTER_AREA);
}

void FacecamPainter::Paint(cv::Mat& frame, double t_s, double excitement) const {
  // Slow, incommensurate sines read as a living head; excitement adds a quicker bounce.
  double free_x = (source_.cols - box_.width) / 2.0;
  double free_y = (source_.rows - box_.height) / 2.0;
  double sway = 0.7 * std::sin(2 * M_PI * t_s / 5.3) + 0.3 * std::sin(2 * M_PI * t_s / 2.9);
  double bob = 0.6 * std::sin(2 * M_PI * t_s / 3.7 + 1.0) + 0.4 * std::sin(2 * M_PI * t_s * 2.2);
  bob = (1 - excitement) * 0.6 * std::sin(2 * M_PI * t_s / 3.7 + 1.0) + excitement * bob;
  int x = static_cast<int>(std::lround(free_x * (1 + 0.9 * sway)));
  int y = static_cast<int>(std::lround(free_y * (1 + 0.9 * bob)));
  x = std::clamp(x, 0, source_.cols - box_.width);
  y = std::clamp(y, 0, source_.rows - box_.height);
  source_(cv::Rect(x, y, box_.width, box_.height)).copyTo(frame(box_));
  if (border_ == FacecamBorder::kNone) return;
  cv::rectangle(frame, box_, cv::Scalar(180, 70, 145), FacecamBorderPx(box_.width));
}

}  // namespace clipthat::sample
