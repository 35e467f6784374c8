#include "analysis/video_features.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

namespace clipthat::analysis {
namespace {

// Sample-and-hold of one per-keyframe value onto a uniform grid: each keyframe's value covers
// the bins from its time until the next keyframe's; bins before the first keyframe read 0.
TimeSeries HoldOnGrid(const std::vector<KeyframeFeatures>& kf, double KeyframeFeatures::*field,
                      TimeMs step_ms, TimeMs duration_ms) {
  TimeSeries out;
  out.step_ms = step_ms;
  const auto bins = static_cast<size_t>((std::max<TimeMs>(0, duration_ms) + step_ms - 1) / step_ms);
  out.values.assign(bins, 0.0);
  size_t k = 0;
  for (size_t b = 0; b < bins; ++b) {
    const TimeMs t = static_cast<TimeMs>(b) * step_ms;
    while (k + 1 < kf.size() && kf[k + 1].pts_ms <= t) ++k;
    if (!kf.empty() && kf[k].pts_ms <= t + step_ms) out.values[b] = kf[k].*field;
  }
  // A keyframe that falls inside a bin also counts for that bin if it is larger (a cut
  // between grid points is not lost).
  for (const KeyframeFeatures& f : kf) {
    const auto b = static_cast<size_t>(std::max<TimeMs>(0, f.pts_ms) / step_ms);
    if (b < bins) out.values[b] = std::max(out.values[b], f.*field);
  }
  return out;
}

}  // namespace

struct VideoFeatureExtractor::Impl {
  VideoFeatureOptions opt;
  cv::CascadeClassifier cascade;
  bool faces_on = false;
  cv::Mat small, gray, prev_gray, face_gray;
  std::vector<float> hist, prev_hist;
  bool have_prev = false;
  int seen = 0;
  double last_face = 0;
  std::vector<cv::Rect> faces;
  std::vector<KeyframeFeatures> keyframes;

  Status Push(const media::VideoFrame& frame) {
    int type;
    if (frame.format == media::PixelFormat::kBgr24) {
      type = CV_8UC3;
    } else if (frame.format == media::PixelFormat::kGray8) {
      type = CV_8UC1;
    } else {
      return InvalidArgumentError("video features: keyframe at " + FormatClock(frame.pts_ms) +
                                  " is not BGR or gray");
    }
    if (frame.width <= 0 || frame.height <= 0 ||
        frame.data.size() <
            media::VideoFrame::BufferSize(frame.width, frame.height, frame.format)) {
      return InvalidArgumentError("video features: keyframe at " + FormatClock(frame.pts_ms) +
                                  " has no picture");
    }
    try {
      const cv::Mat image(frame.height, frame.width, type,
                          const_cast<std::uint8_t*>(frame.data.data()));
      KeyframeFeatures f;
      f.pts_ms = frame.pts_ms;
      const int w = std::min(frame.width, std::max(8, opt.analysis_width_px));
      const int h = std::max(
          1, static_cast<int>(std::lround(static_cast<double>(frame.height) * w / frame.width)));
      if (w == frame.width) {
        image.copyTo(small);
      } else {
        cv::resize(image, small, cv::Size(w, h), 0, 0, cv::INTER_AREA);
      }
      if (type == CV_8UC3) {
        cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
      } else {
        small.copyTo(gray);
      }
      Histogram(small);
      f.mean_luma = cv::mean(gray)[0];
      if (have_prev && prev_gray.size() == gray.size()) {
        double diff = 0;
        for (size_t i = 0; i < hist.size(); ++i) diff += std::abs(hist[i] - prev_hist[i]);
        f.scene_cut = 0.5 * diff / small.channels();
        cv::Mat d;
        cv::absdiff(gray, prev_gray, d);
        f.visual_change = cv::mean(d)[0];
      }
      if (faces_on) {
        if (seen % opt.face_every_n_keyframes == 0) last_face = DetectFace(image, type) ? 1 : 0;
        f.face = last_face;
      }
      ++seen;
      std::swap(gray, prev_gray);
      std::swap(hist, prev_hist);
      have_prev = true;
      keyframes.push_back(f);
    } catch (const cv::Exception& e) {
      return DataError("video features: keyframe at " + FormatClock(frame.pts_ms) +
                       ": OpenCV: " + e.what());
    }
    return Status::Ok();
  }

