#include "media/mp4_writer.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

#include "media/av_error.h"

namespace clipthat::media {

namespace {

// x264 preset names mapped onto NVENC's p1 (fastest) .. p7 (best).
std::string NvencPreset(const std::string& preset) {
  if (preset.size() == 2 && preset[0] == 'p') return preset;
  if (preset == "ultrafast" || preset == "superfast") return "p1";
  if (preset == "veryfast" || preset == "faster") return "p2";
  if (preset == "fast") return "p3";
  if (preset == "medium") return "p4";
  if (preset == "slow") return "p5";
  if (preset == "slower") return "p6";
  return "p7";
}

}  // namespace

struct Mp4Writer::Impl {
  std::string path;
  std::string temp_path;
  Mp4WriterOptions options;
  AvOutputFormatPtr oc;
  AvCodecContextPtr venc;
  AvCodecContextPtr aenc;
  AVStream* vst = nullptr;
  AVStream* ast = nullptr;
  AvFramePtr vframe;
  AvFramePtr aframe;
  AvPacketPtr packet;
  SwsContextPtr sws;
  SwrContextPtr swr;
  int swr_in_rate = 0;
  int swr_in_channels = 0;
  std::vector<std::vector<float>> pending;  // resampled audio per channel, not yet encoded
  long long frames = 0;
  long long audio_samples = 0;  // samples sent to the audio encoder
  bool finished = false;

  ~Impl() {
    if (finished) return;
    // Unfinished: close the file first, then remove it so no partial output is left behind.
    oc.reset();
    if (!temp_path.empty()) {
      std::error_code ec;
      std::filesystem::remove(temp_path, ec);
    }
  }

  Status Fail(int err, const std::string& what) const { return AvError(err, path + ": " + what); }

