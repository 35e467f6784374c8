// Routes libav's log output into a ClipThat Logger (module "ffmpeg").
//
// libav has one process-wide log callback, so this is the one place that keeps a logger in a
// static: apps/ calls RouteFfmpegLogs() once at start-up. libav's own levels map to ours with
// everything below AV_LOG_FATAL logged at debug, so FFmpeg is quiet unless --log-level debug.
#pragma once

#include "core/log.h"

namespace clipthat::media {

void RouteFfmpegLogs(const Logger& logger);

}  // namespace clipthat::media
