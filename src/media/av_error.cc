#include "media/av_error.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "media/remote_input.h"

namespace clipthat::media {

std::string AvErrorString(int averr) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(averr, buf, sizeof(buf)) < 0) {
    return "libav error " + std::to_string(averr);
  }
  return buf;
}

StatusCode AvErrorCode(int averr) {
  const int e = averr;
  if (e == AVERROR(ENOENT) || e == AVERROR_HTTP_NOT_FOUND) return StatusCode::kNotFound;
  if (e == AVERROR_INVALIDDATA || e == AVERROR_EOF) return StatusCode::kDataError;
  if (e == AVERROR_DECODER_NOT_FOUND || e == AVERROR_ENCODER_NOT_FOUND ||
      e == AVERROR_DEMUXER_NOT_FOUND || e == AVERROR_MUXER_NOT_FOUND ||
      e == AVERROR_PROTOCOL_NOT_FOUND || e == AVERROR_FILTER_NOT_FOUND ||
      e == AVERROR_BSF_NOT_FOUND || e == AVERROR_OPTION_NOT_FOUND ||
      e == AVERROR_STREAM_NOT_FOUND || e == AVERROR_PATCHWELCOME || e == AVERROR_EXPERIMENTAL ||
      e == AVERROR(ENOSYS)) {
    return StatusCode::kUnsupported;
  }
  if (e == AVERROR(EINVAL) || e == AVERROR(ERANGE)) return StatusCode::kInvalidArgument;
  if (e == AVERROR_EXIT) return StatusCode::kCancelled;
  if (e == AVERROR_EXTERNAL || e == AVERROR(ETIMEDOUT) || e == AVERROR(ECONNREFUSED) ||
      e == AVERROR(ECONNRESET) || e == AVERROR(EHOSTUNREACH) || e == AVERROR(ENETUNREACH) ||
      e == AVERROR_HTTP_SERVER_ERROR) {
    return StatusCode::kUnavailable;
  }
  if (e == AVERROR_BUG || e == AVERROR_BUG2) return StatusCode::kInternal;
  return StatusCode::kIoError;
}

Status AvError(int averr, std::string_view context) {
  std::string message(context);
  if (!message.empty()) message += ": ";
  message += AvErrorString(averr);
  return Status(AvErrorCode(averr), std::move(message));
}

namespace {

constexpr int kRemoteBufferBytes = 64 * 1024;

// One open of a remote input: the AVIOContext's opaque, with its own position.
struct RemoteCursor {
  std::shared_ptr<RemoteInput> input;
  std::int64_t position = 0;
  Status last_error;
};

int ReadRemote(void* opaque, std::uint8_t* buf, int size) {
  auto* cursor = static_cast<RemoteCursor*>(opaque);
  Result<std::size_t> got =
      cursor->input->ReadAt(cursor->position, {buf, static_cast<std::size_t>(size)});
  if (!got.ok()) {
    cursor->last_error = got.status();
    return got.status().code() == StatusCode::kCancelled ? AVERROR_EXIT : AVERROR(EIO);
  }
  if (*got == 0) return AVERROR_EOF;
  cursor->position += static_cast<std::int64_t>(*got);
  return static_cast<int>(*got);
}

std::int64_t SeekRemote(void* opaque, std::int64_t offset, int whence) {
  auto* cursor = static_cast<RemoteCursor*>(opaque);
  const std::int64_t size = cursor->input->size_bytes();
  switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return size;
    case SEEK_SET: break;
    case SEEK_CUR: offset += cursor->position; break;
    case SEEK_END: offset += size; break;
    default: return AVERROR(EINVAL);
  }
  if (offset < 0) return AVERROR(EINVAL);
  cursor->position = offset;
  return offset;
}

}  // namespace

namespace internal {

void InputFormatDeleter::operator()(AVFormatContext* c) const noexcept {
  if (c == nullptr) return;
  AVIOContext* pb = (c->flags & AVFMT_FLAG_CUSTOM_IO) ? c->pb : nullptr;
  avformat_close_input(&c);
  if (pb != nullptr) {
    delete static_cast<RemoteCursor*>(pb->opaque);
    av_freep(&pb->buffer);
    avio_context_free(&pb);
  }
}

}  // namespace internal

