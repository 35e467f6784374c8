#include "media/audio_decoder.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "media/av_error.h"
#include "media/probe.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace clipthat::media {
namespace {

constexpr std::int64_t kNoEnd = std::numeric_limits<std::int64_t>::max();
// Decoded audio before the requested start lets the decoder settle (AAC overlaps frames).
constexpr TimeMs kSeekPrerollMs = 200;
// Isolated corrupt packets are skipped (the gap becomes silence); this many in a row fail.
constexpr int kMaxConsecutiveBadPackets = 32;

}  // namespace

struct AudioDecoder::Impl {
  std::string path;
  AudioDecoderOptions opt;
  TimeMs duration_ms = 0;

  AvInputFormatPtr fmt;
  AvCodecContextPtr dec;
  SwrContextPtr swr;
  AvPacketPtr pkt;
  AvFramePtr frame;
  AvFramePtr held;  // a decoded frame waiting behind a silence gap
  bool holding = false;
  int stream = -1;
  AVRational tb{1, 1};
  std::int64_t origin = 0;  // stream time of the media start, in tb

  // Resampler input as configured; a change mid-stream rebuilds it.
  int in_rate = 0;
  int in_format = -1;
  AVChannelLayout in_layout{};

  // Input timeline, in input samples from the media start.
  bool timeline_started = false;
  std::int64_t next_in = 0;      // where the next input sample belongs
  std::int64_t end_in = kNoEnd;  // first sample not wanted

  // Output: frames delivered so far, interleaved samples not yet delivered, and silence owed
  // before anything that follows `pending`.
  std::int64_t out_limit = kNoEnd;
  std::int64_t out_emitted = 0;
  std::vector<float> pending;
  std::int64_t silence_frames = 0;

  bool input_done = false;  // no more packets wanted (end of file or end_ms reached)
  bool sent_flush = false;
  bool finished = false;  // decoder and resampler fully drained
  int bad_packets = 0;

  ~Impl() { av_channel_layout_uninit(&in_layout); }

  std::size_t pending_frames() const { return pending.size() / opt.channels; }

  TimeMs NowMs() const { return in_rate > 0 ? next_in * 1000 / in_rate : opt.start_ms; }
  Status Fail(int err, std::string_view what) const {
    if (Status cause = RemoteReadError(fmt.get()); !cause.ok()) {  // the request that failed
      return cause.WithPrefix(path + ": " + std::string(what) + " at " + FormatClock(NowMs()));
    }
    return DataError(path + ": " + std::string(what) + " at " + FormatClock(NowMs()) + " (" +
                     AvErrorString(err) + ")");
  }

  Status ConfigureResampler(const AVFrame& f);
  Status Drain();
  Status Feed(const AVFrame& f, int offset, int count);
  Status Consume(AVFrame* f);
  Status Pump();
};

Status AudioDecoder::Impl::ConfigureResampler(const AVFrame& f) {
  AVChannelLayout layout{};
  // Some streams carry only a channel count; swresample needs a real layout.
  if (f.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
    av_channel_layout_default(&layout, f.ch_layout.nb_channels);
  } else if (av_channel_layout_copy(&layout, &f.ch_layout) < 0) {
    return IoError(path + ": out of memory");
  }
  AVChannelLayout out_layout{};
  av_channel_layout_default(&out_layout, opt.channels);
  SwrContext* raw = nullptr;
  int err = swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, opt.sample_rate_hz, &layout,
                                static_cast<AVSampleFormat>(f.format), f.sample_rate, 0, nullptr);
  av_channel_layout_uninit(&out_layout);
  swr.reset(raw);
  // Normalise the downmix so it stays within [-1, 1] (swresample leaves float unscaled).
  if (err >= 0) err = av_opt_set_double(swr.get(), "rematrix_maxval", 1.0, 0);
  if (err >= 0) err = swr_init(swr.get());
  if (err < 0) {
    av_channel_layout_uninit(&layout);
    return UnsupportedError(path + ": cannot resample audio (" + std::to_string(f.sample_rate) +
                            " Hz, " + std::to_string(f.ch_layout.nb_channels) +
                            " channels): " + AvErrorString(err));
  }
  if (timeline_started && in_rate != f.sample_rate) {
    next_in = av_rescale(next_in, f.sample_rate, in_rate);
    if (end_in != kNoEnd) end_in = av_rescale(end_in, f.sample_rate, in_rate);
  }
  in_rate = f.sample_rate;
  in_format = f.format;
  av_channel_layout_uninit(&in_layout);
  in_layout = layout;
  return Status::Ok();
}

