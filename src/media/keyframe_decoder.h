// KeyframeDecoder: decodes only the keyframes of a file's main video stream, scaled to a small
// size, for whole-VOD visual scans. The demuxer skips non-key packets and the decoder skips
// non-key frames (AVDISCARD_NONKEY), so a 4-hour VOD costs a few thousand frame decodes.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "media/frame.h"

namespace clipthat::media {

struct KeyframeDecoderOptions {
  int width = 160;  // output width in pixels
  int height = 0;   // output height; 0 keeps the source aspect ratio (rounded to even)
  PixelFormat format = PixelFormat::kBgr24;
};

class KeyframeDecoder {
 public:
  // Errors: those of Probe(), and UnsupportedError "PATH: no video stream".
  static Result<KeyframeDecoder> Open(const std::string& path,
                                      const KeyframeDecoderOptions& options);

  KeyframeDecoder(KeyframeDecoder&&) noexcept;
  KeyframeDecoder& operator=(KeyframeDecoder&&) noexcept;
  ~KeyframeDecoder();

  // Next keyframe in presentation order; false at the end.
  Result<bool> Next(VideoFrame* frame);

  // Moves to the keyframe at or before t_ms (the first keyframe when t_ms precedes it): the
  // next Next() returns it, or a later keyframe when the demuxer can only land after t_ms.
  // Errors: IoError naming the file and the time when the demuxer cannot seek.
  Status Seek(TimeMs t_ms);

  TimeMs duration_ms() const;

 private:
  struct Impl;
  explicit KeyframeDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::media
