#include "media/window_decoder.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/mathematics.h>
}

#include <algorithm>
#include <deque>
#include <vector>

#include "media/av_error.h"

namespace clipthat::media {

namespace {

constexpr AVRational kMs = {1, 1000};

// Audio is decoded from at least this far before start_ms: an AAC frame right after a seek
// lacks its overlap half and decodes wrong, so it must fall before the window.
constexpr TimeMs kAudioPrerollMs = 100;

// How many times Open re-seeks further back when a seek lands after start_ms.
constexpr int kMaxSeekRetries = 8;

}  // namespace

struct WindowDecoder::Impl {
  std::string path;
  WindowDecoderOptions options;
  AvInputFormatPtr fmt;
  int vidx = -1;
  int aidx = -1;
  AvCodecContextPtr vdec;
  AvCodecContextPtr adec;
  AvPacketPtr packet;
  AvFramePtr frame;
  SwsConverter sws;
  SwrContextPtr swr;
  int out_width = 0;
  int out_height = 0;

  // Video state: the latest frame before start_ms is held until we know it is the one on
  // screen at start_ms (the next frame is later than start_ms).
  AvFramePtr held;
  bool video_started = false;
  bool video_done = false;
  bool video_seen = false;
  std::int64_t first_video_pts = AV_NOPTS_VALUE;

  // Audio state, positions in output samples from the start of the media.
  bool audio_done = true;
  bool audio_positioned = false;
  std::int64_t audio_pos = 0;  // position of the next resampled sample
  std::int64_t audio_start_pos = 0;
  std::int64_t audio_end_pos = INT64_MAX;

  // Per-stream timestamps (in each stream's time base) that count as 0 ms; see StreamOrigin.
  std::int64_t video_origin = 0;
  std::int64_t audio_origin = 0;

  bool input_eof = false;
  bool flushed = false;
  std::deque<DecodedItem> queue;

  bool Done() const { return video_done && audio_done; }

  Status Seek(TimeMs target_ms) {
    if (target_ms > 0) {
      const AVStream* st = fmt->streams[vidx];
      const std::int64_t ts = video_origin + av_rescale_q(target_ms, kMs, st->time_base);
      int err = avformat_seek_file(fmt.get(), vidx, INT64_MIN, ts, ts, 0);
      if (err < 0) err = av_seek_frame(fmt.get(), vidx, ts, AVSEEK_FLAG_BACKWARD);
      if (err < 0) return AvError(err, path + ": seeking to " + FormatClock(target_ms));
    } else {
      int err = avformat_seek_file(fmt.get(), -1, INT64_MIN, INT64_MIN, 0, 0);
      if (err < 0) err = av_seek_frame(fmt.get(), -1, 0, AVSEEK_FLAG_BACKWARD);
      if (err < 0) return AvError(err, path + ": seeking to the start");
    }
    avcodec_flush_buffers(vdec.get());
    if (adec) avcodec_flush_buffers(adec.get());
    ResetState();
    return Status::Ok();
  }

  void ResetState() {
    held.reset();
    video_started = false;
    video_done = false;
    video_seen = false;
    first_video_pts = AV_NOPTS_VALUE;
    audio_done = !adec;
    audio_positioned = false;
    swr.reset();
    input_eof = false;
    flushed = false;
    queue.clear();
  }

  // Compares a timestamp in `tb` with a time in ms exactly (no rounding).
  static int CompareMs(std::int64_t ts, AVRational tb, TimeMs ms) {
    return av_compare_ts(ts, tb, ms, kMs);
  }

  Status EmitVideo(const AVFrame& f) {
    DecodedItem item;
    item.kind = DecodedItem::Kind::kVideo;
    RETURN_IF_ERROR(
        sws.Convert(f, out_width, out_height, options.format, &item.video).WithPrefix(path));
    const std::int64_t pts = f.best_effort_timestamp;
    item.video.pts_ms = pts == AV_NOPTS_VALUE
                            ? 0
                            : av_rescale_q(pts - video_origin, fmt->streams[vidx]->time_base, kMs);
    item.video.keyframe = f.key_frame != 0;
    queue.push_back(std::move(item));
    return Status::Ok();
  }

