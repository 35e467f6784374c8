#include "media/concat.h"

extern "C" {
#include <libavutil/mathematics.h>
}

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "media/av_error.h"

namespace clipthat::media {

namespace {

bool Copied(const AVCodecParameters* p) {
  return p->codec_type == AVMEDIA_TYPE_VIDEO || p->codec_type == AVMEDIA_TYPE_AUDIO ||
         p->codec_type == AVMEDIA_TYPE_SUBTITLE;
}

// Indices of the streams that are copied, in order.
std::vector<int> CopiedStreams(const AVFormatContext* fmt) {
  std::vector<int> out;
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    if (Copied(fmt->streams[i]->codecpar)) out.push_back(static_cast<int>(i));
  }
  return out;
}

// Empty when `p` can follow `first` in one stream; otherwise what differs.
std::string Mismatch(const AVCodecParameters* first, const AVCodecParameters* p) {
  if (first->codec_type != p->codec_type) return "stream types differ";
  if (first->codec_id != p->codec_id) {
    return std::string("codec ") + avcodec_get_name(p->codec_id) + " instead of " +
           avcodec_get_name(first->codec_id);
  }
  if (p->codec_type == AVMEDIA_TYPE_VIDEO &&
      (first->width != p->width || first->height != p->height || first->format != p->format)) {
    return "video is " + std::to_string(p->width) + "x" + std::to_string(p->height) +
           " instead of " + std::to_string(first->width) + "x" + std::to_string(first->height) +
           " (or another pixel format)";
  }
  if (p->codec_type == AVMEDIA_TYPE_AUDIO &&
      (first->sample_rate != p->sample_rate ||
       first->ch_layout.nb_channels != p->ch_layout.nb_channels)) {
    return "audio is " + std::to_string(p->sample_rate) + " Hz, " +
           std::to_string(p->ch_layout.nb_channels) + " channels instead of " +
           std::to_string(first->sample_rate) + " Hz, " +
           std::to_string(first->ch_layout.nb_channels);
  }
  // Decoder setup (H.264 SPS/PPS, AAC config) must be identical or the joined stream breaks.
  if (first->extradata_size != p->extradata_size ||
      (p->extradata_size > 0 &&
       std::memcmp(first->extradata, p->extradata, p->extradata_size) != 0)) {
    return "codec setup (extradata) differs";
  }
  return {};
}

// Removes the unfinished output unless released.
class PartialFile {
 public:
  explicit PartialFile(std::string path) : path_(std::move(path)) {}
  ~PartialFile() {
    if (!path_.empty()) {
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  void Release() { path_.clear(); }

 private:
  std::string path_;
};

}  // namespace

Status ConcatStreamCopy(const std::vector<std::string>& inputs, const std::string& output,
                        const ConcatOptions& options) {
  if (inputs.empty()) return InvalidArgumentError(output + ": no inputs to join");

  ASSIGN_OR_RETURN(AvInputFormatPtr first, OpenInputFile(inputs[0]));
  const std::vector<int> first_streams = CopiedStreams(first.get());
  if (first_streams.empty()) {
    return UnsupportedError(inputs[0] + ": no audio or video streams to copy");
  }

  const std::string temp_path = output + ".partial";
  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, "mp4", temp_path.c_str());
  if (err < 0 || raw == nullptr) return AvError(err, output + ": mp4 muxer");
  AvOutputFormatPtr oc(raw);
  for (int idx : first_streams) {
    const AVStream* in = first->streams[idx];
    AVStream* out = avformat_new_stream(oc.get(), nullptr);
    if (out == nullptr) return IoError(output + ": out of memory");
    if ((err = avcodec_parameters_copy(out->codecpar, in->codecpar)) < 0) {
      return AvError(err, output + ": copying stream parameters");
    }
    out->codecpar->codec_tag = 0;  // let the muxer choose the tag for MP4
    out->time_base = in->time_base;
    out->avg_frame_rate = in->avg_frame_rate;
    out->disposition = in->disposition;
  }

  err = avio_open(&oc->pb, temp_path.c_str(), AVIO_FLAG_WRITE);
  if (err < 0) return Status(AvErrorCode(err), output + ": cannot create: " + AvErrorString(err));
  PartialFile partial(temp_path);
  AVDictionary* mux_opts = nullptr;
  if (options.faststart) av_dict_set(&mux_opts, "movflags", "+faststart", 0);
  err = avformat_write_header(oc.get(), &mux_opts);
  av_dict_free(&mux_opts);
  if (err < 0) return AvError(err, output + ": writing header");

