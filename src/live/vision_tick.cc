#include "live/vision_tick.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace clipthat::live {

namespace {

const nlohmann::json& VerdictSchema() {
  static const nlohmann::json schema = {{"type", "object"},
                                        {"properties",
                                         {{"score", {{"type", "number"}}},
                                          {"clip_worthy", {{"type", "boolean"}}},
                                          {"description", {{"type", "string"}}}}},
                                        {"required", {"score", "clip_worthy", "description"}},
                                        {"additionalProperties", false}};
  return schema;
}

constexpr char kPrompt[] =
    "This is a frame of a live video game or IRL stream. Rate from 0 to 1 how likely it shows a "
    "moment viewers would clip and share (a big play, a fail, a surprise, a funny reaction), "
    "say whether it is clip worthy, and describe it in under 12 words.";

}  // namespace

VisionTick::VisionTick(const VisionTickOptions& options, std::optional<ai::ChatClient> remote)
    : options_(options), remote_(std::move(remote)), next_ms_(options.interval_ms) {}

void VisionTick::PushKeyframe(const media::VideoFrame& frame) {
  if (frame.format != media::PixelFormat::kBgr24 || frame.width <= 0 || frame.height <= 0) return;
  const cv::Mat bgr(frame.height, frame.width, CV_8UC3,
                    const_cast<std::uint8_t*>(frame.data.data()));
  cv::Mat gray;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  std::vector<std::uint8_t> luma(gray.datastart, gray.dataend);
  const double mean = cv::mean(gray)[0];
  if (last_luma_.size() == luma.size()) {
    double diff = 0;
    for (std::size_t i = 0; i < luma.size(); ++i) {
      diff += std::abs(static_cast<int>(luma[i]) - static_cast<int>(last_luma_[i]));
    }
    change_sum_ += diff / static_cast<double>(luma.size());
    ++pairs_;
    flash_max_ = std::max(flash_max_, mean - last_mean_);
  }
  last_luma_ = std::move(luma);
  last_mean_ = mean;
  ++keyframes_;
  latest_ = frame;
}

TickVerdict VisionTick::Tick(TimeMs at_ms) {
  TickVerdict v;
  v.at_ms = at_ms;
  v.scorer = "builtin";
  v.keyframes = keyframes_;
  v.change = pairs_ > 0 ? change_sum_ / pairs_ : 0;
  v.flash = std::max(0.0, flash_max_);
  v.score = 0.6 * std::min(1.0, v.change / 40.0) + 0.4 * std::min(1.0, v.flash / 60.0);
  if (remote_ && !latest_.data.empty()) {
    const cv::Mat bgr(latest_.height, latest_.width, CV_8UC3, latest_.data.data());
    std::vector<std::uint8_t> jpeg;
    if (cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, options_.jpeg_quality})) {
      ai::ChatRequest req;
      req.user_text = kPrompt;
      req.jpeg_images.emplace_back(jpeg.begin(), jpeg.end());
      req.schema_name = "tick";
      req.schema = VerdictSchema();
      req.max_tokens = 200;
      auto answer = remote_->Complete(req);
      if (answer.ok()) {
        const nlohmann::json& a = *answer;
        v.scorer = "remote";
        v.score = std::clamp(a.value("score", 0.0), 0.0, 1.0);
        v.clip_worthy = a.value("clip_worthy", false) && v.score >= options_.remote_min_score;
        v.description = a.value("description", std::string()).substr(0, 200);
      } else {
        v.error = answer.status().message();
      }
    }
  }
  next_ms_ = at_ms + options_.interval_ms;
  change_sum_ = 0;
  flash_max_ = 0;
  keyframes_ = 0;
  pairs_ = 0;
  return v;
}

}  // namespace clipthat::live
