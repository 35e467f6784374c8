#include "testing/media_fixtures.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <numbers>

namespace clipthat::testing {

namespace {

using media::AudioBuffer;
using media::PixelFormat;
using media::VideoFrame;

constexpr int kCodeBits = 12;

// Local owners: the fixtures stay independent of the code they are used to test.
struct FormatInDeleter {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct FormatOutDeleter {
  void operator()(AVFormatContext* c) const {
    if (c == nullptr) return;
    if (c->oformat && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
struct CodecDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsDeleter {
  void operator()(SwsContext* c) const { sws_freeContext(c); }
};
struct SwrDeleter {
  void operator()(SwrContext* c) const { swr_free(&c); }
};
using FormatIn = std::unique_ptr<AVFormatContext, FormatInDeleter>;
using FormatOut = std::unique_ptr<AVFormatContext, FormatOutDeleter>;
using Codec = std::unique_ptr<AVCodecContext, CodecDeleter>;
using Frame = std::unique_ptr<AVFrame, FrameDeleter>;
using Packet = std::unique_ptr<AVPacket, PacketDeleter>;
using Sws = std::unique_ptr<SwsContext, SwsDeleter>;
using Swr = std::unique_ptr<SwrContext, SwrDeleter>;

Status Av(int err, const std::string& what) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, buf, sizeof(buf));
  return InternalError(what + ": " + buf);
}

std::size_t PlaneBytes(int w, int h, PixelFormat f) {
  const std::size_t sw = w, sh = h;
  switch (f) {
    case PixelFormat::kGray8: return sw * sh;
    case PixelFormat::kBgr24: return sw * sh * 3;
    case PixelFormat::kYuv420p: return sw * sh + 2 * ((sw + 1) / 2) * ((sh + 1) / 2);
  }
  return 0;
}

void AllocFrame(int w, int h, PixelFormat f, VideoFrame* out) {
  out->width = w;
  out->height = h;
  out->format = f;
  out->data.assign(PlaneBytes(w, h, f), 0);
}

AVPixelFormat ToAv(PixelFormat f) {
  switch (f) {
    case PixelFormat::kGray8: return AV_PIX_FMT_GRAY8;
    case PixelFormat::kBgr24: return AV_PIX_FMT_BGR24;
    case PixelFormat::kYuv420p: return AV_PIX_FMT_YUV420P;
  }
  return AV_PIX_FMT_NONE;
}

// Luma and chroma of the test pattern at (x, y) of frame `index`.
struct Yuv {
  std::uint8_t y, u, v;
};

Yuv PatternAt(long long index, int x, int y, int w, int h) {
  const int code_row_h = std::max(1, h * 3 / 20);
  if (y < 2 * code_row_h) {
    const int bit_pos = std::min(kCodeBits - 1, x * kCodeBits / w);  // 0 = most significant
    const int code = static_cast<int>(index % (1 << kCodeBits));
    bool bit = (code >> (kCodeBits - 1 - bit_pos)) & 1;
    if (y >= code_row_h) bit = !bit;
    return {static_cast<std::uint8_t>(bit ? 235 : 16), 128, 128};
  }
  // A square moving one step per frame, reddish, over a soft diagonal gradient.
  const int side = std::max(2, h / 5);
  const int span = std::max(1, w - side);
  const int sx = static_cast<int>((index * 4) % span);
  const int sy = h / 2;
  if (x >= sx && x < sx + side && y >= sy && y < sy + side) return {200, 100, 200};
  return {static_cast<std::uint8_t>(60 + (x + y) * 100 / (w + h)), 128, 128};
}

// Average luma of the rectangle [x0, x1) x [y0, y1).
double MeanLuma(const VideoFrame& f, int x0, int y0, int x1, int y1) {
  double sum = 0;
  int n = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * f.width + x;
      if (f.format == PixelFormat::kBgr24) {
        const std::uint8_t* p = &f.data[i * 3];
        sum += 0.114 * p[0] + 0.587 * p[1] + 0.299 * p[2];
      } else {
        sum += f.data[i];
      }
      ++n;
    }
  }
  return n > 0 ? sum / n : 0;
}

double ToneSample(double tone_hz, long long n, int rate) {
  const long long sec = n / rate;
  const double u = static_cast<double>(n - sec * rate) / rate;  // seconds into this second
  // Gate with 5 ms raised-cosine edges so the encoder sees no clicks.
  double gate = 0;
  if (u < 0.5) {
    const double edge = 0.005;
    gate = 1;
    if (u < edge) gate = 0.5 - 0.5 * std::cos(std::numbers::pi * u / edge);
    if (u > 0.5 - edge) gate = 0.5 - 0.5 * std::cos(std::numbers::pi * (0.5 - u) / edge);
  }
  // Frequency tone_hz + 400 u: phase is its integral over the second.
  const double phase = 2 * std::numbers::pi * (tone_hz * u + 200.0 * u * u);
  return 0.5 * gate * std::sin(phase);
}

Status Drain(AVCodecContext* enc, AVFrame* frame, AVFormatContext* oc, AVStream* st) {
  int err = avcodec_send_frame(enc, frame);
  if (err < 0) return Av(err, "send frame");
  Packet pkt(av_packet_alloc());
  while (true) {
    err = avcodec_receive_packet(enc, pkt.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
    if (err < 0) return Av(err, "receive packet");
    av_packet_rescale_ts(pkt.get(), enc->time_base, st->time_base);
    pkt->stream_index = st->index;
    err = av_interleaved_write_frame(oc, pkt.get());
    if (err < 0) return Av(err, "write packet");
  }
}

}  // namespace

void DrawTestFrame(long long index, int width, int height, PixelFormat format, VideoFrame* out) {
  AllocFrame(width, height, format, out);
  const std::size_t luma = static_cast<std::size_t>(width) * height;
  const int cw = (width + 1) / 2;
  const int ch = (height + 1) / 2;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const Yuv p = PatternAt(index, x, y, width, height);
      const std::size_t i = static_cast<std::size_t>(y) * width + x;
      switch (format) {
        case PixelFormat::kGray8: out->data[i] = p.y; break;
        case PixelFormat::kYuv420p:
          out->data[i] = p.y;
          if (x % 2 == 0 && y % 2 == 0) {
            const std::size_t c = static_cast<std::size_t>(y / 2) * cw + x / 2;
            out->data[luma + c] = p.u;
            out->data[luma + static_cast<std::size_t>(cw) * ch + c] = p.v;
          }
          break;
        case PixelFormat::kBgr24: {
          // BT.601 limited range to RGB.
          const double c = 1.164 * (p.y - 16), d = p.u - 128.0, e = p.v - 128.0;
          auto clamp = [](double v) {
            return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
          };
          out->data[i * 3 + 0] = clamp(c + 2.018 * d);
          out->data[i * 3 + 1] = clamp(c - 0.391 * d - 0.813 * e);
          out->data[i * 3 + 2] = clamp(c + 1.596 * e);
          break;
        }
      }
    }
  }
}

