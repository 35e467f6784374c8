#include "media/probe.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <memory>

#include "media/av_error.h"
#include "media/remote_input.h"

namespace clipthat::media {
namespace {

TimeMs ToMs(std::int64_t ts, AVRational tb) {
  if (ts == AV_NOPTS_VALUE) return 0;
  return av_rescale_q(ts, tb, AVRational{1, 1000});
}

// Top-level box types of ISO media files (MP4, MOV, fragmented MP4).
bool IsTopLevelBox(std::string_view type) {
  static constexpr std::array<std::string_view, 15> kTypes = {
      "ftyp", "moov", "mdat", "moof", "mfra", "free", "skip", "wide",
      "uuid", "styp", "sidx", "meta", "pdin", "emsg", "prft"};
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

// An ISO media file (MP4/MOV) starts with one of its top-level boxes, usually `ftyp`; when such
// a file fails to open, its movie header is missing or cut: an incomplete download or copy.
bool LooksLikeIsoMedia(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 8> head{};
  if (!in.read(head.data(), head.size())) return false;
  return IsTopLevelBox(std::string_view(head.data() + 4, 4));
}

// Walks the top-level boxes of an ISO media file; a box that claims more bytes than the file
// holds means the file was cut short. Returns the problem, or "" when the boxes fit.
std::string IsoTruncation(const std::string& path, std::int64_t file_size) {
  std::ifstream in(path, std::ios::binary);
  std::int64_t pos = 0;
  while (pos < file_size) {
    unsigned char head[16];
    const std::int64_t left = file_size - pos;
    in.seekg(pos);
    if (left < 8 || !in.read(reinterpret_cast<char*>(head), 8)) {
      return "a box header at byte " + std::to_string(pos) + " is cut off";
    }
    std::uint64_t box = (std::uint64_t{head[0]} << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
    const std::string type(reinterpret_cast<const char*>(head + 4), 4);
    if (box == 1) {  // 64-bit size follows
      if (left < 16 || !in.read(reinterpret_cast<char*>(head + 8), 8)) {
        return "the '" + type + "' box header at byte " + std::to_string(pos) + " is cut off";
      }
      box = 0;
      for (int i = 8; i < 16; ++i) box = (box << 8) | head[i];
    } else if (box == 0) {  // runs to the end of the file
      return "";
    }
    // Not a box structure we can judge (junk after the last box, say): the demuxer decides.
    if (box < 8 || !IsTopLevelBox(type)) return "";
    if (box > static_cast<std::uint64_t>(left)) {
      return "the '" + type + "' box at byte " + std::to_string(pos) + " needs " +
             std::to_string(box) + " bytes but the file ends " + std::to_string(left) +
             " bytes later";
    }
    pos += static_cast<std::int64_t>(box);
  }
  return "";
}

Status OpenError(const std::string& path, int err, std::string_view what) {
  if (err == AVERROR(ENOENT)) return NotFoundError(path + ": no such file");
  if (err == AVERROR(EACCES)) return IoError(path + ": permission denied");
  if (err == AVERROR(EIO)) return IoError(path + ": read error (" + AvErrorString(err) + ")");
  if (LooksLikeIsoMedia(path)) {
    return DataError(path + ": truncated: " + std::string(what) + " failed (" + AvErrorString(err) +
                     "); the movie header is missing or cut short");
  }
  return DataError(path + ": not a media file (" + AvErrorString(err) + ")");
}

std::string_view TypeName(AVMediaType type) {
  switch (type) {
    case AVMEDIA_TYPE_VIDEO: return "video";
    case AVMEDIA_TYPE_AUDIO: return "audio";
    case AVMEDIA_TYPE_SUBTITLE: return "subtitle";
    case AVMEDIA_TYPE_DATA: return "data";
    case AVMEDIA_TYPE_ATTACHMENT: return "attachment";
    default: return "unknown";
  }
}

// Median spacing of keyframe times (in `tb`), in ms; 0 with fewer than two keyframes.
TimeMs MedianInterval(std::vector<std::int64_t>& times, AVRational tb) {
  if (times.size() < 2) return 0;
  std::sort(times.begin(), times.end());
  std::vector<std::int64_t> gaps;
  gaps.reserve(times.size() - 1);
  for (std::size_t i = 1; i < times.size(); ++i) {
    if (times[i] > times[i - 1]) gaps.push_back(times[i] - times[i - 1]);
  }
  if (gaps.empty()) return 0;
  auto mid = gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2);
  std::nth_element(gaps.begin(), mid, gaps.end());
  return av_rescale_q(*mid, tb, AVRational{1, 1000});
}

// The container's sample index is read with the header (MP4 moov, MKV cues when present), so
// this costs no I/O. Returns false when the index has too few keyframes to say.
bool KeyframeIntervalFromIndex(AVStream* st, TimeMs* interval_ms) {
  const int n = avformat_index_get_entries_count(st);
  std::vector<std::int64_t> times;
  for (int i = 0; i < n; ++i) {
    const AVIndexEntry* e = avformat_index_get_entry(st, i);
    if (e && (e->flags & AVINDEX_KEYFRAME)) times.push_back(e->timestamp);
  }
  if (times.size() < 2) return false;
  *interval_ms = MedianInterval(times, st->time_base);
  return true;
}

// Without an index, read the first ~10 s of video packets and measure the keyframe spacing.
TimeMs KeyframeIntervalFromPackets(AVFormatContext* fmt, int video_index) {
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    fmt->streams[i]->discard =
        static_cast<int>(i) == video_index ? AVDISCARD_NONKEY : AVDISCARD_ALL;
  }
  AVStream* st = fmt->streams[video_index];
  const std::int64_t window = av_rescale_q(10'000, AVRational{1, 1000}, st->time_base);
  AvPacketPtr pkt = MakeAvPacket();
  if (!pkt) return 0;
  std::vector<std::int64_t> times;
  std::int64_t first = AV_NOPTS_VALUE;
  // The packet cap bounds the work on streams whose timestamps never advance.
  for (int read = 0; read < 20'000 && av_read_frame(fmt, pkt.get()) >= 0; ++read) {
    // Decode times: the MP4 demuxer's pts is unreliable when it skips non-key samples.
    const std::int64_t ts = pkt->dts != AV_NOPTS_VALUE ? pkt->dts : pkt->pts;
    const bool key = pkt->flags & AV_PKT_FLAG_KEY;
    const bool ours = pkt->stream_index == video_index;
    av_packet_unref(pkt.get());
    if (!ours || ts == AV_NOPTS_VALUE) continue;
    if (first == AV_NOPTS_VALUE) first = ts;
    if (ts - first > window) break;
    if (key) times.push_back(ts);
  }
  return MedianInterval(times, st->time_base);
}

// Largest byte offset the sample index points at; beyond the file size means the media data
// was cut off (an MP4 with its moov at the front, copied or downloaded only in part).
std::int64_t IndexedDataEnd(AVFormatContext* fmt) {
  std::int64_t end = 0;
  for (unsigned s = 0; s < fmt->nb_streams; ++s) {
    AVStream* st = fmt->streams[s];
    const int n = avformat_index_get_entries_count(st);
    for (int i = 0; i < n; ++i) {
      const AVIndexEntry* e = avformat_index_get_entry(st, i);
      if (e && e->pos >= 0) end = std::max(end, e->pos + std::max(e->size, 0));
    }
  }
  return end;
}

StreamInfo DescribeStream(const AVStream* st, TimeMs container_duration_ms) {
  const AVCodecParameters* par = st->codecpar;
  StreamInfo s;
  s.index = st->index;
  s.type = TypeName(par->codec_type);
  s.codec = avcodec_get_name(par->codec_id);
  s.duration_ms =
      st->duration != AV_NOPTS_VALUE ? ToMs(st->duration, st->time_base) : container_duration_ms;
  s.bit_rate = par->bit_rate;
  if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
    s.width = par->width;
    s.height = par->height;
    AVRational rate = st->avg_frame_rate;
    if (rate.num <= 0 || rate.den <= 0) rate = st->r_frame_rate;
    if (rate.num > 0 && rate.den > 0) s.fps = av_q2d(rate);
  } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
    s.sample_rate_hz = par->sample_rate;
    s.channels = par->ch_layout.nb_channels;
  }
  return s;
}

int MainStream(AVFormatContext* fmt, AVMediaType type) {
  const int index = av_find_best_stream(fmt, type, -1, -1, nullptr, 0);
  if (index < 0) return -1;
  // Cover art is stored as a one-picture video stream; it is not the video.
  if (fmt->streams[index]->disposition & AV_DISPOSITION_ATTACHED_PIC) return -1;
  return index;
}

nlohmann::json StreamToJson(const StreamInfo& s) {
  nlohmann::json j = {{"index", s.index},
                      {"type", s.type},
                      {"codec", s.codec},
                      {"duration_ms", s.duration_ms},
                      {"bit_rate", s.bit_rate}};
  if (s.type == "video") {
    j["width"] = s.width;
    j["height"] = s.height;
    j["fps"] = s.fps;
  } else if (s.type == "audio") {
    j["sample_rate_hz"] = s.sample_rate_hz;
    j["channels"] = s.channels;
  }
  return j;
}

}  // namespace