  const std::size_t n_out = first_streams.size();
  // Every stream of input k is shifted by the same offset (the end of everything before it),
  // so audio and video stay in sync however many pieces are joined.
  std::int64_t offset_us = 0;
  std::vector<std::int64_t> last_dts(n_out, INT64_MIN);
  AvPacketPtr pkt = MakeAvPacket();
  if (!pkt) return IoError(output + ": out of memory");

  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const std::string& path = inputs[k];
    AvInputFormatPtr in;
    if (k == 0) {
      in = std::move(first);
    } else {
      ASSIGN_OR_RETURN(in, OpenInputFile(path));
    }
    const std::vector<int> streams = CopiedStreams(in.get());
    if (streams.size() != n_out) {
      return InvalidArgumentError(path + ": has " + std::to_string(streams.size()) +
                                  " audio/video streams, " + inputs[0] + " has " +
                                  std::to_string(n_out));
    }
    std::vector<int> map(in->nb_streams, -1);
    for (std::size_t s = 0; s < n_out; ++s) {
      const AVStream* st = in->streams[streams[s]];
      const std::string why = Mismatch(oc->streams[s]->codecpar, st->codecpar);
      if (!why.empty()) {
        return InvalidArgumentError(path + ": stream " + std::to_string(streams[s]) +
                                    " does not match " + inputs[0] + ": " + why);
      }
      map[streams[s]] = static_cast<int>(s);
    }

    std::int64_t end_us = offset_us;
    while (true) {
      err = av_read_frame(in.get(), pkt.get());
      if (err == AVERROR_EOF) break;
      if (err < 0) return AvError(err, path + ": reading");
      const int s = pkt->stream_index < static_cast<int>(map.size()) ? map[pkt->stream_index] : -1;
      if (s < 0) {
        av_packet_unref(pkt.get());
        continue;
      }
      const AVRational in_tb = in->streams[pkt->stream_index]->time_base;
      AVStream* ost = oc->streams[s];
      // Packets wholly before the input's start (AAC priming) would overlap the previous
      // input's tail; only the first input keeps them (the muxer's edit list hides them).
      if (k > 0 && pkt->pts != AV_NOPTS_VALUE && pkt->pts + pkt->duration <= 0 &&
          ost->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) {
        av_packet_unref(pkt.get());
        continue;
      }
      av_packet_rescale_ts(pkt.get(), in_tb, ost->time_base);
      const std::int64_t shift = av_rescale_q(offset_us, AV_TIME_BASE_Q, ost->time_base);
      if (pkt->pts != AV_NOPTS_VALUE) pkt->pts += shift;
      if (pkt->dts != AV_NOPTS_VALUE) pkt->dts += shift;
      if (pkt->dts != AV_NOPTS_VALUE) {
        // Guard against rounding at the seam: the muxer refuses a dts that does not increase.
        if (last_dts[s] != INT64_MIN && pkt->dts <= last_dts[s]) {
          pkt->dts = last_dts[s] + 1;
          if (pkt->pts != AV_NOPTS_VALUE && pkt->pts < pkt->dts) pkt->pts = pkt->dts;
        }
        last_dts[s] = pkt->dts;
      }
      const std::int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
      if (ts != AV_NOPTS_VALUE) {
        end_us = std::max(end_us, av_rescale_q(ts + pkt->duration, ost->time_base, AV_TIME_BASE_Q));
      }
      pkt->stream_index = s;
      pkt->pos = -1;
      err = av_interleaved_write_frame(oc.get(), pkt.get());
      if (err < 0) return AvError(err, output + ": writing packets of " + path);
    }
    offset_us = end_us;
    if (options.on_progress) options.on_progress(k + 1, inputs.size());
  }

  err = av_write_trailer(oc.get());
  if (err < 0) return AvError(err, output + ": writing index");
  err = avio_closep(&oc->pb);
  if (err < 0) return AvError(err, output + ": closing file");
  std::error_code ec;
  std::filesystem::rename(temp_path, output, ec);
  if (ec) return IoError(output + ": cannot move finished file into place: " + ec.message());
  partial.Release();
  return Status::Ok();
}

}  // namespace clipthat::media