int ReadFrameIndex(const VideoFrame& frame) {
  const int w = frame.width, h = frame.height;
  if (w < kCodeBits * 2 || h < 8 || frame.data.size() < PlaneBytes(w, h, frame.format)) return -1;
  const int code_row_h = std::max(1, h * 3 / 20);
  int code = 0;
  for (int b = 0; b < kCodeBits; ++b) {
    // Sample the middle half of each block, away from edges blurred by coding or scaling.
    const int x0 = b * w / kCodeBits, x1 = (b + 1) * w / kCodeBits;
    const int qx = (x1 - x0) / 4, qy = code_row_h / 4;
    const double top = MeanLuma(frame, x0 + qx, qy, x1 - qx, code_row_h - qy);
    const double bottom = MeanLuma(frame, x0 + qx, code_row_h + qy, x1 - qx, 2 * code_row_h - qy);
    if (std::abs(top - bottom) < 60) return -1;
    code = code * 2 + (top > bottom ? 1 : 0);
  }
  return code;
}

AudioBuffer MakeTestAudio(const TestMediaSpec& spec, long long first_sample, long long count) {
  AudioBuffer out;
  out.sample_rate_hz = spec.audio_sample_rate_hz;
  out.channels = spec.audio_channels;
  out.start_ms = first_sample * 1000 / spec.audio_sample_rate_hz;
  out.samples.resize(static_cast<std::size_t>(count) * spec.audio_channels);
  for (long long i = 0; i < count; ++i) {
    const float s =
        static_cast<float>(ToneSample(spec.tone_hz, first_sample + i, spec.audio_sample_rate_hz));
    for (int c = 0; c < spec.audio_channels; ++c) out.samples[i * spec.audio_channels + c] = s;
  }
  return out;
}

