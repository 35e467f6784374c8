// WindowDecoder: decodes one time window [start_ms, end_ms) of a file, video and audio,
// accurately: it seeks to the keyframe at or before start_ms, decodes from there and drops
// every frame and sample before start_ms, so the first frame returned is the one on screen at
// start_ms (within one frame) and audio starts at start_ms (within one sample).
//
// Items come back interleaved in roughly presentation order; each carries its own time.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "media/frame.h"

namespace clipthat::media {

struct WindowDecoderOptions {
  TimeMs start_ms = 0;
  TimeMs end_ms = -1;  // exclusive; -1 = end of file
  // Video output; width/height 0 keep the source size.
  int width = 0;
  int height = 0;
  PixelFormat format = PixelFormat::kBgr24;
  // Audio output (float, interleaved). Set audio_channels to 0 to skip audio.
  int audio_sample_rate_hz = 48000;
  int audio_channels = 2;
};

struct DecodedItem {
  enum class Kind { kVideo, kAudio };
  Kind kind = Kind::kVideo;
  VideoFrame video;   // valid when kind == kVideo
  AudioBuffer audio;  // valid when kind == kAudio
};

class WindowDecoder {
 public:
  // Errors: those of Probe(); InvalidArgument when the window is empty or starts past the end;
  // UnsupportedError "PATH: no video stream". A file without audio decodes video only.
  static Result<WindowDecoder> Open(const std::string& path, const WindowDecoderOptions& options);

  WindowDecoder(WindowDecoder&&) noexcept;
  WindowDecoder& operator=(WindowDecoder&&) noexcept;
  ~WindowDecoder();

  // Next item of the window; false when the window is exhausted.
  Result<bool> Next(DecodedItem* item);

  bool has_audio() const;
  double source_fps() const;
  int source_width() const;
  int source_height() const;

 private:
  struct Impl;
  explicit WindowDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::media