  // Sends `frame` (null to flush) and writes every packet the encoder returns.
  Status Encode(AVCodecContext* enc, AVStream* st, const AVFrame* frame, const char* what) {
    int err = avcodec_send_frame(enc, frame);
    if (err < 0) return Fail(err, std::string("encoding ") + what);
    while (true) {
      err = avcodec_receive_packet(enc, packet.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
      if (err < 0) return Fail(err, std::string("encoding ") + what);
      av_packet_rescale_ts(packet.get(), enc->time_base, st->time_base);
      packet->stream_index = st->index;
      err = av_interleaved_write_frame(oc.get(), packet.get());
      if (err < 0) return Fail(err, std::string("writing ") + what);
    }
  }

  // Encodes full encoder frames from `pending`; with `final`, also the short remainder.
  Status EncodePendingAudio(bool final) {
    const int channels = options.audio_channels;
    const int frame_size = aenc->frame_size > 0 ? aenc->frame_size : 1024;
    std::size_t offset = 0;
    const std::size_t available = pending.empty() ? 0 : pending[0].size();
    while (available - offset >= static_cast<std::size_t>(frame_size) ||
           (final && available > offset)) {
      const int n = static_cast<int>(std::min<std::size_t>(frame_size, available - offset));
      av_frame_unref(aframe.get());
      aframe->nb_samples = n;
      aframe->format = aenc->sample_fmt;
      aframe->sample_rate = aenc->sample_rate;
      int err = av_channel_layout_copy(&aframe->ch_layout, &aenc->ch_layout);
      if (err < 0 || (err = av_frame_get_buffer(aframe.get(), 0)) < 0) {
        return Fail(err, "allocating audio frame");
      }
      for (int c = 0; c < channels; ++c) {
        std::copy_n(pending[c].begin() + static_cast<std::ptrdiff_t>(offset), n,
                    reinterpret_cast<float*>(aframe->extended_data[c]));
      }
      aframe->pts = audio_samples;
      audio_samples += n;
      offset += n;
      RETURN_IF_ERROR(Encode(aenc.get(), ast, aframe.get(), "audio"));
    }
    for (auto& ch : pending) ch.erase(ch.begin(), ch.begin() + static_cast<std::ptrdiff_t>(offset));
    return Status::Ok();
  }

  // Runs the resampler on `count` interleaved float input frames (null input drains it) and
  // appends its planar output to `pending`.
  Status Resample(const float* input, int count) {
    const int channels = options.audio_channels;
    const int max_out = swr_get_out_samples(swr.get(), count);
    if (max_out <= 0) return Status::Ok();
    const std::size_t old = pending[0].size();
    std::vector<std::uint8_t*> out(channels);
    for (int c = 0; c < channels; ++c) {
      pending[c].resize(old + max_out);
      out[c] = reinterpret_cast<std::uint8_t*>(pending[c].data() + old);
    }
    const std::uint8_t* in[1] = {reinterpret_cast<const std::uint8_t*>(input)};
    const int got = swr_convert(swr.get(), out.data(), max_out, input ? in : nullptr, count);
    if (got < 0) return Fail(got, "resampling audio");
    for (auto& ch : pending) ch.resize(old + got);
    return Status::Ok();
  }

  Status ConfigureResampler(int in_rate, int in_channels) {
    if (swr && in_rate == swr_in_rate && in_channels == swr_in_channels) return Status::Ok();
    if (swr) RETURN_IF_ERROR(Resample(nullptr, 0));  // keep what the old input left buffered
    AVChannelLayout in_layout;
    av_channel_layout_default(&in_layout, in_channels);
    SwrContext* raw = nullptr;
    int err = swr_alloc_set_opts2(&raw, &aenc->ch_layout, AV_SAMPLE_FMT_FLTP, aenc->sample_rate,
                                  &in_layout, AV_SAMPLE_FMT_FLT, in_rate, 0, nullptr);
    av_channel_layout_uninit(&in_layout);
    swr.reset(raw);
    if (err >= 0 && in_channels == 1) {
      // Mono goes to every channel at full level (swresample's default is -3 dB).
      const std::vector<double> ones(options.audio_channels, 1.0);
      err = swr_set_matrix(swr.get(), ones.data(), 1);
    }
    if (err < 0 || (err = swr_init(swr.get())) < 0) {
      return Fail(err, "audio resampler for " + std::to_string(in_rate) + " Hz, " +
                           std::to_string(in_channels) + " channels");
    }
    swr_in_rate = in_rate;
    swr_in_channels = in_channels;
    return Status::Ok();
  }
};

Mp4Writer::Mp4Writer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Mp4Writer::Mp4Writer(Mp4Writer&&) noexcept = default;
Mp4Writer& Mp4Writer::operator=(Mp4Writer&&) noexcept = default;
Mp4Writer::~Mp4Writer() = default;

Result<Mp4Writer> Mp4Writer::Open(const std::string& path, const Mp4WriterOptions& options) {
  if (options.width <= 0 || options.height <= 0 || options.width % 2 || options.height % 2) {
    return InvalidArgumentError(path + ": video size " + std::to_string(options.width) + "x" +
                                std::to_string(options.height) +
                                " must be positive and even (4:2:0)");
  }
  if (options.fps <= 0) return InvalidArgumentError(path + ": fps must be positive");
  if (options.has_audio && (options.audio_sample_rate_hz <= 0 || options.audio_channels <= 0 ||
                            options.audio_channels > 8)) {
    return InvalidArgumentError(path + ": audio needs a positive rate and 1..8 channels");
  }

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  // The muxer writes under a temporary name; Finish() renames, so readers never see a partial
  // file under the final name.
  const std::string temp_path = path + ".partial";

  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, "mp4", temp_path.c_str());
  if (err < 0 || raw == nullptr) return AvError(err, path + ": mp4 muxer");
  impl->oc.reset(raw);
  AVFormatContext* oc = raw;

  // Video encoder.
  const AVCodec* vcodec = avcodec_find_encoder_by_name(options.video_encoder.c_str());
  if (vcodec == nullptr || vcodec->type != AVMEDIA_TYPE_VIDEO) {
    return UnsupportedError(path + ": video encoder '" + options.video_encoder +
                            "' is not available");
  }
  impl->venc.reset(avcodec_alloc_context3(vcodec));
  if (!impl->venc) return IoError(path + ": out of memory");
  AVCodecContext* venc = impl->venc.get();
  venc->width = options.width;
  venc->height = options.height;
  venc->pix_fmt = AV_PIX_FMT_YUV420P;
  venc->time_base = {1, options.fps};
  venc->framerate = {options.fps, 1};
  venc->gop_size = options.gop_frames > 0 ? options.gop_frames : 2 * options.fps;
  venc->thread_count = options.threads;
  // swscale's default RGB->YUV matrix is BT.601 limited range; tag it so players agree.
  venc->color_range = AVCOL_RANGE_MPEG;
  venc->colorspace = AVCOL_SPC_SMPTE170M;
  venc->color_primaries = AVCOL_PRI_SMPTE170M;
  venc->color_trc = AVCOL_TRC_SMPTE170M;
  if (oc->oformat->flags & AVFMT_GLOBALHEADER) venc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  AVDictionary* vopts = nullptr;
  av_dict_set(&vopts, "profile", "high", 0);
  if (options.video_encoder == "h264_nvenc") {
    av_dict_set(&vopts, "preset", NvencPreset(options.preset).c_str(), 0);
    av_dict_set(&vopts, "rc", "vbr", 0);
    av_dict_set(&vopts, "cq", std::to_string(options.crf).c_str(), 0);
  } else {
    av_dict_set(&vopts, "preset", options.preset.c_str(), 0);
    av_dict_set(&vopts, "crf", std::to_string(options.crf).c_str(), 0);
  }
  err = avcodec_open2(venc, vcodec, &vopts);
  av_dict_free(&vopts);
  if (err < 0) {
    return UnsupportedError(path + ": cannot open video encoder '" + options.video_encoder +
                            "': " + AvErrorString(err));
  }
  impl->vst = avformat_new_stream(oc, nullptr);
  if (impl->vst == nullptr) return IoError(path + ": out of memory");
  if ((err = avcodec_parameters_from_context(impl->vst->codecpar, venc)) < 0) {
    return impl->Fail(err, "video stream parameters");
  }
  impl->vst->time_base = venc->time_base;
  impl->vst->avg_frame_rate = venc->framerate;

