#include "render/thumbnail.h"

#include <algorithm>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "core/files.h"

namespace clipthat::render {

Status WriteJpeg(const media::VideoFrame& frame, const std::string& path, int quality) {
  if (frame.width <= 0 || frame.height <= 0 ||
      frame.data.size() < media::VideoFrame::BufferSize(frame.width, frame.height, frame.format)) {
    return InvalidArgumentError(path + ": empty or short frame for the thumbnail");
  }
  cv::Mat bgr;
  if (frame.format == media::PixelFormat::kYuv420p) {
    if (frame.width % 2 || frame.height % 2) {
      return InvalidArgumentError(path + ": thumbnail frame size must be even");
    }
    const cv::Mat yuv(frame.height * 3 / 2, frame.width, CV_8UC1,
                      const_cast<std::uint8_t*>(frame.data.data()));
    cv::cvtColor(yuv, bgr, cv::COLOR_YUV2BGR_I420);
  } else if (frame.format == media::PixelFormat::kBgr24) {
    bgr = cv::Mat(frame.height, frame.width, CV_8UC3, const_cast<std::uint8_t*>(frame.data.data()));
  } else {
    bgr = cv::Mat(frame.height, frame.width, CV_8UC1, const_cast<std::uint8_t*>(frame.data.data()));
  }
  std::vector<std::uint8_t> jpeg;
  if (!cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, std::clamp(quality, 1, 100)})) {
    return IoError(path + ": cannot encode JPEG");
  }
  return WriteFileAtomically(
      path, std::string_view(reinterpret_cast<const char*>(jpeg.data()), jpeg.size()));
}

long long ThumbnailFrameIndex(long long total_frames, int fps, TimeMs title_card_ms) {
  if (total_frames <= 0) return 0;
  const long long at = title_card_ms > 0 ? (title_card_ms + 1000) * fps / 1000 : total_frames / 3;
  return std::clamp<long long>(at, 0, total_frames - 1);
}

std::string ThumbnailPathFor(const std::string& video_path) {
  return std::filesystem::path(video_path).replace_extension(".jpg").string();
}

}  // namespace clipthat::render