  Status OnVideoFrame(AVFrame* f) {
    if (video_done) return Status::Ok();
    const AVRational tb = fmt->streams[vidx]->time_base;
    std::int64_t pts = f->best_effort_timestamp;
    if (pts == AV_NOPTS_VALUE) pts = f->pts;
    if (pts != AV_NOPTS_VALUE) pts -= video_origin;
    if (!video_seen) {
      video_seen = true;
      first_video_pts = pts;
    }
    if (pts != AV_NOPTS_VALUE && options.end_ms >= 0 && CompareMs(pts, tb, options.end_ms) >= 0) {
      // Frames come out in presentation order, so the window's video is complete.
      if (held) {
        RETURN_IF_ERROR(EmitVideo(*held));
        held.reset();
      }
      video_done = true;
      return Status::Ok();
    }
    if (!video_started) {
      const int cmp = pts == AV_NOPTS_VALUE ? 1 : CompareMs(pts, tb, options.start_ms);
      if (cmp < 0) {
        // Still before the window; this frame is on screen at start_ms unless a later one is.
        if (!held) held = MakeAvFrame();
        av_frame_unref(held.get());
        av_frame_move_ref(held.get(), f);
        return Status::Ok();
      }
      video_started = true;
      if (cmp > 0 && held) RETURN_IF_ERROR(EmitVideo(*held));
      held.reset();
    }
    return EmitVideo(*f);
  }

  Status ConfigureResampler(const AVFrame& f) {
    AVChannelLayout out_layout;
    av_channel_layout_default(&out_layout, options.audio_channels);
    SwrContext* raw = nullptr;
    int err =
        swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, options.audio_sample_rate_hz,
                            const_cast<AVChannelLayout*>(&f.ch_layout),
                            static_cast<AVSampleFormat>(f.format), f.sample_rate, 0, nullptr);
    av_channel_layout_uninit(&out_layout);
    swr.reset(raw);
    if (err >= 0 && f.ch_layout.nb_channels == 1) {
      // Mono goes to every channel at full level (swresample's default is -3 dB).
      const std::vector<double> ones(options.audio_channels, 1.0);
      err = swr_set_matrix(swr.get(), ones.data(), 1);
    }
    if (err < 0 || (err = swr_init(swr.get())) < 0) return AvError(err, path + ": audio resampler");
    return Status::Ok();
  }

  // Appends resampled audio in [audio_start_pos, audio_end_pos) to the queue. `frame` null
  // drains the resampler.
  Status OnAudioFrame(const AVFrame* f) {
    if (audio_done) return Status::Ok();
    const int rate = options.audio_sample_rate_hz;
    const int channels = options.audio_channels;
    if (f != nullptr && !swr) RETURN_IF_ERROR(ConfigureResampler(*f));
    if (!swr) return Status::Ok();
    if (f != nullptr && !audio_positioned) {
      std::int64_t pts = f->best_effort_timestamp;
      if (pts == AV_NOPTS_VALUE) pts = f->pts;
      if (pts != AV_NOPTS_VALUE) pts -= audio_origin;
      const AVRational tb = fmt->streams[aidx]->time_base;
      audio_pos = pts == AV_NOPTS_VALUE ? audio_start_pos : av_rescale_q(pts, tb, {1, rate});
      audio_positioned = true;
      if (audio_pos > audio_start_pos) {
        // The stream starts after the window does: pad with silence so audio starts on time.
        DecodedItem item;
        item.kind = DecodedItem::Kind::kAudio;
        item.audio.sample_rate_hz = rate;
        item.audio.channels = channels;
        item.audio.start_ms = audio_start_pos * 1000 / rate;
        const std::int64_t gap = std::min(audio_pos, audio_end_pos) - audio_start_pos;
        item.audio.samples.assign(static_cast<std::size_t>(gap) * channels, 0.0f);
        if (gap > 0) queue.push_back(std::move(item));
      }
    }
    const int in_count = f ? f->nb_samples : 0;
    const int max_out = swr_get_out_samples(swr.get(), in_count);
    if (max_out <= 0) return Status::Ok();
    std::vector<float> buf(static_cast<std::size_t>(max_out) * channels);
    std::uint8_t* out[1] = {reinterpret_cast<std::uint8_t*>(buf.data())};
    const int got =
        swr_convert(swr.get(), out, max_out,
                    f ? const_cast<const std::uint8_t**>(f->extended_data) : nullptr, in_count);
    if (got < 0) return AvError(got, path + ": resampling audio");
    const std::int64_t begin = audio_pos, end = audio_pos + got;
    audio_pos = end;
    const std::int64_t from = std::max(begin, audio_start_pos);
    const std::int64_t to = std::min(end, audio_end_pos);
    if (to > from) {
      DecodedItem item;
      item.kind = DecodedItem::Kind::kAudio;
      item.audio.sample_rate_hz = rate;
      item.audio.channels = channels;
      item.audio.start_ms = from * 1000 / rate;
      item.audio.samples.assign(buf.begin() + (from - begin) * channels,
                                buf.begin() + (to - begin) * channels);
      queue.push_back(std::move(item));
    }
    if (audio_pos >= audio_end_pos) audio_done = true;
    return Status::Ok();
  }

