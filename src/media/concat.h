// ConcatStreamCopy: joins MP4 files that share codecs and parameters into one MP4 by copying
// their packets (no re-encoding), shifting each input's timestamps to follow the previous
// one. Used to build multi-hour sample streams from a few rendered pieces.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace clipthat::media {

struct ConcatOptions {
  bool faststart = true;
  // Called after each input is copied with (inputs done, inputs total).
  std::function<void(size_t, size_t)> on_progress;
};

// Inputs may repeat (the same piece several times). Errors name the input that failed or whose
// streams do not match the first input's.
Status ConcatStreamCopy(const std::vector<std::string>& inputs, const std::string& output,
                        const ConcatOptions& options = {});

}  // namespace clipthat::media
