#include "live/segment_ring.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/mathematics.h>
}

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>

#include "core/files.h"
#include "media/av_error.h"

namespace clipthat::live {

namespace {

constexpr AVRational kMs = {1, 1000};

struct ParamsDeleter {
  void operator()(AVCodecParameters* p) const { avcodec_parameters_free(&p); }
};
using ParamsPtr = std::unique_ptr<AVCodecParameters, ParamsDeleter>;

Result<ParamsPtr> CopyParams(const AVCodecParameters* from) {
  ParamsPtr p(avcodec_parameters_alloc());
  if (!p) return IoError("out of memory");
  const int err = avcodec_parameters_copy(p.get(), from);
  if (err < 0) return media::AvError(err, "copying stream parameters");
  return p;
}

// A Matroska file being written, closed (trailer) by Finish or removed when abandoned.
class MkvWriter {
 public:
  static Result<std::unique_ptr<MkvWriter>> Open(
      const std::string& path, const std::vector<const AVCodecParameters*>& streams) {
    auto w = std::unique_ptr<MkvWriter>(new MkvWriter(path));
    AVFormatContext* raw = nullptr;
    int err = avformat_alloc_output_context2(&raw, nullptr, "matroska", path.c_str());
    if (err < 0 || raw == nullptr) return media::AvError(err, path + ": matroska muxer");
    w->oc_.reset(raw);
    for (const AVCodecParameters* par : streams) {
      AVStream* st = avformat_new_stream(raw, nullptr);
      if (st == nullptr) return IoError(path + ": out of memory");
      if ((err = avcodec_parameters_copy(st->codecpar, par)) < 0) {
        return media::AvError(err, path + ": copying stream parameters");
      }
      st->codecpar->codec_tag = 0;
      st->time_base = kMs;
    }
    if ((err = avio_open(&raw->pb, path.c_str(), AVIO_FLAG_WRITE)) < 0) {
      return media::AvError(err, path + ": cannot create");
    }
    if ((err = avformat_write_header(raw, nullptr)) < 0) {
      return media::AvError(err, path + ": writing header");
    }
    w->open_ = true;
    return w;
  }

  ~MkvWriter() {
    if (open_) {
      av_write_trailer(oc_.get());
      avio_closep(&oc_->pb);
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }

  // pts/dts/duration in ms.
  Status Write(const AVPacket& in, int stream, TimeMs pts_ms, TimeMs dts_ms, TimeMs duration_ms) {
    media::AvPacketPtr pkt = media::MakeAvPacket();
    if (!pkt) return IoError(path_ + ": out of memory");
    int err = av_packet_ref(pkt.get(), &in);
    if (err < 0) return media::AvError(err, path_ + ": packet");
    const AVRational tb = oc_->streams[stream]->time_base;
    pkt->pts = av_rescale_q(pts_ms, kMs, tb);
    pkt->dts = av_rescale_q(dts_ms, kMs, tb);
    pkt->duration = av_rescale_q(std::max<TimeMs>(0, duration_ms), kMs, tb);
    pkt->stream_index = stream;
    pkt->pos = -1;
    if ((err = av_interleaved_write_frame(oc_.get(), pkt.get())) < 0) {
      return media::AvError(err, path_ + ": writing");
    }
    return Status::Ok();
  }

  Result<std::int64_t> Finish() {
    open_ = false;
    int err = av_write_trailer(oc_.get());
    const int close_err = avio_closep(&oc_->pb);
    if (err < 0) return media::AvError(err, path_ + ": finishing");
    if (close_err < 0) return media::AvError(close_err, path_ + ": closing");
    std::error_code ec;
    const auto size = std::filesystem::file_size(path_, ec);
    return ec ? std::int64_t{0} : static_cast<std::int64_t>(size);
  }

 private:
  explicit MkvWriter(std::string path) : path_(std::move(path)) {}
  std::string path_;
  media::AvOutputFormatPtr oc_;
  bool open_ = false;
};

}  // namespace

struct SegmentRing::Impl {
  SegmentRingOptions options;
  // Writer side (one thread).
  std::vector<ParamsPtr> params;  // [0] video, [1] audio when present
  AVRational in_tb[2] = {{1, 1000}, {1, 1000}};
  std::unique_ptr<MkvWriter> current;
  Segment current_info;
  TimeMs last_dts[2] = {-1, -1};
  int next_index = 1;
  // Shared.
  mutable std::mutex mutex;
  std::deque<Segment> finished;
  std::int64_t finished_bytes = 0;
  std::map<int, int> pins;  // segment index -> cuts reading it

