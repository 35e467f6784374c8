#include "media/keyframe_decoder.h"

#include <algorithm>
#include <string>

#include "media/av_error.h"
#include "media/probe.h"

namespace clipthat::media {
namespace {

// Isolated corrupt keyframes are skipped; this many in a row fail the scan.
constexpr int kMaxConsecutiveBadPackets = 32;

}  // namespace

struct KeyframeDecoder::Impl {
  std::string path;
  KeyframeDecoderOptions opt;
  TimeMs duration_ms = 0;

  AvInputFormatPtr fmt;
  AvCodecContextPtr dec;
  AvPacketPtr pkt;
  AvFramePtr frame;
  SwsConverter scaler;
  int stream = -1;
  AVRational tb{1, 1};
  std::int64_t origin = 0;  // stream time of the media start, in tb
  int out_width = 0;
  int out_height = 0;
  TimeMs last_pts_ms = 0;

  bool input_done = false;
  bool finished = false;
  int bad_packets = 0;

  Status Fail(int err, std::string_view what) const {
    // A remote input's failed read: its own error (which request, what the server said).
    if (Status cause = RemoteReadError(fmt.get()); !cause.ok()) {
      return cause.WithPrefix(path + ": " + std::string(what) + " at " + FormatClock(last_pts_ms));
    }
    return DataError(path + ": " + std::string(what) + " at " + FormatClock(last_pts_ms) + " (" +
                     AvErrorString(err) + ")");
  }
  Status Emit(VideoFrame* out);
};

Status KeyframeDecoder::Impl::Emit(VideoFrame* out) {
  const AVFrame& f = *frame;
  if (out_width == 0) {
    // The output size follows the first picture (its display aspect, even height).
    out_width = opt.width;
    out_height = opt.height;
    if (out_height <= 0) {
      AVRational sar = f.sample_aspect_ratio;
      if (sar.num <= 0 || sar.den <= 0) sar = AVRational{1, 1};
      const double h = static_cast<double>(opt.width) * f.height * sar.den / (f.width * sar.num);
      out_height = std::max(2, static_cast<int>(h / 2.0 + 0.5) * 2);
    }
  }
  RETURN_IF_ERROR(scaler.Convert(f, out_width, out_height, opt.format, out).WithPrefix(path));
  // Only keyframes reach the decoder, which defeats best_effort_timestamp's reordering guess;
  // the packet's pts is exact.
  const std::int64_t ts = f.pts != AV_NOPTS_VALUE ? f.pts : f.best_effort_timestamp;
  if (ts != AV_NOPTS_VALUE) {
    last_pts_ms = av_rescale_q(ts - origin, tb, AVRational{1, 1000});
  }
  out->pts_ms = last_pts_ms;
  out->keyframe = true;
  return Status::Ok();
}

Result<KeyframeDecoder> KeyframeDecoder::Open(const std::string& path,
                                              const KeyframeDecoderOptions& options) {
  if (options.width <= 0 || options.height < 0) {
    return InvalidArgumentError(path + ": bad keyframe size " + std::to_string(options.width) +
                                "x" + std::to_string(options.height));
  }
  ASSIGN_OR_RETURN(ProbeInfo info, Probe(path));
  RETURN_IF_ERROR(RequireVideo(info));

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->opt = options;
  impl->duration_ms = info.video()->duration_ms;
  ASSIGN_OR_RETURN(impl->fmt, OpenInputFile(path));
  AVFormatContext* fmt = impl->fmt.get();
  const int index = info.video_stream;
  if (index >= static_cast<int>(fmt->nb_streams)) {
    return InternalError(path + ": video stream " + std::to_string(index) + " vanished");
  }
  AVStream* st = fmt->streams[index];
  // With AVDISCARD_NONKEY the demuxer skips non-key packets without reading them. libavformat
  // 5.1's MP4 demuxer then stops advancing its composition-offset table (ctts), so keyframes
  // get another sample's pts; the table exists only when frames are reordered (B-frames). For
  // those streams every packet is read and the non-key ones are dropped below instead.
  const std::string_view demuxer = fmt->iformat->name;
  const bool mp4 = demuxer.find("mp4") != std::string_view::npos;
  const AVDiscard video_discard =
      mp4 && st->codecpar->video_delay > 0 ? AVDISCARD_DEFAULT : AVDISCARD_NONKEY;
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    fmt->streams[i]->discard = static_cast<int>(i) == index ? video_discard : AVDISCARD_ALL;
  }
  impl->stream = index;
  impl->tb = st->time_base;
  impl->origin = StreamOrigin(fmt, st);
  // Keyframes are independent pictures, so frame threads decode several at once.
  ASSIGN_OR_RETURN(impl->dec, OpenDecoder(path, st, "video", /*thread_count=*/0));
  impl->dec->skip_frame = AVDISCARD_NONKEY;
  impl->pkt = MakeAvPacket();
  impl->frame = MakeAvFrame();
  if (!impl->pkt || !impl->frame) return IoError(path + ": out of memory");
  return KeyframeDecoder(std::move(impl));
}

