// GenerateSample: writes a synthetic stream to a folder, as `clipthat sample` does:
//   vod.mp4     H.264 + AAC, the requested size, frame rate and length
//   chat.json   its chat replay (TwitchDownloader format)
//   truth.json  where the planted moments are (and scenes and speech), for scoring analysis
// See docs/sample.md for the file formats.
//
// Cheap for multi-hour streams: the few distinct pieces of the plan are rendered once each
// (several at a time) and vod.mp4 is joined from them by stream copy.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "core/log.h"
#include "core/status.h"
#include "sample/sample_options.h"

namespace clipthat::sample {

struct GenerateHooks {
  Logger logger;
  // Called now and then with the current step ("render", "join", "chat") and the overall
  // fraction done, 0..1. May be empty.
  std::function<void(std::string_view step, double fraction)> on_progress;
};

// Errors: InvalidArgument for bad options; NotFound when espeak-ng or the face photo is missing;
// IoError naming the file that could not be written. Files already in `out_dir` with the same
// names are replaced only when the new ones are complete.
Status GenerateSample(const SampleOptions& options, const std::filesystem::path& out_dir,
                      const GenerateHooks& hooks = {});

}  // namespace clipthat::sample