int ToneEnvelope(TimeMs t_ms) { return ((t_ms % 1000) + 1000) % 1000 < 500 ? 1 : 0; }

double RmsBetween(const AudioBuffer& audio, TimeMs from_ms, TimeMs to_ms) {
  if (audio.channels <= 0) return 0;
  const long long n = static_cast<long long>(audio.frame_count());
  const long long a = std::clamp<long long>(from_ms * audio.sample_rate_hz / 1000, 0, n);
  const long long b = std::clamp<long long>(to_ms * audio.sample_rate_hz / 1000, 0, n);
  if (b <= a) return 0;
  double sum = 0;
  for (long long i = a * audio.channels; i < b * audio.channels; ++i) {
    sum += static_cast<double>(audio.samples[i]) * audio.samples[i];
  }
  return std::sqrt(sum / static_cast<double>((b - a) * audio.channels));
}

Result<std::string> MakeTestMedia(const std::filesystem::path& path, const TestMediaSpec& spec) {
  const std::string out_path = path.string();
  if (!spec.with_video && !spec.with_audio) {
    return InvalidArgumentError("test media needs video or audio");
  }
  QuietLibavLogs();
  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, nullptr, out_path.c_str());
  if (err < 0 || raw == nullptr) return Av(err, out_path + ": output");
  FormatOut oc(raw);

  Codec venc, aenc;
  AVStream* vst = nullptr;
  AVStream* ast = nullptr;
  if (spec.with_video) {
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (codec == nullptr) return UnsupportedError("libx264 not available");
    venc.reset(avcodec_alloc_context3(codec));
    venc->width = spec.width;
    venc->height = spec.height;
    venc->pix_fmt = AV_PIX_FMT_YUV420P;
    venc->time_base = {1, spec.fps};
    venc->framerate = {spec.fps, 1};
    venc->gop_size = spec.gop_frames > 0 ? spec.gop_frames : spec.fps;
    if (oc->oformat->flags & AVFMT_GLOBALHEADER) venc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    AVDictionary* opts = nullptr;
    av_dict_set(&opts, "preset", "veryfast", 0);
    av_dict_set(&opts, "crf", std::to_string(spec.crf).c_str(), 0);
    // Keyframes exactly every gop_frames, so tests know where they are.
    av_dict_set(&opts, "x264-params", "scenecut=0", 0);
    err = avcodec_open2(venc.get(), codec, &opts);
    av_dict_free(&opts);
    if (err < 0) return Av(err, "open libx264");
    vst = avformat_new_stream(oc.get(), nullptr);
    avcodec_parameters_from_context(vst->codecpar, venc.get());
    vst->time_base = venc->time_base;
    vst->avg_frame_rate = {spec.fps, 1};
  }
  if (spec.with_audio) {
    const AVCodec* codec = avcodec_find_encoder_by_name("aac");
    if (codec == nullptr) return UnsupportedError("aac encoder not available");
    aenc.reset(avcodec_alloc_context3(codec));
    aenc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    aenc->sample_rate = spec.audio_sample_rate_hz;
    av_channel_layout_default(&aenc->ch_layout, spec.audio_channels);
    aenc->bit_rate = 128000;
    aenc->time_base = {1, spec.audio_sample_rate_hz};
    if (oc->oformat->flags & AVFMT_GLOBALHEADER) aenc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    err = avcodec_open2(aenc.get(), codec, nullptr);
    if (err < 0) return Av(err, "open aac");
    ast = avformat_new_stream(oc.get(), nullptr);
    avcodec_parameters_from_context(ast->codecpar, aenc.get());
    ast->time_base = aenc->time_base;
  }
  if (!(oc->oformat->flags & AVFMT_NOFILE)) {
    err = avio_open(&oc->pb, out_path.c_str(), AVIO_FLAG_WRITE);
    if (err < 0) return Av(err, out_path + ": create");
  }
  AVDictionary* mux_opts = nullptr;
  av_dict_set(&mux_opts, "movflags", "+faststart", 0);
  err = avformat_write_header(oc.get(), &mux_opts);
  av_dict_free(&mux_opts);
  if (err < 0) return Av(err, out_path + ": write header");

  const long long total_frames = spec.duration_ms * spec.fps / 1000;
  const long long total_samples = spec.duration_ms * spec.audio_sample_rate_hz / 1000;
  long long next_frame = 0, next_sample = 0;
  Frame vframe(av_frame_alloc()), aframe(av_frame_alloc());
  VideoFrame picture;
  while (true) {
    const bool video_left = spec.with_video && next_frame < total_frames;
    const bool audio_left = spec.with_audio && next_sample < total_samples;
    if (!video_left && !audio_left) break;
    // Feed whichever stream is behind, so the muxer interleaves closely.
    const bool do_video =
        video_left && (!audio_left || next_frame * spec.audio_sample_rate_hz <=
                                          next_sample * static_cast<long long>(spec.fps));
    if (do_video) {
      DrawTestFrame(next_frame, spec.width, spec.height, PixelFormat::kYuv420p, &picture);
      av_frame_unref(vframe.get());
      vframe->width = spec.width;
      vframe->height = spec.height;
      vframe->format = AV_PIX_FMT_YUV420P;
      if ((err = av_frame_get_buffer(vframe.get(), 0)) < 0) return Av(err, "frame buffer");
      const int cw = (spec.width + 1) / 2, ch = (spec.height + 1) / 2;
      const std::uint8_t* planes[3] = {picture.data.data(),
                                       picture.data.data() + spec.width * spec.height,
                                       picture.data.data() + spec.width * spec.height + cw * ch};
      const int widths[3] = {spec.width, cw, cw};
      const int heights[3] = {spec.height, ch, ch};
      for (int p = 0; p < 3; ++p) {
        for (int y = 0; y < heights[p]; ++y) {
          std::copy_n(planes[p] + y * widths[p], widths[p],
                      vframe->data[p] + y * vframe->linesize[p]);
        }
      }
      vframe->pts = next_frame++;
      RETURN_IF_ERROR(Drain(venc.get(), vframe.get(), oc.get(), vst));
    } else {
      const long long n = std::min<long long>(aenc->frame_size, total_samples - next_sample);
      av_frame_unref(aframe.get());
      aframe->nb_samples = static_cast<int>(n);
      aframe->format = AV_SAMPLE_FMT_FLTP;
      aframe->sample_rate = spec.audio_sample_rate_hz;
      av_channel_layout_copy(&aframe->ch_layout, &aenc->ch_layout);
      if ((err = av_frame_get_buffer(aframe.get(), 0)) < 0) return Av(err, "audio buffer");
      for (long long i = 0; i < n; ++i) {
        const float s = static_cast<float>(
            ToneSample(spec.tone_hz, next_sample + i, spec.audio_sample_rate_hz));
        for (int c = 0; c < spec.audio_channels; ++c) {
          reinterpret_cast<float*>(aframe->extended_data[c])[i] = s;
        }
      }
      aframe->pts = next_sample;
      next_sample += n;
      RETURN_IF_ERROR(Drain(aenc.get(), aframe.get(), oc.get(), ast));
    }
  }
  if (venc) RETURN_IF_ERROR(Drain(venc.get(), nullptr, oc.get(), vst));
  if (aenc) RETURN_IF_ERROR(Drain(aenc.get(), nullptr, oc.get(), ast));
  err = av_write_trailer(oc.get());
  if (err < 0) return Av(err, out_path + ": write trailer");
  return out_path;
}

