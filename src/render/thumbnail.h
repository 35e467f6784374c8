// Thumbnails: one JPEG per clip, from a frame of the rendered picture.
#pragma once

#include <string>

#include "core/status.h"
#include "core/time_units.h"
#include "media/frame.h"

namespace clipthat::render {

// Writes `frame` (kYuv420p or kBgr24) as a JPEG at `quality` (1..100), atomically (a temporary
// file renamed into place). IoError naming the path when it cannot be written.
Status WriteJpeg(const media::VideoFrame& frame, const std::string& path, int quality = 85);

// The output frame a clip's thumbnail shows: 1 s after the title card (or at a third of the
// clip without one), clamped into [0, total_frames).
long long ThumbnailFrameIndex(long long total_frames, int fps, TimeMs title_card_ms);

// "clips/clip-01.mp4" -> "clips/clip-01.jpg".
std::string ThumbnailPathFor(const std::string& video_path);

}  // namespace clipthat::render
