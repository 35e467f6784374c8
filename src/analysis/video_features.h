// VideoFeatureExtractor: the visual signals of the whole-VOD scan, measured on keyframes only
// (media::KeyframeDecoder), at low resolution, so a four-hour VOD costs a few thousand small
// images.
//
//   ASSIGN_OR_RETURN(auto features, VideoFeatureExtractor::Create({}));
//   while (decoder.Next(&frame)) RETURN_IF_ERROR(features.Push(frame));
//   VideoFeatures f = features.Finish(duration_ms);
//
// Per keyframe, against the keyframe before it:
//   scene_cut       0..1, distance between the colour histograms (a cut, a scene switch)
//   visual_change   mean absolute luma difference, 0..255 (motion, action)
//   flash           how far the mean luma rises above both neighbouring keyframes, 0..255
//                   (explosions, white-outs: a jump that returns)
//   face            1 when a frontal face is seen (Haar cascade), 0 when not; checked every
//                   Nth keyframe and held in between
// Keyframes are a couple of seconds apart in stream recordings, so these are coarse: each
// value holds from its keyframe until the next on the output grid.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analysis/time_series.h"
#include "core/result.h"
#include "media/frame.h"

namespace clipthat::analysis {

inline constexpr char kDefaultFaceCascadePath[] =
    "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

struct VideoFeatureOptions {
  int analysis_width_px = 160;  // cuts, change and flashes are measured at this width
  int histogram_bins = 16;      // per colour channel
  TimeMs step_ms = 500;         // grid of the output series
  // Detection is the costly part (milliseconds per image), and whether the streamer is on
  // camera changes slowly: every 4th keyframe (8 s on Twitch's 2 s GOP) at 256 px wide keeps
  // a 4-hour VOD to a few seconds.
  int face_every_n_keyframes = 4;         // 0: no face detection
  int face_width_px = 256;                // wider frames are scaled down to this for detection
  int face_min_size_px = 24;              // at face_width_px (the cascade's own window)
  double face_max_height_fraction = 0.6;  // of the frame: a facecam face is never bigger
  double face_scale_factor = 1.2;
  int face_min_neighbors = 4;
  std::string face_cascade_path = kDefaultFaceCascadePath;
};

struct KeyframeFeatures {
  TimeMs pts_ms = 0;
  double scene_cut = 0;
  double visual_change = 0;
  double mean_luma = 0;  // 0..255
  double flash = 0;      // set by Finish (needs the next keyframe)
  double face = 0;
};

struct VideoFeatures {
  std::vector<KeyframeFeatures> keyframes;  // in presentation order
  TimeSeries scene_cut;
  TimeSeries visual_change;
  TimeSeries flash;
  TimeSeries face;
};

class VideoFeatureExtractor {
 public:
  // NotFoundError naming the cascade file when face detection is on and it cannot be loaded.
  static Result<VideoFeatureExtractor> Create(const VideoFeatureOptions& options = {});

  VideoFeatureExtractor(VideoFeatureExtractor&&) noexcept;
  VideoFeatureExtractor& operator=(VideoFeatureExtractor&&) noexcept;
  ~VideoFeatureExtractor();

  // Adds the next keyframe (kBgr24 or kGray8, any size; pts must not go back). InvalidArgument
  // for another format; DataError naming the time when OpenCV fails on it.
  Status Push(const media::VideoFrame& frame);
  // The per-keyframe values and the series on a step_ms grid covering [0, duration_ms).
  VideoFeatures Finish(TimeMs duration_ms);

 private:
  struct Impl;
  explicit VideoFeatureExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::analysis
