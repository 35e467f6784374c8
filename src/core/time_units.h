// Time units used across ClipThat.
//
// Media positions and durations are integer milliseconds (`*_ms`, TimeMs) at module
// boundaries and in JSON; libav internals use microseconds (TimeUs, AV_TIME_BASE). Seconds as
// double appear only at the user-facing edges (flags like --duration SECONDS).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace clipthat {

using TimeMs = std::int64_t;  // milliseconds since the start of the media
using TimeUs = std::int64_t;  // microseconds since the start of the media

constexpr TimeUs MsToUs(TimeMs ms) { return ms * 1000; }
constexpr TimeMs UsToMs(TimeUs us) { return us / 1000; }
// Rounded to the nearest millisecond. Seconds from outside (a chat replay, a remote server's
// answer) may be anything: beyond +-9e15 s (about 285 million years) the result saturates, and
// NaN is 0, rather than overflowing TimeMs (undefined behaviour).
constexpr TimeMs SecondsToMs(double s) {
  constexpr double kMaxSeconds = 9e15;  // * 1000 stays below INT64_MAX (9.22e18)
  if (!(s == s)) return 0;              // NaN
  if (s > kMaxSeconds) s = kMaxSeconds;
  if (s < -kMaxSeconds) s = -kMaxSeconds;
  return static_cast<TimeMs>(s * 1000.0 + (s >= 0 ? 0.5 : -0.5));
}
constexpr double MsToSeconds(TimeMs ms) { return static_cast<double>(ms) / 1000.0; }

// "1:02:03.456" (hours only when non-zero: "02:03.456").
std::string FormatClock(TimeMs ms);

// Parses "SS", "SS.sss", "MM:SS[.sss]" or "HH:MM:SS[.sss]" into milliseconds.
Result<TimeMs> ParseClock(std::string_view text);

// Measures elapsed wall time on the steady clock.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  void Restart() { start_ = std::chrono::steady_clock::now(); }
  double ElapsedSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  TimeMs ElapsedMs() const { return static_cast<TimeMs>(ElapsedSeconds() * 1000.0); }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace clipthat