Status WriteTruncatedCopy(const std::filesystem::path& src, const std::filesystem::path& dst,
                          std::uintmax_t bytes) {
  std::ifstream in(src, std::ios::binary);
  if (!in) return NotFoundError(src.string() + ": cannot open");
  std::string data(bytes, '\0');
  in.read(data.data(), static_cast<std::streamsize>(bytes));
  data.resize(static_cast<std::size_t>(in.gcount()));
  std::ofstream out(dst, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) return IoError(dst.string() + ": write failed");
  return Status::Ok();
}

Status WriteNonMediaFile(const std::filesystem::path& dst) {
  std::ofstream out(dst, std::ios::binary | std::ios::trunc);
  out << "These are shopping notes, not a video.\nmilk\neggs\nbread\n";
  if (!out) return IoError(dst.string() + ": write failed");
  return Status::Ok();
}

Result<std::vector<PacketRecord>> ReadAllPackets(const std::filesystem::path& path) {
  AVFormatContext* raw = nullptr;
  int err = avformat_open_input(&raw, path.string().c_str(), nullptr, nullptr);
  if (err < 0) return Av(err, path.string() + ": open");
  FormatIn fmt(raw);
  std::vector<PacketRecord> out;
  Packet pkt(av_packet_alloc());
  while ((err = av_read_frame(fmt.get(), pkt.get())) >= 0) {
    const AVStream* st = fmt->streams[pkt->stream_index];
    PacketRecord r;
    r.stream_index = pkt->stream_index;
    const char* type = av_get_media_type_string(st->codecpar->codec_type);
    r.media_type = type ? type : "unknown";
    r.pts = pkt->pts;
    r.dts = pkt->dts;
    r.duration = pkt->duration;
    r.time_base_num = st->time_base.num;
    r.time_base_den = st->time_base.den;
    r.keyframe = (pkt->flags & AV_PKT_FLAG_KEY) != 0;
    r.size = pkt->size;
    out.push_back(r);
    av_packet_unref(pkt.get());
  }
  if (err != AVERROR_EOF) return Av(err, path.string() + ": read");
  return out;
}

