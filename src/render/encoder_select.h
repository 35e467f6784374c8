// Choosing the H.264 encoder: NVENC when a GPU answers, libx264 otherwise.
//
// FFmpeg lists h264_nvenc whether or not a GPU and driver exist; only opening an encoder tells
// (without one it fails with "Cannot load libcuda.so.1"). NvencAvailable() opens a small
// h264_nvenc encoder once per process and remembers the answer. With kAuto and no NVENC, the
// fallback to libx264 is logged once per process (at info), not once per clip.
#pragma once

#include <string>
#include <string_view>

#include "core/log.h"
#include "core/result.h"

namespace clipthat::render {

enum class EncoderChoice { kAuto, kX264, kNvenc };

inline constexpr char kX264EncoderName[] = "libx264";
inline constexpr char kNvencEncoderName[] = "h264_nvenc";

// "auto", "x264" (or "libx264"), "nvenc" (or "h264_nvenc"); InvalidArgument otherwise.
Result<EncoderChoice> ParseEncoderChoice(std::string_view name);

// Whether an h264_nvenc encoder opens here (tried once per process; thread-safe).
bool NvencAvailable();

// The libavcodec encoder name for `choice`: kX264 -> libx264; kNvenc -> h264_nvenc, or
// Unsupported "NVENC requested but ... : <why>" when it does not open; kAuto -> h264_nvenc when
// available, else libx264 (logged once to `logger`).
Result<std::string> SelectVideoEncoder(EncoderChoice choice, const Logger& logger);

// Why NVENC did not open ("" when it did or was never tried).
std::string NvencUnavailableReason();

}  // namespace clipthat::render