  // Audio encoder.
  if (options.has_audio) {
    const AVCodec* acodec = avcodec_find_encoder_by_name("aac");
    if (acodec == nullptr) return UnsupportedError(path + ": AAC encoder is not available");
    impl->aenc.reset(avcodec_alloc_context3(acodec));
    if (!impl->aenc) return IoError(path + ": out of memory");
    AVCodecContext* aenc = impl->aenc.get();
    aenc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    aenc->sample_rate = options.audio_sample_rate_hz;
    av_channel_layout_default(&aenc->ch_layout, options.audio_channels);
    aenc->bit_rate = options.audio_bit_rate;
    aenc->time_base = {1, options.audio_sample_rate_hz};
    if (oc->oformat->flags & AVFMT_GLOBALHEADER) aenc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if ((err = avcodec_open2(aenc, acodec, nullptr)) < 0) {
      return UnsupportedError(path + ": cannot open AAC encoder: " + AvErrorString(err));
    }
    impl->ast = avformat_new_stream(oc, nullptr);
    if (impl->ast == nullptr) return IoError(path + ": out of memory");
    if ((err = avcodec_parameters_from_context(impl->ast->codecpar, aenc)) < 0) {
      return impl->Fail(err, "audio stream parameters");
    }
    impl->ast->time_base = aenc->time_base;
    impl->pending.resize(options.audio_channels);
  }

  impl->vframe = MakeAvFrame();
  impl->aframe = MakeAvFrame();
  impl->packet = MakeAvPacket();
  if (!impl->vframe || !impl->aframe || !impl->packet) return IoError(path + ": out of memory");
  impl->vframe->width = options.width;
  impl->vframe->height = options.height;
  impl->vframe->format = AV_PIX_FMT_YUV420P;
  if ((err = av_frame_get_buffer(impl->vframe.get(), 0)) < 0) {
    return impl->Fail(err, "allocating video frame");
  }

