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

cv::Rect FacecamBox(int frame_width, int frame_height) {
  int w = std::max(32, frame_width * 30 / 100) & ~1;
  int h = static_cast<int>(w / kBoxAspect) & ~1;
  h = std::min(h, frame_height / 2);
  int margin = std::max(2, frame_height / 40);
  return {margin, frame_height - h - margin, w, h};
}

FacecamPainter::FacecamPainter(const FacePhoto& photo, cv::Rect box) : box_(box) {
  cv::Size size(static_cast<int>(box.width * kSwayMargin) + 2,
                static_cast<int>(box.height * kSwayMargin) + 2);
  cv::resize(photo.crop, source_, size, 0, 0, cv::INTER_AREA);
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
  int border = std::max(1, box_.width / 120);
  cv::rectangle(frame, box_, cv::Scalar(180, 70, 145), border);
}

}  // namespace clipthat::sample