int OpenAvInput(const std::string& path, AvInputFormatPtr* fmt, Status* remote_error) {
  fmt->reset();
  if (!IsRemoteInputPath(path)) {
    AVFormatContext* raw = nullptr;
    const int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (err >= 0) fmt->reset(raw);  // on failure avformat_open_input freed the context
    return err;
  }
  Result<std::shared_ptr<RemoteInput>> input = FindRemoteInput(path);
  if (!input.ok()) {
    if (remote_error != nullptr) *remote_error = input.status();
    return AVERROR(ENOENT);
  }
  auto cursor = std::make_unique<RemoteCursor>();
  cursor->input = std::move(*input);
  auto* buffer = static_cast<unsigned char*>(av_malloc(kRemoteBufferBytes));
  if (buffer == nullptr) return AVERROR(ENOMEM);
  AVIOContext* pb = avio_alloc_context(buffer, kRemoteBufferBytes, /*write_flag=*/0, cursor.get(),
                                       ReadRemote, nullptr, SeekRemote);
  if (pb == nullptr) {
    av_free(buffer);
    return AVERROR(ENOMEM);
  }
  pb->seekable = AVIO_SEEKABLE_NORMAL;
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) {
    av_freep(&pb->buffer);
    avio_context_free(&pb);
    return AVERROR(ENOMEM);
  }
  raw->pb = pb;
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  RemoteCursor* cursor_raw = cursor.release();  // owned by pb from here on
  const int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (err < 0) {
    // avformat_open_input freed the context but not a caller-supplied AVIOContext.
    if (remote_error != nullptr) *remote_error = cursor_raw->last_error;
    delete cursor_raw;
    av_freep(&pb->buffer);
    avio_context_free(&pb);
    return err;
  }
  fmt->reset(raw);
  return err;
}

Status RemoteReadError(const AVFormatContext* fmt) {
  if (fmt == nullptr || !(fmt->flags & AVFMT_FLAG_CUSTOM_IO) || fmt->pb == nullptr) {
    return Status::Ok();
  }
  return static_cast<const RemoteCursor*>(fmt->pb->opaque)->last_error;
}

Result<AvInputFormatPtr> OpenInputFile(const std::string& path) {
  const bool remote = IsRemoteInputPath(path);
  std::error_code ec;
  // libav reports a missing file as ENOENT too, but checking first keeps the message plain.
  if (!remote && !std::filesystem::exists(path, ec)) {
    return NotFoundError(path + ": no such file");
  }
  if (!remote && std::filesystem::is_directory(path, ec)) {
    return InvalidArgumentError(path + ": is a directory");
  }
  AvInputFormatPtr fmt;
  Status remote_error;
  int err = OpenAvInput(path, &fmt, &remote_error);
  if (err < 0) {
    if (!remote_error.ok()) return remote_error;
    if (err == AVERROR_INVALIDDATA || err == AVERROR_EOF) {
      return DataError(path + ": not a media file (" + AvErrorString(err) + ")");
    }
    return AvError(err, path);
  }
  err = avformat_find_stream_info(fmt.get(), nullptr);
  if (err < 0) {
    if (Status cause = RemoteReadError(fmt.get()); !cause.ok()) return cause;
    if (err == AVERROR_INVALIDDATA || err == AVERROR_EOF) {
      return DataError(path + ": not a media file (" + AvErrorString(err) + ")");
    }
    return AvError(err, path + ": reading stream info");
  }
  return fmt;
}

AVPixelFormat ToAvPixelFormat(PixelFormat format) {
  switch (format) {
    case PixelFormat::kGray8: return AV_PIX_FMT_GRAY8;
    case PixelFormat::kBgr24: return AV_PIX_FMT_BGR24;
    case PixelFormat::kYuv420p: return AV_PIX_FMT_YUV420P;
  }
  return AV_PIX_FMT_NONE;
}