// Pulls what the resampler still holds into `pending` and drops it: a flushed resampler
// cannot take more input, so the next frame builds a fresh one.
Status AudioDecoder::Impl::Drain() {
  if (!swr) return Status::Ok();
  for (;;) {
    const int cap = swr_get_out_samples(swr.get(), 0);
    if (cap <= 0) break;
    const std::size_t old = pending.size();
    pending.resize(old + static_cast<std::size_t>(cap) * opt.channels);
    auto* out = reinterpret_cast<std::uint8_t*>(pending.data() + old);
    const int got = swr_convert(swr.get(), &out, cap, nullptr, 0);
    pending.resize(old + static_cast<std::size_t>(std::max(got, 0)) * opt.channels);
    if (got < 0) return Fail(got, "resampling failed");
    if (got == 0) break;
  }
  swr.reset();
  return Status::Ok();
}

Status AudioDecoder::Impl::Feed(const AVFrame& f, int offset, int count) {
  // Point past the trimmed samples instead of copying the frame.
  const int planar = av_sample_fmt_is_planar(static_cast<AVSampleFormat>(f.format));
  const int bytes = av_get_bytes_per_sample(static_cast<AVSampleFormat>(f.format));
  const int planes = planar ? f.ch_layout.nb_channels : 1;
  const int step = planar ? bytes : bytes * f.ch_layout.nb_channels;
  std::vector<const std::uint8_t*> in(static_cast<std::size_t>(planes));
  for (int p = 0; p < planes; ++p)
    in[p] = f.extended_data[p] + static_cast<std::ptrdiff_t>(offset) * step;

  const int cap = swr_get_out_samples(swr.get(), count);
  if (cap < 0) return Fail(cap, "resampling failed");
  const std::size_t old = pending.size();
  pending.resize(old + static_cast<std::size_t>(cap) * opt.channels);
  auto* out = reinterpret_cast<std::uint8_t*>(pending.data() + old);
  const int got = swr_convert(swr.get(), &out, cap, in.data(), count);
  pending.resize(old + static_cast<std::size_t>(std::max(got, 0)) * opt.channels);
  if (got < 0) return Fail(got, "resampling failed");
  return Status::Ok();
}

Status AudioDecoder::Impl::Consume(AVFrame* f) {
  if (f->nb_samples <= 0 || f->sample_rate <= 0) return Status::Ok();
  if (!swr || f->sample_rate != in_rate || f->format != in_format ||
      av_channel_layout_compare(&f->ch_layout, &in_layout) != 0) {
    // A format change mid-stream is rare (ad insertion, broken concatenation); what the old
    // settings still hold is flushed first so it stays in order.
    RETURN_IF_ERROR(Drain());
    RETURN_IF_ERROR(ConfigureResampler(*f));
  }
  if (!timeline_started) {
    timeline_started = true;
    next_in = av_rescale(opt.start_ms, in_rate, 1000);
    if (opt.end_ms >= 0) end_in = av_rescale(opt.end_ms, in_rate, 1000);
  }

  const std::int64_t ts = f->best_effort_timestamp;
  const std::int64_t pos =
      ts == AV_NOPTS_VALUE ? next_in : av_rescale_q(ts - origin, tb, AVRational{1, in_rate});
  const std::int64_t tolerance = std::max(1, in_rate / 200);  // 5 ms of timestamp jitter
  std::int64_t skip = 0;
  if (pos > next_in + tolerance && next_in < end_in) {
    // A hole in the source: emit silence for it first, then this frame on the next pump.
    RETURN_IF_ERROR(Drain());
    const std::int64_t gap_end = std::min(pos, end_in);
    silence_frames += av_rescale(gap_end, opt.sample_rate_hz, in_rate) -
                      av_rescale(next_in, opt.sample_rate_hz, in_rate);
    next_in = gap_end;
    av_frame_move_ref(held.get(), f);
    holding = true;
    return Status::Ok();
  }
  if (pos < next_in - tolerance) skip = next_in - pos;  // before start_ms, or an overlap
  if (skip >= f->nb_samples) return Status::Ok();
  std::int64_t take = f->nb_samples - skip;
  if (end_in != kNoEnd) take = std::min(take, end_in - next_in);
  if (take > 0) {
    RETURN_IF_ERROR(Feed(*f, static_cast<int>(skip), static_cast<int>(take)));
    next_in += take;
  }
  if (next_in >= end_in) input_done = true;
  return Status::Ok();
}