  // Receives every frame `dec` has ready.
  Status Receive(AVCodecContext* dec, bool is_video) {
    while (true) {
      int err = avcodec_receive_frame(dec, frame.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      if (err < 0) return AvError(err, path + (is_video ? ": decoding video" : ": decoding audio"));
      Status st = is_video ? OnVideoFrame(frame.get()) : OnAudioFrame(frame.get());
      av_frame_unref(frame.get());
      RETURN_IF_ERROR(st);
    }
  }

  // Feeds one packet (or the end of input) to the decoders.
  Status Step() {
    if (input_eof) {
      if (!flushed) {
        flushed = true;
        avcodec_send_packet(vdec.get(), nullptr);
        RETURN_IF_ERROR(Receive(vdec.get(), true));
        if (held && !video_done) {
          // The window starts after the last frame: that frame is still on screen.
          RETURN_IF_ERROR(EmitVideo(*held));
          held.reset();
        }
        video_done = true;
        if (adec) {
          avcodec_send_packet(adec.get(), nullptr);
          RETURN_IF_ERROR(Receive(adec.get(), false));
          RETURN_IF_ERROR(OnAudioFrame(nullptr));
        }
        audio_done = true;
      }
      return Status::Ok();
    }
    int err = av_read_frame(fmt.get(), packet.get());
    if (err < 0) {
      // A remote input that failed to read (the network, a lost lease) fails the window: a
      // clip cut short by a dropped connection must not pass for a whole one.
      if (Status cause = RemoteReadError(fmt.get()); !cause.ok()) {
        return cause.WithPrefix(path + ": reading the window");
      }
      // End of file, or a truncated/damaged tail: either way the window ends here.
      input_eof = true;
      return Status::Ok();
    }
    AVCodecContext* dec = nullptr;
    bool is_video = false;
    if (packet->stream_index == vidx && !video_done) {
      dec = vdec.get();
      is_video = true;
    } else if (packet->stream_index == aidx && !audio_done) {
      dec = adec.get();
    }
    if (dec == nullptr) {
      av_packet_unref(packet.get());
      return Status::Ok();
    }
    err = avcodec_send_packet(dec, packet.get());
    av_packet_unref(packet.get());
    // A damaged packet is skipped rather than failing the window; the decoder resyncs.
    if (err < 0 && err != AVERROR(EAGAIN) && err != AVERROR_INVALIDDATA) {
      return AvError(err, path + (is_video ? ": decoding video" : ": decoding audio"));
    }
    return Receive(dec, is_video);
  }
};

WindowDecoder::WindowDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WindowDecoder::WindowDecoder(WindowDecoder&&) noexcept = default;
WindowDecoder& WindowDecoder::operator=(WindowDecoder&&) noexcept = default;
WindowDecoder::~WindowDecoder() = default;

Result<WindowDecoder> WindowDecoder::Open(const std::string& path,
                                          const WindowDecoderOptions& options) {
  if (options.start_ms < 0) {
    return InvalidArgumentError(path + ": window start " + std::to_string(options.start_ms) +
                                " ms is negative");
  }
  if (options.end_ms >= 0 && options.end_ms <= options.start_ms) {
    return InvalidArgumentError(path + ": empty window [" + FormatClock(options.start_ms) + ", " +
                                FormatClock(options.end_ms) + ")");
  }
  if (options.width < 0 || options.height < 0) {
    return InvalidArgumentError(path + ": negative output size");
  }
  if (options.audio_channels < 0 || options.audio_channels > 8 ||
      (options.audio_channels > 0 && options.audio_sample_rate_hz <= 0)) {
    return InvalidArgumentError(path + ": audio output needs a positive rate and 0..8 channels");
  }

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  ASSIGN_OR_RETURN(impl->fmt, OpenInputFile(path));
  AVFormatContext* fmt = impl->fmt.get();

  impl->vidx = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (impl->vidx < 0) return UnsupportedError(path + ": no video stream");
  if (options.audio_channels > 0) {
    const int a = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, impl->vidx, nullptr, 0);
    impl->aidx = a >= 0 ? a : -1;
  }
  if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) {
    const TimeMs duration_ms = av_rescale_q(fmt->duration, AV_TIME_BASE_Q, kMs);
    if (options.start_ms >= duration_ms) {
      return InvalidArgumentError(path + ": window starts at " + FormatClock(options.start_ms) +
                                  ", past the end (" + FormatClock(duration_ms) + ")");
    }
  }
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    if (static_cast<int>(i) != impl->vidx && static_cast<int>(i) != impl->aidx) {
      fmt->streams[i]->discard = AVDISCARD_ALL;
    }
  }

  const AVStream* vst = fmt->streams[impl->vidx];
  impl->video_origin = StreamOrigin(fmt, vst);
  if (impl->aidx >= 0) impl->audio_origin = StreamOrigin(fmt, fmt->streams[impl->aidx]);
  ASSIGN_OR_RETURN(impl->vdec, OpenDecoder(path, vst, "video", /*thread_count=*/0));
  if (impl->aidx >= 0) {
    ASSIGN_OR_RETURN(impl->adec, OpenDecoder(path, fmt->streams[impl->aidx], "audio", 1));
  }
  const int src_w = vst->codecpar->width, src_h = vst->codecpar->height;
  impl->out_width = options.width;
  impl->out_height = options.height;
  if (impl->out_width == 0 && impl->out_height == 0) {
    impl->out_width = src_w;
    impl->out_height = src_h;
  } else if (impl->out_height == 0 && src_w > 0) {
    impl->out_height = std::max(
        2, static_cast<int>(std::lround(static_cast<double>(src_h) * impl->out_width / src_w / 2)) *
               2);
  } else if (impl->out_width == 0 && src_h > 0) {
    impl->out_width = std::max(2, static_cast<int>(std::lround(static_cast<double>(src_w) *
                                                               impl->out_height / src_h / 2)) *
                                      2);
  }
  if (impl->out_width <= 0 || impl->out_height <= 0) {
    return DataError(path + ": video stream has no picture size");
  }

  impl->packet = MakeAvPacket();
  impl->frame = MakeAvFrame();
  if (!impl->packet || !impl->frame) return IoError(path + ": out of memory");
  if (impl->adec) {
    const int rate = options.audio_sample_rate_hz;
    impl->audio_start_pos = av_rescale(options.start_ms, rate, 1000);
    impl->audio_end_pos = options.end_ms >= 0 ? av_rescale(options.end_ms, rate, 1000) : INT64_MAX;
  }

  // Seek a little before the window (audio preroll), then check where the video landed: a
  // demuxer that seeks by decode time can land on a keyframe shown after start_ms, and then
  // we step back further.
  TimeMs target = std::max<TimeMs>(0, options.start_ms - kAudioPrerollMs);
  TimeMs step_back_ms = 1000;
  for (int attempt = 0;; ++attempt) {
    RETURN_IF_ERROR(impl->Seek(target));
    while (!impl->video_seen && !impl->input_eof) RETURN_IF_ERROR(impl->Step());
    const bool late = impl->video_seen && impl->first_video_pts != AV_NOPTS_VALUE &&
                      Impl::CompareMs(impl->first_video_pts, vst->time_base, options.start_ms) > 0;
    if (!late || target == 0) break;
    if (attempt == kMaxSeekRetries) {
      target = 0;  // give up stepping: decode from the start
    } else {
      target = std::max<TimeMs>(0, target - step_back_ms);
      step_back_ms *= 2;
    }
  }
  return WindowDecoder(std::move(impl));
}

Result<bool> WindowDecoder::Next(DecodedItem* item) {
  if (!impl_) return InvalidArgumentError("window decoder: moved from");
  Impl& m = *impl_;
  while (m.queue.empty()) {
    if (m.Done() || (m.input_eof && m.flushed)) return false;
    RETURN_IF_ERROR(m.Step());
  }
  *item = std::move(m.queue.front());
  m.queue.pop_front();
  return true;
}

bool WindowDecoder::has_audio() const { return impl_ && impl_->adec != nullptr; }

double WindowDecoder::source_fps() const {
  if (!impl_) return 0;
  const AVStream* st = impl_->fmt->streams[impl_->vidx];
  if (st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0) return av_q2d(st->avg_frame_rate);
  if (st->r_frame_rate.num > 0 && st->r_frame_rate.den > 0) return av_q2d(st->r_frame_rate);
  return 0;
}

int WindowDecoder::source_width() const {
  return impl_ ? impl_->fmt->streams[impl_->vidx]->codecpar->width : 0;
}

int WindowDecoder::source_height() const {
  return impl_ ? impl_->fmt->streams[impl_->vidx]->codecpar->height : 0;
}

}  // namespace clipthat::media
