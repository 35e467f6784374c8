// Generated media for tests, and independent libav readers to check results with.
//
// MakeTestMedia writes a short H.264/AAC MP4 whose content identifies time:
//   - video: every frame shows its index as a 12-bit binary code, a row of 12 large
//     black/white blocks across the top with the complemented row under it (so a misread is
//     detected), plus a square that moves one step per frame. ReadFrameIndex() reads the code
//     back from any decoded frame (any size or PixelFormat), surviving H.264 at CRF ~20 and
//     downscaling to about 1/4 size. Indices wrap at 4096 frames.
//   - audio: a tone whose frequency sweeps within each second (so every offset of the signal
//     is distinct), gated on for the first 500 ms of each second and off for the rest;
//     ToneEnvelope() gives the gate. Every channel carries the same signal.
//
//   clipthat::TempDir dir;
//   ASSERT_TRUE(MakeTestMedia(dir.path() / "in.mp4", {.duration_ms = 4000}).ok());
//
// The writer here uses libav directly (not Mp4Writer), so tests of the media module check its
// code against files made independently of it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"
#include "media/frame.h"

namespace clipthat::testing {

struct TestMediaSpec {
  TimeMs duration_ms = 3000;
  int width = 320;
  int height = 180;
  int fps = 30;
  bool with_video = true;
  bool with_audio = true;
  int audio_sample_rate_hz = 48000;
  int audio_channels = 2;
  double tone_hz = 440.0;  // start of each second's sweep (sweeps up by 400 Hz over the second)
  int gop_frames = 0;      // keyframe interval in frames; 0 = one second
  int crf = 20;
};

// Writes the test file to `path` (its extension picks the container: .mp4, .mkv, ...) and
// returns the path as a string. Video frame n has pts n/fps; audio starts at 0.
Result<std::string> MakeTestMedia(const std::filesystem::path& path, const TestMediaSpec& spec);

// Draws frame `index` of the test pattern into `out` (allocated width x height in `format`).
void DrawTestFrame(long long index, int width, int height, media::PixelFormat format,
                   media::VideoFrame* out);

// The index coded in a test frame (mod 4096), or -1 when the code cannot be read.
int ReadFrameIndex(const media::VideoFrame& frame);

// Test audio for samples [first_sample, first_sample + count) at `spec`'s rate and channels.
media::AudioBuffer MakeTestAudio(const TestMediaSpec& spec, long long first_sample,
                                 long long count);

// 1 while the test tone is on at time `t_ms`, 0 while it is off.
int ToneEnvelope(TimeMs t_ms);

// RMS of `audio` over [from_ms, to_ms) relative to audio.start_ms, all channels.
double RmsBetween(const media::AudioBuffer& audio, TimeMs from_ms, TimeMs to_ms);

// Copies the first `bytes` bytes of `src` to `dst`.
Status WriteTruncatedCopy(const std::filesystem::path& src, const std::filesystem::path& dst,
                          std::uintmax_t bytes);

// Writes a small text file that no demuxer accepts.
Status WriteNonMediaFile(const std::filesystem::path& dst);

// One demuxed packet, read with libav directly.
struct PacketRecord {
  int stream_index = 0;
  std::string media_type;  // "video", "audio", ...
  std::int64_t pts = 0;    // in the stream's time base; INT64_MIN when unset
  std::int64_t dts = 0;
  std::int64_t duration = 0;
  int time_base_num = 1;
  int time_base_den = 1;
  bool keyframe = false;
  int size = 0;
};

// Every packet of `path` in file order.
Result<std::vector<PacketRecord>> ReadAllPackets(const std::filesystem::path& path);

// Decodes the whole main audio stream with libav (no resampling; planar or packed sample
// formats converted to interleaved float). start_ms is the first frame's presentation time.
Result<media::AudioBuffer> DecodeAllAudio(const std::filesystem::path& path);

// Decodes every frame of the main video stream with libav, converted to `format` at the
// source size; pts_ms from the frame's best-effort timestamp.
Result<std::vector<media::VideoFrame>> DecodeAllVideo(const std::filesystem::path& path,
                                                      media::PixelFormat format);

// Limits libav's own stderr logging to warnings, so encoder statistics do not drown test
// output. MakeTestMedia calls it; tests that encode with the code under test call it too.
void QuietLibavLogs();

// Byte offset of the first top-level MP4 box named `type` ("moov", "mdat"), -1 when absent.
std::int64_t FindTopLevelBox(const std::filesystem::path& path, const std::string& type);

}  // namespace clipthat::testing