// One step of work: a held frame, a decoded frame, or one packet read.
Status AudioDecoder::Impl::Pump() {
  if (holding) {
    holding = false;
    Status s = Consume(held.get());
    av_frame_unref(held.get());
    return s;
  }
  int err = avcodec_receive_frame(dec.get(), frame.get());
  if (err >= 0) {
    Status s = Consume(frame.get());
    av_frame_unref(frame.get());
    return s;
  }
  if (err == AVERROR_EOF) {
    RETURN_IF_ERROR(Drain());
    finished = true;
    return Status::Ok();
  }
  if (err == AVERROR_INVALIDDATA) {
    if (++bad_packets > kMaxConsecutiveBadPackets) return Fail(err, "audio decode failed");
    return Status::Ok();
  }
  if (err != AVERROR(EAGAIN)) return Fail(err, "audio decode failed");

  if (input_done) {
    if (sent_flush) {  // the decoder owes nothing more
      RETURN_IF_ERROR(Drain());
      finished = true;
      return Status::Ok();
    }
    sent_flush = true;
    err = avcodec_send_packet(dec.get(), nullptr);
    if (err < 0 && err != AVERROR_EOF) return Fail(err, "audio decode failed");
    return Status::Ok();
  }
  err = av_read_frame(fmt.get(), pkt.get());
  if (err == AVERROR_EOF) {
    input_done = true;
    return Status::Ok();
  }
  if (err < 0) return Fail(err, "read error");
  if (pkt->stream_index == stream) {
    err = avcodec_send_packet(dec.get(), pkt.get());
    if (err == AVERROR_INVALIDDATA) {
      if (++bad_packets > kMaxConsecutiveBadPackets) {
        av_packet_unref(pkt.get());
        return Fail(err, "audio decode failed");
      }
    } else if (err < 0) {
      av_packet_unref(pkt.get());
      return Fail(err, "audio decode failed");
    } else {
      bad_packets = 0;
    }
  }
  av_packet_unref(pkt.get());
  return Status::Ok();
}