  // Per-channel histograms, each normalised to sum 1, channels one after another.
  void Histogram(const cv::Mat& img) {
    const int bins = std::clamp(opt.histogram_bins, 2, 256);
    const int ch = img.channels();
    hist.assign(static_cast<size_t>(bins * ch), 0.0f);
    const int shift_div = 256 / bins;
    for (int y = 0; y < img.rows; ++y) {
      const std::uint8_t* row = img.ptr<std::uint8_t>(y);
      for (int x = 0; x < img.cols * ch; x += ch) {
        for (int c = 0; c < ch; ++c)
          hist[c * bins + std::min(bins - 1, row[x + c] / shift_div)] += 1;
      }
    }
    const float total = static_cast<float>(img.rows * img.cols);
    for (float& v : hist) v /= total;
  }

  bool DetectFace(const cv::Mat& image, int type) {
    const cv::Mat* src = &image;
    cv::Mat scaled;
    if (image.cols > opt.face_width_px) {
      const int h = std::max(1, static_cast<int>(std::lround(static_cast<double>(image.rows) *
                                                             opt.face_width_px / image.cols)));
      cv::resize(image, scaled, cv::Size(opt.face_width_px, h), 0, 0, cv::INTER_AREA);
      src = &scaled;
    }
    if (type == CV_8UC3) {
      cv::cvtColor(*src, face_gray, cv::COLOR_BGR2GRAY);
    } else {
      src->copyTo(face_gray);
    }
    faces.clear();
    const int min_px = std::max(8, opt.face_min_size_px);
    const int max_px = std::max(
        min_px,
        static_cast<int>(face_gray.rows * std::clamp(opt.face_max_height_fraction, 0.0, 1.0)));
    cascade.detectMultiScale(face_gray, faces, opt.face_scale_factor, opt.face_min_neighbors, 0,
                             cv::Size(min_px, min_px), cv::Size(max_px, max_px));
    return !faces.empty();
  }

  VideoFeatures Finish(TimeMs duration_ms) {
    VideoFeatures out;
    out.keyframes = std::move(keyframes);
    auto& kf = out.keyframes;
    for (size_t i = 1; i + 1 < kf.size(); ++i) {
      const double rise =
          std::min(kf[i].mean_luma - kf[i - 1].mean_luma, kf[i].mean_luma - kf[i + 1].mean_luma);
      kf[i].flash = std::max(0.0, rise);
    }
    const TimeMs step = std::max<TimeMs>(1, opt.step_ms);
    out.scene_cut = HoldOnGrid(kf, &KeyframeFeatures::scene_cut, step, duration_ms);
    out.visual_change = HoldOnGrid(kf, &KeyframeFeatures::visual_change, step, duration_ms);
    out.flash = HoldOnGrid(kf, &KeyframeFeatures::flash, step, duration_ms);
    out.face = HoldOnGrid(kf, &KeyframeFeatures::face, step, duration_ms);
    keyframes.clear();
    have_prev = false;
    seen = 0;
    last_face = 0;
    return out;
  }
};

Result<VideoFeatureExtractor> VideoFeatureExtractor::Create(const VideoFeatureOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->opt = options;
  if (options.face_every_n_keyframes > 0) {
    try {
      if (!impl->cascade.load(options.face_cascade_path)) {
        return NotFoundError(options.face_cascade_path +
                             ": cannot load the face cascade (install opencv-data)");
      }
    } catch (const cv::Exception& e) {
      return NotFoundError(options.face_cascade_path +
                           ": cannot load the face cascade: " + e.what());
    }
    impl->faces_on = true;
  }
  return VideoFeatureExtractor(std::move(impl));
}

VideoFeatureExtractor::VideoFeatureExtractor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoFeatureExtractor::VideoFeatureExtractor(VideoFeatureExtractor&&) noexcept = default;
VideoFeatureExtractor& VideoFeatureExtractor::operator=(VideoFeatureExtractor&&) noexcept = default;
VideoFeatureExtractor::~VideoFeatureExtractor() = default;

Status VideoFeatureExtractor::Push(const media::VideoFrame& frame) { return impl_->Push(frame); }

VideoFeatures VideoFeatureExtractor::Finish(TimeMs duration_ms) {
  return impl_->Finish(duration_ms);
}

}  // namespace clipthat::analysis
