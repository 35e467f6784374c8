// Mp4Writer: encodes frames and audio to an H.264 + AAC MP4 (yuv420p, constant frame rate,
// moov atom at the front with +faststart so players start before the download ends).
//
//   ASSIGN_OR_RETURN(auto w, Mp4Writer::Open("clip.mp4", {.width = 1080, .height = 1920}));
//   RETURN_IF_ERROR(w.WriteVideo(frame));   // any PixelFormat; converted if needed
//   RETURN_IF_ERROR(w.WriteAudio(samples)); // any rate/channels; resampled if needed
//   RETURN_IF_ERROR(w.Finish());            // flushes encoders, writes the index
//
// Video frames are timed by their count (frame n is at n / fps), whatever their pts_ms, so
// the output is constant frame rate. Audio is timed by sample count from 0. A writer that is
// destroyed without Finish() removes its partial output file.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "media/frame.h"

namespace clipthat::media {

struct Mp4WriterOptions {
  int width = 1080;
  int height = 1920;
  int fps = 30;
  std::string video_encoder = "libx264";  // or "h264_nvenc"
  std::string preset = "veryfast";        // x264 preset
  int crf = 20;                           // x264 constant rate factor
  int gop_frames = 0;                     // keyframe interval in frames; 0 = 2 seconds
  int threads = 0;                        // encoder threads; 0 = automatic
  bool has_audio = true;
  int audio_sample_rate_hz = 48000;
  int audio_channels = 2;
  int audio_bit_rate = 128000;  // bits per second
};

class Mp4Writer {
 public:
  // Errors: IoError naming the path when it cannot be created; Unsupported when the encoder is
  // missing or refuses the options.
  static Result<Mp4Writer> Open(const std::string& path, const Mp4WriterOptions& options);

  Mp4Writer(Mp4Writer&&) noexcept;
  Mp4Writer& operator=(Mp4Writer&&) noexcept;
  ~Mp4Writer();

  // Frame must be width x height (any PixelFormat).
  Status WriteVideo(const VideoFrame& frame);
  Status WriteAudio(const AudioBuffer& audio);
  Status Finish();

  long long frames_written() const;

 private:
  struct Impl;
  explicit Mp4Writer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::media