namespace {

// Opens the best stream of `type` with its decoder.
Status OpenDecoder(const std::filesystem::path& path, AVMediaType type, FormatIn* fmt, Codec* dec,
                   int* stream) {
  AVFormatContext* raw = nullptr;
  int err = avformat_open_input(&raw, path.string().c_str(), nullptr, nullptr);
  if (err < 0) return Av(err, path.string() + ": open");
  fmt->reset(raw);
  if ((err = avformat_find_stream_info(raw, nullptr)) < 0) return Av(err, "stream info");
  const AVCodec* codec = nullptr;
  *stream = av_find_best_stream(raw, type, -1, -1, &codec, 0);
  if (*stream < 0) return Av(*stream, path.string() + ": no stream");
  dec->reset(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(dec->get(), raw->streams[*stream]->codecpar);
  (*dec)->pkt_timebase = raw->streams[*stream]->time_base;
  if ((err = avcodec_open2(dec->get(), codec, nullptr)) < 0) return Av(err, "open decoder");
  return Status::Ok();
}

// Sends every packet of `stream` (then a flush) and calls on_frame for each decoded frame.
template <typename F>
Status DecodeStream(AVFormatContext* fmt, AVCodecContext* dec, int stream, F on_frame) {
  Packet pkt(av_packet_alloc());
  Frame frame(av_frame_alloc());
  bool eof = false;
  while (true) {
    if (!eof) {
      int err = av_read_frame(fmt, pkt.get());
      if (err == AVERROR_EOF) {
        eof = true;
        avcodec_send_packet(dec, nullptr);
      } else if (err < 0) {
        return Av(err, "read");
      } else {
        if (pkt->stream_index == stream) {
          err = avcodec_send_packet(dec, pkt.get());
          av_packet_unref(pkt.get());
          if (err < 0 && err != AVERROR(EAGAIN)) return Av(err, "decode");
        } else {
          av_packet_unref(pkt.get());
          continue;
        }
      }
    }
    while (true) {
      int err = avcodec_receive_frame(dec, frame.get());
      if (err == AVERROR(EAGAIN)) break;
      if (err == AVERROR_EOF) return Status::Ok();
      if (err < 0) return Av(err, "decode");
      RETURN_IF_ERROR(on_frame(frame.get()));
      av_frame_unref(frame.get());
    }
  }
}

}  // namespace

Result<AudioBuffer> DecodeAllAudio(const std::filesystem::path& path) {
  FormatIn fmt;
  Codec dec;
  int stream = -1;
  RETURN_IF_ERROR(OpenDecoder(path, AVMEDIA_TYPE_AUDIO, &fmt, &dec, &stream));
  const AVRational tb = fmt->streams[stream]->time_base;
  AudioBuffer out;
  out.sample_rate_hz = dec->sample_rate;
  out.channels = dec->ch_layout.nb_channels;
  bool first = true;
  Swr swr;
  Status st = DecodeStream(fmt.get(), dec.get(), stream, [&](AVFrame* f) -> Status {
    if (first) {
      first = false;
      const std::int64_t ts = f->best_effort_timestamp;
      out.start_ms = ts == AV_NOPTS_VALUE ? 0 : av_rescale_q(ts, tb, {1, 1000});
      SwrContext* s = nullptr;
      int err =
          swr_alloc_set_opts2(&s, &f->ch_layout, AV_SAMPLE_FMT_FLT, f->sample_rate, &f->ch_layout,
                              static_cast<AVSampleFormat>(f->format), f->sample_rate, 0, nullptr);
      if (err < 0) return Av(err, "swr");
      swr.reset(s);
      if ((err = swr_init(s)) < 0) return Av(err, "swr init");
    }
    const std::size_t old = out.samples.size();
    out.samples.resize(old + static_cast<std::size_t>(f->nb_samples) * out.channels);
    std::uint8_t* dst[1] = {reinterpret_cast<std::uint8_t*>(out.samples.data() + old)};
    const int got = swr_convert(swr.get(), dst, f->nb_samples,
                                const_cast<const std::uint8_t**>(f->extended_data), f->nb_samples);
    if (got < 0) return Av(got, "convert");
    out.samples.resize(old + static_cast<std::size_t>(got) * out.channels);
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  return out;
}

Result<std::vector<VideoFrame>> DecodeAllVideo(const std::filesystem::path& path,
                                               PixelFormat format) {
  FormatIn fmt;
  Codec dec;
  int stream = -1;
  RETURN_IF_ERROR(OpenDecoder(path, AVMEDIA_TYPE_VIDEO, &fmt, &dec, &stream));
  const AVRational tb = fmt->streams[stream]->time_base;
  std::vector<VideoFrame> out;
  Sws sws;
  Status st = DecodeStream(fmt.get(), dec.get(), stream, [&](AVFrame* f) -> Status {
    sws.reset(sws_getCachedContext(sws.release(), f->width, f->height,
                                   static_cast<AVPixelFormat>(f->format), f->width, f->height,
                                   ToAv(format), SWS_BILINEAR, nullptr, nullptr, nullptr));
    if (!sws) return InternalError("sws");
    VideoFrame v;
    AllocFrame(f->width, f->height, format, &v);
    const int cw = (f->width + 1) / 2, ch = (f->height + 1) / 2;
    std::uint8_t* base = v.data.data();
    std::uint8_t* dst[4] = {base, nullptr, nullptr, nullptr};
    int ls[4] = {f->width, 0, 0, 0};
    if (format == PixelFormat::kBgr24) ls[0] = f->width * 3;
    if (format == PixelFormat::kYuv420p) {
      dst[1] = base + f->width * f->height;
      dst[2] = dst[1] + cw * ch;
      ls[1] = ls[2] = cw;
    }
    sws_scale(sws.get(), f->data, f->linesize, 0, f->height, dst, ls);
    const std::int64_t ts = f->best_effort_timestamp;
    v.pts_ms = ts == AV_NOPTS_VALUE ? 0 : av_rescale_q(ts, tb, {1, 1000});
    v.keyframe = f->key_frame != 0;
    out.push_back(std::move(v));
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  return out;
}

void QuietLibavLogs() {
  if (av_log_get_level() > AV_LOG_WARNING) av_log_set_level(AV_LOG_WARNING);
}

std::int64_t FindTopLevelBox(const std::filesystem::path& path, const std::string& type) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return -1;
  std::error_code ec;
  const std::int64_t file_size = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
  std::int64_t pos = 0;
  while (pos + 8 <= file_size) {
    unsigned char h[16];
    in.seekg(pos);
    if (!in.read(reinterpret_cast<char*>(h), 8)) return -1;
    std::uint64_t size = (std::uint64_t{h[0]} << 24) | (h[1] << 16) | (h[2] << 8) | h[3];
    const std::string name(reinterpret_cast<char*>(h + 4), 4);
    if (name == type) return pos;
    if (size == 1) {
      if (!in.read(reinterpret_cast<char*>(h + 8), 8)) return -1;
      size = 0;
      for (int i = 8; i < 16; ++i) size = (size << 8) | h[i];
    } else if (size == 0) {
      return -1;  // last box, runs to the end of the file
    }
    if (size < 8) return -1;
    pos += static_cast<std::int64_t>(size);
  }
  return -1;
}

}  // namespace clipthat::testing