  Status FinishCurrent() {
    if (!current) return Status::Ok();
    std::unique_ptr<MkvWriter> writer = std::move(current);
    ASSIGN_OR_RETURN(std::int64_t bytes, writer->Finish());
    current_info.bytes = bytes;
    std::lock_guard<std::mutex> lock(mutex);
    finished.push_back(current_info);
    finished_bytes += bytes;
    EvictLocked();
    return Status::Ok();
  }

  void EvictLocked() {
    while (finished.size() > 1) {
      const Segment& oldest = finished.front();
      const bool too_old = finished.back().end_ms - oldest.end_ms > options.keep_ms;
      const bool too_big = finished_bytes > options.max_bytes;
      if (!too_old && !too_big) break;
      if (pins.count(oldest.index) > 0) break;  // a cut is reading it: later
      std::error_code ec;
      std::filesystem::remove(oldest.path, ec);
      finished_bytes -= oldest.bytes;
      finished.pop_front();
    }
  }
};

SegmentRing::SegmentRing(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SegmentRing::~SegmentRing() {
  if (impl_ && impl_->current) (void)impl_->FinishCurrent();
}

Result<std::unique_ptr<SegmentRing>> SegmentRing::Create(const SegmentRingOptions& options) {
  if (options.dir.empty()) return InvalidArgumentError("segment ring: no folder");
  if (options.segment_ms <= 0 || options.keep_ms <= 0 || options.max_bytes <= 0) {
    return InvalidArgumentError(options.dir + ": segment_ms, keep_ms and max_bytes must be > 0");
  }
  RETURN_IF_ERROR(EnsurePrivateDirectory(options.dir));
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  return std::unique_ptr<SegmentRing>(new SegmentRing(std::move(impl)));
}

Status SegmentRing::Begin(const AVStream* video, const AVStream* audio) {
  if (video == nullptr) return InvalidArgumentError(impl_->options.dir + ": no video stream");
  RETURN_IF_ERROR(impl_->FinishCurrent());
  impl_->params.clear();
  ASSIGN_OR_RETURN(ParamsPtr v, CopyParams(video->codecpar));
  impl_->params.push_back(std::move(v));
  impl_->in_tb[0] = video->time_base;
  if (audio != nullptr) {
    ASSIGN_OR_RETURN(ParamsPtr a, CopyParams(audio->codecpar));
    impl_->params.push_back(std::move(a));
    impl_->in_tb[1] = audio->time_base;
  }
  return Status::Ok();
}

Status SegmentRing::Write(const AVPacket& packet, int stream, TimeMs pts_ms, TimeMs dts_ms) {
  Impl& m = *impl_;
  if (stream < 0 || stream >= static_cast<int>(m.params.size())) {
    return InvalidArgumentError(m.options.dir + ": no stream " + std::to_string(stream));
  }
  const bool key = stream == 0 && (packet.flags & AV_PKT_FLAG_KEY) != 0;
  if (key && (!m.current || pts_ms - m.current_info.start_ms >= m.options.segment_ms)) {
    RETURN_IF_ERROR(m.FinishCurrent());
    Segment next;
    next.index = m.next_index++;
    char name[32];
    std::snprintf(name, sizeof name, "segment-%06d.mkv", next.index);
    next.path = (std::filesystem::path(m.options.dir) / name).string();
    next.start_ms = pts_ms;
    next.end_ms = pts_ms;
    std::vector<const AVCodecParameters*> pars;
    for (const ParamsPtr& p : m.params) pars.push_back(p.get());
    ASSIGN_OR_RETURN(m.current, MkvWriter::Open(next.path, pars));
    m.current_info = next;
    m.last_dts[0] = m.last_dts[1] = -1;
  }
  if (!m.current) return Status::Ok();  // before the first keyframe
  // Timestamps must grow within a stream; a repeated one (rounding to ms) moves up by one.
  if (dts_ms <= m.last_dts[stream]) {
    const TimeMs shift = m.last_dts[stream] + 1 - dts_ms;
    dts_ms += shift;
    pts_ms = std::max(pts_ms, dts_ms);
  }
  if (dts_ms < m.current_info.start_ms - 5000) return Status::Ok();  // stale audio: drop
  m.last_dts[stream] = dts_ms;
  const TimeMs duration_ms = av_rescale_q(packet.duration, m.in_tb[stream], kMs);
  RETURN_IF_ERROR(m.current->Write(packet, stream, pts_ms, dts_ms, duration_ms));
  m.current_info.end_ms = std::max(m.current_info.end_ms, pts_ms + duration_ms);
  return Status::Ok();
}

Status SegmentRing::Close() { return impl_->FinishCurrent(); }

Result<CutFile> SegmentRing::Cut(TimeMs start_ms, TimeMs end_ms, const std::string& out_path) {
  Impl& m = *impl_;
  std::vector<Segment> use;
  {
    std::lock_guard<std::mutex> lock(m.mutex);
    if (m.finished.empty() || end_ms <= m.finished.front().start_ms) {
      return NotFoundError(out_path + ": the buffer no longer holds " + FormatClock(start_ms) +
                           "-" + FormatClock(end_ms));
    }
    if (m.finished.back().end_ms < end_ms) {
      return UnavailableError(out_path + ": " + FormatClock(end_ms) + " is not buffered yet");
    }
    for (const Segment& s : m.finished) {
      if (s.end_ms <= start_ms || s.start_ms >= end_ms) continue;
      use.push_back(s);
      ++m.pins[s.index];
    }
  }
  struct Unpin {
    Impl& m;
    const std::vector<Segment>& use;
    ~Unpin() {
      std::lock_guard<std::mutex> lock(m.mutex);
      for (const Segment& s : use) {
        if (--m.pins[s.index] <= 0) m.pins.erase(s.index);
      }
      m.EvictLocked();
    }
  } unpin{m, use};
  if (use.empty()) return NotFoundError(out_path + ": no buffered media in the window");

  CutFile cut{.path = out_path,
              .file_start_ms = use.front().start_ms,
              .start_ms = std::max(start_ms, use.front().start_ms),
              .end_ms = end_ms};
  std::unique_ptr<MkvWriter> writer;
  const std::string partial = out_path + ".partial";
  TimeMs last_dts[2] = {-1, -1};
  TimeMs video_end_ms = 0;
  media::AvPacketPtr pkt = media::MakeAvPacket();
  if (!pkt) return IoError(out_path + ": out of memory");
  for (const Segment& s : use) {
    ASSIGN_OR_RETURN(media::AvInputFormatPtr in, media::OpenInputFile(s.path));
    if (!writer) {
      std::vector<const AVCodecParameters*> pars;
      for (unsigned i = 0; i < in->nb_streams && i < 2; ++i)
        pars.push_back(in->streams[i]->codecpar);
      ASSIGN_OR_RETURN(writer, MkvWriter::Open(partial, pars));
    }
    while (true) {
      int err = av_read_frame(in.get(), pkt.get());
      if (err == AVERROR_EOF) break;
      if (err < 0) return media::AvError(err, s.path + ": reading");
      const int stream = pkt->stream_index;
      if (stream > 1) {
        av_packet_unref(pkt.get());
        continue;
      }
      const AVRational tb = in->streams[stream]->time_base;
      TimeMs pts = av_rescale_q(pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts, tb, kMs);
      TimeMs dts = av_rescale_q(pkt->dts != AV_NOPTS_VALUE ? pkt->dts : pkt->pts, tb, kMs);
      const TimeMs dur = av_rescale_q(pkt->duration, tb, kMs);
      const bool keep = pts >= cut.file_start_ms && dts < end_ms + 2000;
      if (keep) {
        if (stream == 0) video_end_ms = std::max(video_end_ms, pts + std::max<TimeMs>(dur, 1));
        dts = std::max(dts, last_dts[stream] + 1);
        pts = std::max(pts, dts);
        last_dts[stream] = dts;
        RETURN_IF_ERROR(
            writer->Write(*pkt, stream, pts - cut.file_start_ms, dts - cut.file_start_ms, dur));
      }
      av_packet_unref(pkt.get());
    }
  }
  if (!writer) return NotFoundError(out_path + ": no buffered media in the window");
  // The window never ends after the last picture (the stream's last frame, or rounding).
  cut.end_ms = std::min(cut.end_ms, video_end_ms - 1);
  if (cut.end_ms - cut.start_ms < 1) return NotFoundError(out_path + ": no pictures in the window");
  RETURN_IF_ERROR(writer->Finish().status());
  std::error_code ec;
  std::filesystem::rename(partial, out_path, ec);
  if (ec) return IoError(out_path + ": cannot move into place: " + ec.message());
  return cut;
}

std::vector<Segment> SegmentRing::Segments() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return {impl_->finished.begin(), impl_->finished.end()};
}

TimeMs SegmentRing::earliest_ms() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->finished.empty() ? 0 : impl_->finished.front().start_ms;
}

TimeMs SegmentRing::finished_ms() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->finished.empty() ? 0 : impl_->finished.back().end_ms;
}

std::int64_t SegmentRing::bytes() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->finished_bytes;
}

}  // namespace clipthat::live