Result<ProbeInfo> Probe(const std::string& path) {
  namespace fs = std::filesystem;
  std::uintmax_t size = 0;
  if (IsRemoteInputPath(path)) {
    // A remote input is read by ranges: no whole-file checks, the demuxer reads what it needs.
    ASSIGN_OR_RETURN(std::shared_ptr<RemoteInput> input, FindRemoteInput(path));
    if (input->size_bytes() <= 0) return DataError(path + ": not a media file (empty file)");
    size = static_cast<std::uintmax_t>(input->size_bytes());
  } else {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found) return NotFoundError(path + ": no such file");
    if (ec) return IoError(path + ": " + ec.message());
    if (fs::is_directory(status)) return DataError(path + ": not a media file (a directory)");
    if (!fs::is_regular_file(status)) {
      return DataError(path + ": not a media file (not a regular file)");
    }
    size = fs::file_size(path, ec);
    if (ec) return IoError(path + ": " + ec.message());
    if (size == 0) return DataError(path + ": not a media file (empty file)");

    if (LooksLikeIsoMedia(path)) {
      const std::string cut = IsoTruncation(path, static_cast<std::int64_t>(size));
      if (!cut.empty()) return DataError(path + ": truncated: " + cut);
    }
  }

  AvInputFormatPtr fmt;
  Status remote_error;
  int err = OpenAvInput(path, &fmt, &remote_error);
  if (!remote_error.ok()) return remote_error;
  if (err < 0) return OpenError(path, err, "opening");
  // The ANSI-art demuxer claims any *.txt; plain text is not media to us.
  if (std::string_view(fmt->iformat->name) == "tty") {
    return DataError(path + ": not a media file (text)");
  }
  err = avformat_find_stream_info(fmt.get(), nullptr);
  if (Status cause = RemoteReadError(fmt.get()); err < 0 && !cause.ok()) return cause;
  if (err < 0) return OpenError(path, err, "reading stream parameters");

  ProbeInfo info;
  info.path = path;
  info.container = fmt->iformat->name;
  info.size_bytes = static_cast<std::int64_t>(size);
  info.bit_rate = fmt->bit_rate;
  if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0) {
    info.duration_ms = ToMs(fmt->duration, AV_TIME_BASE_Q);
  }
  const TimeMs container_duration_ms = info.duration_ms;
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    info.streams.push_back(DescribeStream(fmt->streams[i], container_duration_ms));
    // Some containers give only per-stream durations.
    if (container_duration_ms == 0) {
      info.duration_ms = std::max(info.duration_ms, info.streams.back().duration_ms);
    }
  }
  info.video_stream = MainStream(fmt.get(), AVMEDIA_TYPE_VIDEO);
  info.audio_stream = MainStream(fmt.get(), AVMEDIA_TYPE_AUDIO);

  const std::int64_t data_end = IndexedDataEnd(fmt.get());
  if (data_end > info.size_bytes) {
    return DataError(path + ": truncated: media data runs to byte " + std::to_string(data_end) +
                     " but the file has " + std::to_string(info.size_bytes) + " bytes");
  }
  if (info.duration_ms <= 0) return DataError(path + ": zero duration");
  if (info.video_stream < 0 && info.audio_stream < 0) {
    return DataError(path + ": not a media file (no audio or video stream)");
  }

  if (info.video_stream >= 0) {
    AVStream* st = fmt->streams[info.video_stream];
    if (!KeyframeIntervalFromIndex(st, &info.keyframe_interval_ms)) {
      info.keyframe_interval_ms = KeyframeIntervalFromPackets(fmt.get(), info.video_stream);
    }
  }
  return info;
}

Status RequireAudio(const ProbeInfo& info) {
  if (info.audio_stream < 0) return UnsupportedError(info.path + ": no audio stream");
  return Status::Ok();
}

Status RequireVideo(const ProbeInfo& info) {
  if (info.video_stream < 0) return UnsupportedError(info.path + ": no video stream");
  return Status::Ok();
}

nlohmann::json ProbeToJson(const ProbeInfo& info) {
  nlohmann::json streams = nlohmann::json::array();
  for (const StreamInfo& s : info.streams) streams.push_back(StreamToJson(s));
  const StreamInfo* video = info.video();
  const StreamInfo* audio = info.audio();
  return {{"path", info.path},
          {"container", info.container},
          {"duration_ms", info.duration_ms},
          {"size_bytes", info.size_bytes},
          {"bit_rate", info.bit_rate},
          {"keyframe_interval_ms", info.keyframe_interval_ms},
          {"video", video ? StreamToJson(*video) : nlohmann::json(nullptr)},
          {"audio", audio ? StreamToJson(*audio) : nlohmann::json(nullptr)},
          {"streams", std::move(streams)}};
}

}  // namespace clipthat::media