  err = avio_open(&oc->pb, temp_path.c_str(), AVIO_FLAG_WRITE);
  if (err < 0) {
    return Status(err == AVERROR(ENOENT) ? StatusCode::kIoError : AvErrorCode(err),
                  path + ": cannot create: " + AvErrorString(err));
  }
  impl->temp_path = temp_path;  // from here on the destructor removes it
  AVDictionary* mux_opts = nullptr;
  av_dict_set(&mux_opts, "movflags", "+faststart", 0);
  err = avformat_write_header(oc, &mux_opts);
  av_dict_free(&mux_opts);
  if (err < 0) return impl->Fail(err, "writing header");
  return Mp4Writer(std::move(impl));
}

Status Mp4Writer::WriteVideo(const VideoFrame& frame) {
  if (!impl_ || impl_->finished) return InvalidArgumentError("mp4 writer: already finished");
  Impl& m = *impl_;
  if (frame.width != m.options.width || frame.height != m.options.height) {
    return InvalidArgumentError(m.path + ": frame is " + std::to_string(frame.width) + "x" +
                                std::to_string(frame.height) + ", the video is " +
                                std::to_string(m.options.width) + "x" +
                                std::to_string(m.options.height));
  }
  if (frame.data.size() < VideoFrame::BufferSize(frame.width, frame.height, frame.format)) {
    return InvalidArgumentError(m.path + ": frame " + std::to_string(m.frames) +
                                " has too little picture data");
  }
  // The encoder may still reference the previous picture.
  int err = av_frame_make_writable(m.vframe.get());
  if (err < 0) return m.Fail(err, "video frame buffer");
  AVFrame* dst = m.vframe.get();
  const int w = frame.width, h = frame.height;
  const std::uint8_t* base = frame.data.data();
  if (frame.format == PixelFormat::kYuv420p) {
    const int cw = (w + 1) / 2, ch = (h + 1) / 2;
    const std::uint8_t* src[3] = {
        base, base + static_cast<std::size_t>(w) * h,
        base + static_cast<std::size_t>(w) * h + static_cast<std::size_t>(cw) * ch};
    const int widths[3] = {w, cw, cw}, heights[3] = {h, ch, ch};
    for (int p = 0; p < 3; ++p) {
      for (int y = 0; y < heights[p]; ++y) {
        std::copy_n(src[p] + static_cast<std::size_t>(y) * widths[p], widths[p],
                    dst->data[p] + static_cast<std::ptrdiff_t>(y) * dst->linesize[p]);
      }
    }
  } else {
    const AVPixelFormat src_format = ToAvPixelFormat(frame.format);
    m.sws.reset(sws_getCachedContext(m.sws.release(), w, h, src_format, w, h, AV_PIX_FMT_YUV420P,
                                     SWS_BICUBIC, nullptr, nullptr, nullptr));
    if (!m.sws) return UnsupportedError(m.path + ": cannot convert frame format to yuv420p");
    const std::uint8_t* src[4] = {base, nullptr, nullptr, nullptr};
    const int strides[4] = {frame.format == PixelFormat::kBgr24 ? w * 3 : w, 0, 0, 0};
    err = sws_scale(m.sws.get(), src, strides, 0, h, dst->data, dst->linesize);
    if (err < 0) return m.Fail(err, "converting frame");
  }
  // Constant frame rate: frame n is at n / fps whatever its pts_ms.
  dst->pts = m.frames;
  dst->pict_type = AV_PICTURE_TYPE_NONE;
  RETURN_IF_ERROR(m.Encode(m.venc.get(), m.vst, dst, "video"));
  ++m.frames;
  return Status::Ok();
}

Status Mp4Writer::WriteAudio(const AudioBuffer& audio) {
  if (!impl_ || impl_->finished) return InvalidArgumentError("mp4 writer: already finished");
  Impl& m = *impl_;
  if (!m.aenc) return InvalidArgumentError(m.path + ": writer was opened without audio");
  if (audio.sample_rate_hz <= 0 || audio.channels <= 0 || audio.channels > 8) {
    return InvalidArgumentError(m.path + ": audio buffer has rate " +
                                std::to_string(audio.sample_rate_hz) + " Hz and " +
                                std::to_string(audio.channels) + " channels");
  }
  const int count = static_cast<int>(audio.frame_count());
  if (count == 0) return Status::Ok();
  RETURN_IF_ERROR(m.ConfigureResampler(audio.sample_rate_hz, audio.channels));
  RETURN_IF_ERROR(m.Resample(audio.samples.data(), count));
  return m.EncodePendingAudio(false);
}

Status Mp4Writer::Finish() {
  if (!impl_ || impl_->finished) return InvalidArgumentError("mp4 writer: already finished");
  Impl& m = *impl_;
  if (m.aenc) {
    if (m.swr) RETURN_IF_ERROR(m.Resample(nullptr, 0));
    RETURN_IF_ERROR(m.EncodePendingAudio(true));
    RETURN_IF_ERROR(m.Encode(m.aenc.get(), m.ast, nullptr, "audio"));
  }
  RETURN_IF_ERROR(m.Encode(m.venc.get(), m.vst, nullptr, "video"));
  // The trailer also runs the faststart pass that moves the index to the front.
  int err = av_write_trailer(m.oc.get());
  if (err < 0) return m.Fail(err, "writing index");
  err = avio_closep(&m.oc->pb);
  if (err < 0) return m.Fail(err, "closing file");
  std::error_code ec;
  std::filesystem::rename(m.temp_path, m.path, ec);
  if (ec) return IoError(m.path + ": cannot move finished file into place: " + ec.message());
  m.finished = true;
  m.oc.reset();
  return Status::Ok();
}

long long Mp4Writer::frames_written() const { return impl_ ? impl_->frames : 0; }

}  // namespace clipthat::media
