// libav glue shared by the src/media implementation files (not part of the module's public
// contract; code outside src/media uses the media headers instead):
//   - libav error codes converted to Status with context,
//   - one RAII owner per libav handle, so every file frees them the same way,
//   - opening an input file with Probe-style errors,
//   - PixelFormat <-> AVPixelFormat and swscale conversion into a VideoFrame.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "media/frame.h"

namespace clipthat::media {

// libav's text for an error code ("Invalid data found when processing input").
std::string AvErrorString(int averr);

// Status for a negative libav return value, message "<context>: <libav text>". Codes map as:
// ENOENT -> NotFound; AVERROR_INVALIDDATA, AVERROR_EOF -> DataError; *_NOT_FOUND (codec, muxer,
// demuxer, protocol, ...), ENOSYS, PATCHWELCOME -> Unsupported; EINVAL, ERANGE ->
// InvalidArgument; AVERROR_EXIT -> Cancelled; network and external-library failures ->
// Unavailable; AVERROR_BUG -> Internal; anything else (ENOMEM, EACCES, EIO, ENOSPC) -> IoError.
Status AvError(int averr, std::string_view context);

// The StatusCode AvError() uses for `averr`.
StatusCode AvErrorCode(int averr);

namespace internal {

// Closes the input; for a remote input (remote_input.h) also frees its AVIOContext.
struct InputFormatDeleter {
  void operator()(AVFormatContext* c) const noexcept;
};
// Closes the output's AVIOContext (when the muxer owns a file) and frees the context. Does not
// write a trailer: an owner destroyed without av_write_trailer leaves an unfinished file.
struct OutputFormatDeleter {
  void operator()(AVFormatContext* c) const noexcept {
    if (c == nullptr) return;
    if (c->oformat != nullptr && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const noexcept { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const noexcept { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const noexcept { av_packet_free(&p); }
};
struct SwsContextDeleter {
  void operator()(SwsContext* c) const noexcept { sws_freeContext(c); }
};
struct SwrContextDeleter {
  void operator()(SwrContext* c) const noexcept { swr_free(&c); }
};

}  // namespace internal

using AvInputFormatPtr = std::unique_ptr<AVFormatContext, internal::InputFormatDeleter>;
using AvOutputFormatPtr = std::unique_ptr<AVFormatContext, internal::OutputFormatDeleter>;
using AvCodecContextPtr = std::unique_ptr<AVCodecContext, internal::CodecContextDeleter>;
using AvFramePtr = std::unique_ptr<AVFrame, internal::FrameDeleter>;
using AvPacketPtr = std::unique_ptr<AVPacket, internal::PacketDeleter>;
using SwsContextPtr = std::unique_ptr<SwsContext, internal::SwsContextDeleter>;
using SwrContextPtr = std::unique_ptr<SwrContext, internal::SwrContextDeleter>;

// Allocated frame/packet owners; null only when memory runs out.
inline AvFramePtr MakeAvFrame() { return AvFramePtr(av_frame_alloc()); }
inline AvPacketPtr MakeAvPacket() { return AvPacketPtr(av_packet_alloc()); }

// avformat_open_input for `path`: a local file, or a registered remote input (remote_input.h)
// read through an AVIOContext of its own. Returns libav's code; on failure (< 0) *fmt is left
// null and, when a remote input's read was the cause, *remote_error holds its Status. A remote
// path that is not registered fails with AVERROR(ENOENT).
int OpenAvInput(const std::string& path, AvInputFormatPtr* fmt, Status* remote_error);

// The last failed read of a remote input opened by OpenAvInput (OK for local files and when no
// read failed): the cause behind a libav I/O error, with the source's own message.
Status RemoteReadError(const AVFormatContext* fmt);

// Opens `path` (a local file or a registered remote input) for demuxing and reads its stream
// info. Errors, each naming the path:
//   NotFound  "PATH: no such file"
//   DataError "PATH: not a media file (<libav text>)" when no demuxer accepts it or its header
//             is corrupt or truncated
//   IoError   for other failures (permissions, ...)
Result<AvInputFormatPtr> OpenInputFile(const std::string& path);

// Opens a decoder for stream `st` of `path` with `thread_count` threads (0 = automatic;
// frame and slice threading where the codec has them). `what` ("audio", "video") goes into
// messages. Errors name the path and the codec: Unsupported when no decoder exists.
Result<AvCodecContextPtr> OpenDecoder(const std::string& path, const AVStream* st,
                                      std::string_view what, int thread_count);

// The timestamp of `st` (in its time base) that ClipThat counts as 0 ms: the container's start
// time when it is positive (MPEG-TS), else 0 (a negative start is encoder priming).
std::int64_t StreamOrigin(const AVFormatContext* fmt, const AVStream* st);

// Our formats in libav terms: kGray8 -> GRAY8, kBgr24 -> BGR24, kYuv420p -> YUV420P.
AVPixelFormat ToAvPixelFormat(PixelFormat format);

// Converts pictures with swscale, keeping one context while the source and destination
// geometry and formats stay the same (sws_getCachedContext). Not thread-safe; one per user.
class SwsConverter {
 public:
  // Scales planes `src_data`/`src_linesize` (src_width x src_height in `src_format`) into
  // `out`, allocated as out_width x out_height in `out_format`. pts_ms and keyframe of `out`
  // are left alone. InvalidArgument for empty sizes; Unsupported when swscale refuses.
  Status Convert(const std::uint8_t* const src_data[], const int src_linesize[], int src_width,
                 int src_height, AVPixelFormat src_format, int out_width, int out_height,
                 PixelFormat out_format, VideoFrame* out);

  // Same for a decoded AVFrame (its width, height and format).
  Status Convert(const AVFrame& src, int out_width, int out_height, PixelFormat out_format,
                 VideoFrame* out);

 private:
  SwsContextPtr ctx_;
};

}  // namespace clipthat::media