KeyframeDecoder::KeyframeDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KeyframeDecoder::KeyframeDecoder(KeyframeDecoder&&) noexcept = default;
KeyframeDecoder& KeyframeDecoder::operator=(KeyframeDecoder&&) noexcept = default;
KeyframeDecoder::~KeyframeDecoder() = default;

TimeMs KeyframeDecoder::duration_ms() const { return impl_ ? impl_->duration_ms : 0; }

Status KeyframeDecoder::Seek(TimeMs t_ms) {
  if (!impl_) return InvalidArgumentError("keyframe decoder: moved from");
  Impl& d = *impl_;
  AVStream* st = d.fmt->streams[d.stream];
  const std::int64_t ts =
      d.origin + av_rescale_q(std::max<TimeMs>(0, t_ms), AVRational{1, 1000}, d.tb);
  int err = avformat_seek_file(d.fmt.get(), d.stream, INT64_MIN, ts, ts, 0);
  if (err < 0) err = av_seek_frame(d.fmt.get(), d.stream, ts, AVSEEK_FLAG_BACKWARD);
  if (err < 0) {
    // Before the first keyframe there is nothing at or before ts: take the first one.
    err = avformat_seek_file(d.fmt.get(), d.stream, INT64_MIN,
                             st->start_time != AV_NOPTS_VALUE ? st->start_time : 0, INT64_MAX, 0);
  }
  if (err < 0) {
    return IoError(d.path + ": seeking to " + FormatClock(t_ms) + " (" + AvErrorString(err) + ")");
  }
  avcodec_flush_buffers(d.dec.get());
  d.input_done = false;
  d.finished = false;
  d.bad_packets = 0;
  return Status::Ok();
}

Result<bool> KeyframeDecoder::Next(VideoFrame* out) {
  if (!impl_) return false;
  Impl& d = *impl_;
  while (!d.finished) {
    int err = avcodec_receive_frame(d.dec.get(), d.frame.get());
    if (err >= 0) {
      Status s = d.Emit(out);
      av_frame_unref(d.frame.get());
      RETURN_IF_ERROR(s);
      return true;
    }
    if (err == AVERROR_EOF) {
      d.finished = true;
      break;
    }
    if (err == AVERROR_INVALIDDATA) {
      if (++d.bad_packets > kMaxConsecutiveBadPackets) return d.Fail(err, "video decode failed");
      continue;
    }
    if (err != AVERROR(EAGAIN)) return d.Fail(err, "video decode failed");

    if (d.input_done) {
      err = avcodec_send_packet(d.dec.get(), nullptr);
      if (err < 0 && err != AVERROR_EOF) return d.Fail(err, "video decode failed");
      if (err == AVERROR_EOF) d.finished = true;
      continue;
    }
    err = av_read_frame(d.fmt.get(), d.pkt.get());
    if (err == AVERROR_EOF) {
      d.input_done = true;
      continue;
    }
    if (err < 0) return d.Fail(err, "read error");
    // Demuxers that ignore AVDISCARD_NONKEY still deliver delta packets; drop them here.
    if (d.pkt->stream_index == d.stream && (d.pkt->flags & AV_PKT_FLAG_KEY)) {
      err = avcodec_send_packet(d.dec.get(), d.pkt.get());
      if (err == AVERROR_INVALIDDATA) {
        if (++d.bad_packets > kMaxConsecutiveBadPackets) {
          av_packet_unref(d.pkt.get());
          return d.Fail(err, "video decode failed");
        }
      } else if (err < 0) {
        av_packet_unref(d.pkt.get());
        return d.Fail(err, "video decode failed");
      } else {
        d.bad_packets = 0;
      }
    }
    av_packet_unref(d.pkt.get());
  }
  return false;
}

}  // namespace clipthat::media
