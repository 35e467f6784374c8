// RenderClip: one moment of a source file to a vertical MP4.
//
// Decodes exactly [start_ms, end_ms) (media::WindowDecoder), centre-crops every frame to the
// output aspect and scales it (media::Scaler), and encodes H.264 + AAC with faststart
// (media::Mp4Writer) at a constant frame rate: output frames are picked by their timestamps
// (render/frame_picker.h), so a 60 fps source becomes 30 fps and a variable-rate one is
// evened out. Audio is resampled to 48 kHz stereo and kept in sync with the picture: a late
// first sample is preceded by silence, a source without audio gets a silent track, and the
// audio is cut or padded to the video's length.
//
// Errors name the source or the output and the time; a failed render leaves no partial file.
#pragma once

#include <functional>
#include <string>

#include "core/result.h"
#include "core/time_units.h"

namespace clipthat::render {

struct RenderOptions {
  int width = 1080;  // output pixels
  int height = 1920;
  int fps = 30;
  std::string video_encoder = "libx264";
  std::string preset = "veryfast";
  int crf = 20;
  int threads = 0;  // encoder threads; 0 = automatic
  int audio_sample_rate_hz = 48000;
  int audio_channels = 2;
};

struct ClipRequest {
  std::string source_path;
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;  // exclusive
  std::string out_path;
};

struct RenderHooks {
  std::function<void(double)> progress{};  // 0..1 within this clip
  std::function<bool()> cancelled{};       // polled once per output frame
};

// Renders the clip; returns the number of video frames written.
Result<long long> RenderClip(const ClipRequest& request, const RenderOptions& options = {},
                             const RenderHooks& hooks = {});

}  // namespace clipthat::render