Result<AudioDecoder> AudioDecoder::Open(const std::string& path,
                                        const AudioDecoderOptions& options) {
  if (options.sample_rate_hz <= 0 || options.channels <= 0 || options.channels > 64 ||
      options.chunk_ms <= 0 || options.start_ms < 0 ||
      (options.end_ms >= 0 && options.end_ms <= options.start_ms)) {
    return InvalidArgumentError(
        path + ": bad audio decode options (rate " + std::to_string(options.sample_rate_hz) +
        " Hz, " + std::to_string(options.channels) + " channels, chunk " +
        std::to_string(options.chunk_ms) + " ms, range " + std::to_string(options.start_ms) + ".." +
        std::to_string(options.end_ms) + " ms)");
  }
  ASSIGN_OR_RETURN(ProbeInfo info, Probe(path));
  RETURN_IF_ERROR(RequireAudio(info));

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->opt = options;
  impl->duration_ms = info.audio()->duration_ms;
  ASSIGN_OR_RETURN(impl->fmt, OpenInputFile(path));
  AVFormatContext* fmt = impl->fmt.get();
  const int index = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (index < 0) return UnsupportedError(path + ": no audio stream");
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    fmt->streams[i]->discard = static_cast<int>(i) == index ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
  }
  AVStream* st = fmt->streams[index];
  impl->stream = index;
  impl->tb = st->time_base;
  impl->origin = StreamOrigin(fmt, st);
  ASSIGN_OR_RETURN(impl->dec, OpenDecoder(path, st, "audio", /*thread_count=*/1));
  impl->pkt = MakeAvPacket();
  impl->frame = MakeAvFrame();
  impl->held = MakeAvFrame();
  if (!impl->pkt || !impl->frame || !impl->held) return IoError(path + ": out of memory");

  if (options.start_ms > 0) {
    const TimeMs seek_ms = std::max<TimeMs>(0, options.start_ms - kSeekPrerollMs);
    const std::int64_t ts =
        impl->origin + av_rescale_q(seek_ms, AVRational{1, 1000}, st->time_base);
    // A failed seek is not fatal: decoding from the top and trimming gives the same samples.
    if (seek_ms > 0 && avformat_seek_file(fmt, index, INT64_MIN, ts, ts, 0) < 0) {
      avformat_seek_file(fmt, index, INT64_MIN, impl->origin, impl->origin, 0);
    }
  }
  if (options.end_ms >= 0) {
    impl->out_limit = av_rescale(options.end_ms - options.start_ms, options.sample_rate_hz, 1000);
  }
  return AudioDecoder(std::move(impl));
}

AudioDecoder::AudioDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AudioDecoder::AudioDecoder(AudioDecoder&&) noexcept = default;
AudioDecoder& AudioDecoder::operator=(AudioDecoder&&) noexcept = default;
AudioDecoder::~AudioDecoder() = default;

TimeMs AudioDecoder::duration_ms() const { return impl_ ? impl_->duration_ms : 0; }

Result<bool> AudioDecoder::Next(AudioBuffer* chunk) {
  chunk->samples.clear();
  if (!impl_) return false;
  Impl& d = *impl_;
  const int ch = d.opt.channels;
  const std::size_t chunk_frames = static_cast<std::size_t>(
      std::max<std::int64_t>(1, av_rescale(d.opt.chunk_ms, d.opt.sample_rate_hz, 1000)));
  for (;;) {
    const std::size_t have = d.pending_frames();
    if (have >= chunk_frames) break;
    if (d.out_emitted + static_cast<std::int64_t>(have) >= d.out_limit) break;
    if (d.silence_frames > 0) {
      const std::int64_t n =
          std::min<std::int64_t>(d.silence_frames, static_cast<std::int64_t>(chunk_frames - have));
      d.pending.resize(d.pending.size() + static_cast<std::size_t>(n) * ch, 0.0f);
      d.silence_frames -= n;
      continue;
    }
    if (d.finished) break;
    RETURN_IF_ERROR(d.Pump());
  }
  std::int64_t n = std::min<std::int64_t>(static_cast<std::int64_t>(d.pending_frames()),
                                          static_cast<std::int64_t>(chunk_frames));
  n = std::min(n, d.out_limit - d.out_emitted);
  if (n <= 0) return false;
  chunk->start_ms = d.opt.start_ms + d.out_emitted * 1000 / d.opt.sample_rate_hz;
  chunk->sample_rate_hz = d.opt.sample_rate_hz;
  chunk->channels = ch;
  const auto end = d.pending.begin() + static_cast<std::ptrdiff_t>(n * ch);
  chunk->samples.assign(d.pending.begin(), end);
  d.pending.erase(d.pending.begin(), end);
  d.out_emitted += n;
  return true;
}

}  // namespace clipthat::media
