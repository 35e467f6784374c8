#include "media/ffmpeg_log.h"

#include <atomic>
#include <cstdarg>
#include <memory>
#include <mutex>
#include <string>

extern "C" {
#include <libavutil/log.h>
}

namespace clipthat::media {
namespace {

// libav keeps a single process-wide callback, so the logger it feeds is process-wide too.
std::mutex g_mutex;
std::shared_ptr<const Logger> g_logger;  // guarded by g_mutex
// The most verbose libav level that reaches an enabled log level; checked before formatting.
std::atomic<int> g_max_av_level{AV_LOG_QUIET};

LogLevel MapLevel(int av_level) {
  if (av_level <= AV_LOG_FATAL) return LogLevel::kError;
  if (av_level <= AV_LOG_VERBOSE) return LogLevel::kDebug;
  return LogLevel::kTrace;
}

void Callback(void* avcl, int level, const char* fmt, va_list vl) {
  if (level > g_max_av_level.load(std::memory_order_relaxed)) return;

  // libav sometimes writes one line in several calls; the prefix state and the partial line
  // belong to the calling thread.
  thread_local int print_prefix = 1;
  thread_local std::string pending;
  char line[1024];
  av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &print_prefix);
  pending += line;
  if (pending.empty() || pending.back() != '\n') return;
  while (!pending.empty() && (pending.back() == '\n' || pending.back() == '\r')) {
    pending.pop_back();
  }

  std::shared_ptr<const Logger> logger;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    logger = g_logger;
  }
  if (logger && !pending.empty()) logger->Log(MapLevel(level), pending);
  pending.clear();
}

}  // namespace

void RouteFfmpegLogs(const Logger& logger) {
  // libav's own filter keeps its per-packet chatter from even reaching the callback; FATAL and
  // PANIC always pass so a crash reason is never lost.
  int max_level = AV_LOG_FATAL;
  if (logger.Enabled(LogLevel::kTrace)) {
    max_level = AV_LOG_DEBUG;
  } else if (logger.Enabled(LogLevel::kDebug)) {
    max_level = AV_LOG_VERBOSE;
  } else if (!logger.Enabled(LogLevel::kError)) {
    max_level = AV_LOG_QUIET;
  }
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_logger = std::make_shared<const Logger>(logger);
  }
  g_max_av_level.store(max_level, std::memory_order_relaxed);
  av_log_set_level(max_level);
  av_log_set_callback(&Callback);
}

}  // namespace clipthat::media