namespace {

// Tightly packed plane pointers and strides of a VideoFrame laid out as frame.h describes.
void PlanesOf(VideoFrame* f, std::uint8_t* data[4], int linesize[4]) {
  for (int i = 0; i < 4; ++i) {
    data[i] = nullptr;
    linesize[i] = 0;
  }
  std::uint8_t* base = f->data.data();
  switch (f->format) {
    case PixelFormat::kGray8:
      data[0] = base;
      linesize[0] = f->width;
      break;
    case PixelFormat::kBgr24:
      data[0] = base;
      linesize[0] = f->width * 3;
      break;
    case PixelFormat::kYuv420p: {
      const int cw = (f->width + 1) / 2;
      const int ch = (f->height + 1) / 2;
      data[0] = base;
      linesize[0] = f->width;
      data[1] = base + static_cast<std::size_t>(f->width) * f->height;
      linesize[1] = cw;
      data[2] = data[1] + static_cast<std::size_t>(cw) * ch;
      linesize[2] = cw;
      break;
    }
  }
}

}  // namespace

Status SwsConverter::Convert(const std::uint8_t* const src_data[], const int src_linesize[],
                             int src_width, int src_height, AVPixelFormat src_format, int out_width,
                             int out_height, PixelFormat out_format, VideoFrame* out) {
  if (src_width <= 0 || src_height <= 0 || out_width <= 0 || out_height <= 0) {
    return InvalidArgumentError("scale: empty picture " + std::to_string(src_width) + "x" +
                                std::to_string(src_height) + " -> " + std::to_string(out_width) +
                                "x" + std::to_string(out_height));
  }
  const AVPixelFormat dst_format = ToAvPixelFormat(out_format);
  // Area averaging keeps downscaled detail (text, thin edges) steadier than bilinear.
  const int flags = (out_width < src_width || out_height < src_height) ? SWS_AREA : SWS_BICUBIC;
  SwsContext* ctx =
      sws_getCachedContext(ctx_.release(), src_width, src_height, src_format, out_width, out_height,
                           dst_format, flags | SWS_ACCURATE_RND, nullptr, nullptr, nullptr);
  ctx_.reset(ctx);
  if (ctx == nullptr) {
    return UnsupportedError(
        std::string("scale: swscale cannot convert ") +
        (av_get_pix_fmt_name(src_format) ? av_get_pix_fmt_name(src_format) : "unknown") + " " +
        std::to_string(src_width) + "x" + std::to_string(src_height));
  }
  out->Allocate(out_width, out_height, out_format);
  std::uint8_t* dst_data[4];
  int dst_linesize[4];
  PlanesOf(out, dst_data, dst_linesize);
  const int rows = sws_scale(ctx, src_data, src_linesize, 0, src_height, dst_data, dst_linesize);
  if (rows < 0) return AvError(rows, "scale");
  return Status::Ok();
}

Status SwsConverter::Convert(const AVFrame& src, int out_width, int out_height,
                             PixelFormat out_format, VideoFrame* out) {
  return Convert(src.data, src.linesize, src.width, src.height,
                 static_cast<AVPixelFormat>(src.format), out_width, out_height, out_format, out);
}

Result<AvCodecContextPtr> OpenDecoder(const std::string& path, const AVStream* st,
                                      std::string_view what, int thread_count) {
  const std::string kind(what);
  const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
  if (codec == nullptr) {
    return UnsupportedError(path + ": no decoder for " + kind + " codec " +
                            avcodec_get_name(st->codecpar->codec_id));
  }
  AvCodecContextPtr dec(avcodec_alloc_context3(codec));
  if (!dec) return IoError(path + ": out of memory");
  int err = avcodec_parameters_to_context(dec.get(), st->codecpar);
  if (err < 0) return AvError(err, path + ": " + kind + " decoder parameters");
  dec->pkt_timebase = st->time_base;
  dec->thread_count = thread_count;
  dec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  if ((err = avcodec_open2(dec.get(), codec, nullptr)) < 0) {
    return AvError(err, path + ": opening the " + codec->name + " decoder");
  }
  return dec;
}

std::int64_t StreamOrigin(const AVFormatContext* fmt, const AVStream* st) {
  if (fmt->start_time != AV_NOPTS_VALUE && fmt->start_time > 0) {
    return av_rescale_q(fmt->start_time, AV_TIME_BASE_Q, st->time_base);
  }
  return 0;
}

}  // namespace clipthat::media
