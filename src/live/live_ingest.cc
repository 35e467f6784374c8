#include "live/live_ingest.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "media/av_error.h"

extern char** environ;

namespace clipthat::live {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

// Runs `argv` without a shell and returns what it printed (stdout and stderr), its exit code
// in *code; gives up after timeout_ms (the child is killed).
Result<std::string> RunForOutput(const std::vector<std::string>& argv, TimeMs timeout_ms,
                                 int* code) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return IoError("pipe: " + std::string(std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int err = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (err != 0) {
    close(fds[0]);
    if (err == ENOENT) return NotFoundError(argv[0] + " is not installed");
    return IoError(argv[0] + ": " + std::strerror(err));
  }
  std::string out;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  bool timed_out = false;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[4096];
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    if (out.size() < 65536) out.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timed_out) return UnavailableError(argv[0] + ": no answer in " + FormatClock(timeout_ms));
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

std::string LastLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const auto nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

}  // namespace

bool IsTwitchUrl(const std::string& source) {
  for (const char* prefix :
       {"https://www.twitch.tv/", "https://twitch.tv/", "http://www.twitch.tv/",
        "http://twitch.tv/", "https://m.twitch.tv/"}) {
    if (source.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

bool IsFileSource(const std::string& source) {
  if (source.rfind("file:", 0) == 0) return true;
  return source.find("://") == std::string::npos;
}

struct LiveIngest::Impl {
  std::string source;
  LiveIngestOptions options;
  SegmentRing* ring = nullptr;
  LiveIngestCallbacks callbacks;
  Logger logger;
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> deadline_ns{0};
  mutable std::mutex stats_mutex;
  LiveIngestStats stats;

  // Per connection.
  media::AvInputFormatPtr fmt;
  int video_index = -1, audio_index = -1;
  media::AvCodecContextPtr audio_dec, video_dec;
  media::SwrContextPtr swr;
  int swr_rate = 0, swr_format = -1, swr_channels = 0;
  std::int64_t origin_us = AV_NOPTS_VALUE;
  TimeMs offset_ms = 0;
  bool is_hls = false;        // FFmpeg's HLS demuxer reads it
  int open_error = 0;         // the AVERROR of the last failed open
  long long new_packets = 0;  // packets this connection added (not skipped as already read)
  // Across connections: the newest source time read (dts, in AV_TIME_BASE), and after a
  // reconnect whether the first packet still has to place the new connection on the clock.
  std::int64_t last_source_us = AV_NOPTS_VALUE;
  std::int64_t skip_through_us = AV_NOPTS_VALUE;  // packets up to this were read before
  bool resync = false;
  // A reopen after an HLS end that turns out to be a drop: reported with the first new packet.
  std::optional<Status> notice_on_new_media;
  std::int64_t resync_origin_us = AV_NOPTS_VALUE;  // the previous connection's mapping
  TimeMs resync_offset_ms = 0;
  TimeMs resync_wall_offset_ms = 0;  // the clock by wall time, when the timelines differ
  // Audio clock of this connection.
  TimeMs audio_base_ms = -1;
  std::int64_t audio_samples = 0;
  std::vector<float> pending;
  // Session.
  TimeMs session_ms = 0;
  TimeMs last_keyframe_ms = -1000000;
  std::int64_t wall_start_ns = -1;
  TimeMs wall_first_ms = 0;
  media::SwsConverter sws;

  static int Interrupt(void* opaque) {
    auto* m = static_cast<Impl*>(opaque);
    if (m->stop.load()) return 1;
    const std::int64_t deadline = m->deadline_ns.load();
    return deadline > 0 && NowNs() > deadline ? 1 : 0;
  }

  void ArmDeadline() {
    deadline_ns.store(IsFileSource(source) ? 0 : NowNs() + options.stall_timeout_ms * 1000000);
  }

  Result<std::string> Resolve() {
    if (!IsTwitchUrl(source)) return source;
    int code = 0;
    ASSIGN_OR_RETURN(
        std::string out,
        RunForOutput({options.streamlink, "--stream-url", source, "best"}, 30000, &code));
    std::string url = LastLine(out);
    if (code != 0 || url.rfind("http", 0) != 0) {
      return UnavailableError(source + ": streamlink found no stream (" + url + ")");
    }
    return url;
  }

  Status Connect() {
    ASSIGN_OR_RETURN(std::string url, Resolve());
    if (IsFileSource(url)) {
      std::error_code ec;
      const std::string path = url.rfind("file:", 0) == 0 ? url.substr(5) : url;
      if (!std::filesystem::exists(path, ec)) return NotFoundError(source + ": no such file");
    }
    AVFormatContext* raw = avformat_alloc_context();
    if (raw == nullptr) return IoError(source + ": out of memory");
    raw->interrupt_callback = {&Impl::Interrupt, this};
    AVDictionary* opts = nullptr;
    if (!IsFileSource(url)) {
      av_dict_set_int(&opts, "rw_timeout", options.stall_timeout_ms * 1000, 0);
      // HLS: start at the oldest segment the playlist still lists (a clip can reach back
      // that far at once), not three from its end.
      av_dict_set(&opts, "live_start_index", "0", 0);
      // A network source may only lead to network protocols: a playlist that names file: or
      // pipe: segments is refused rather than read from this machine.
      av_dict_set(&opts, "protocol_whitelist", "http,https,tls,tcp,udp,crypto,rtmp,rtmps,srt", 0);
    }
    ArmDeadline();
    int err = avformat_open_input(&raw, url.c_str(), nullptr, &opts);
    av_dict_free(&opts);
    open_error = err;
    if (err < 0) {
      if (stop.load()) return CancelledError(source + ": stopped");
      if (err == AVERROR_INVALIDDATA) {
        return DataError(source + ": not a media stream (" + media::AvErrorString(err) + ")");
      }
      if (err == AVERROR(ENOENT) && IsFileSource(url))
        return NotFoundError(source + ": no such file");
      if (err == AVERROR_EXIT) {
        return UnavailableError(source + ": no answer in " + FormatClock(options.stall_timeout_ms));
      }
      return UnavailableError(source + ": cannot open: " + media::AvErrorString(err));
    }
    fmt.reset(raw);
    is_hls = raw->iformat != nullptr && std::string_view(raw->iformat->name) == "hls";
    new_packets = 0;
    ArmDeadline();
    if ((err = avformat_find_stream_info(raw, nullptr)) < 0) {
      return DataError(source + ": not a media stream (" + media::AvErrorString(err) + ")");
    }
    video_index = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (video_index >= 0 &&
        (raw->streams[video_index]->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) {
      video_index = -1;
    }
    if (video_index < 0) {
      return InvalidArgumentError(source +
                                  ": no video stream (an audio-only source cannot be clipped)");
    }
    audio_index = av_find_best_stream(raw, AVMEDIA_TYPE_AUDIO, -1, video_index, nullptr, 0);
    if (audio_index < 0) audio_index = -1;
    const AVStream* vs = raw->streams[video_index];
    const AVStream* as = audio_index >= 0 ? raw->streams[audio_index] : nullptr;
    RETURN_IF_ERROR(ring->Begin(vs, as));
    ASSIGN_OR_RETURN(video_dec, media::OpenDecoder(source, vs, "video", 1));
    audio_dec.reset();
    swr.reset();
    swr_rate = 0;
    if (as != nullptr) {
      ASSIGN_OR_RETURN(audio_dec, media::OpenDecoder(source, as, "audio", 1));
    }
    origin_us = raw->start_time != AV_NOPTS_VALUE ? raw->start_time : AV_NOPTS_VALUE;
    audio_base_ms = -1;
    audio_samples = 0;
    pending.clear();
    std::lock_guard<std::mutex> lock(stats_mutex);
    stats.resolved_url = url == source ? url : "(resolved)";
    stats.width = vs->codecpar->width;
    stats.height = vs->codecpar->height;
    stats.has_audio = as != nullptr;
    return Status::Ok();
  }

  TimeMs SessionMs(std::int64_t ts, AVRational tb) const {
    const std::int64_t us = av_rescale_q(ts, tb, AV_TIME_BASE_Q);
    return offset_ms + (us - origin_us) / 1000;
  }

  void EmitAudio(bool all) {
    const std::size_t chunk = static_cast<std::size_t>(16 * options.audio_chunk_ms);
    std::size_t done = 0;
    while (pending.size() - done >= chunk || (all && pending.size() > done)) {
      const std::size_t n = std::min(chunk, pending.size() - done);
      media::AudioBuffer buf;
      buf.sample_rate_hz = 16000;
      buf.channels = 1;
      buf.start_ms = audio_base_ms + audio_samples / 16;
      buf.samples.assign(pending.begin() + static_cast<std::ptrdiff_t>(done),
                         pending.begin() + static_cast<std::ptrdiff_t>(done + n));
      audio_samples += static_cast<std::int64_t>(n);
      done += n;
      if (callbacks.on_audio) callbacks.on_audio(buf);
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(done));
  }

  Status ResampleInto(const AVFrame& f) {
    if (!swr || swr_rate != f.sample_rate || swr_format != f.format ||
        swr_channels != f.ch_layout.nb_channels) {
      AVChannelLayout in_layout{};
      if (f.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
        av_channel_layout_default(&in_layout, f.ch_layout.nb_channels);
      } else if (av_channel_layout_copy(&in_layout, &f.ch_layout) < 0) {
        return IoError(source + ": out of memory");
      }
      AVChannelLayout mono{};
      av_channel_layout_default(&mono, 1);
      SwrContext* raw = nullptr;
      int err =
          swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, 16000, &in_layout,
                              static_cast<AVSampleFormat>(f.format), f.sample_rate, 0, nullptr);
      av_channel_layout_uninit(&in_layout);
      swr.reset(raw);
      if (err >= 0) err = av_opt_set_double(swr.get(), "rematrix_maxval", 1.0, 0);
      if (err >= 0) err = swr_init(swr.get());
      if (err < 0) return UnsupportedError(source + ": cannot resample its audio");
      swr_rate = f.sample_rate;
      swr_format = f.format;
      swr_channels = f.ch_layout.nb_channels;
    }
    const int room = swr_get_out_samples(swr.get(), f.nb_samples);
    if (room <= 0) return Status::Ok();
    const std::size_t at = pending.size();
    pending.resize(at + static_cast<std::size_t>(room));
    auto* out = reinterpret_cast<std::uint8_t*>(pending.data() + at);
    const int got = swr_convert(swr.get(), &out, room,
                                const_cast<const std::uint8_t**>(f.extended_data), f.nb_samples);
    pending.resize(at + static_cast<std::size_t>(std::max(0, got)));
    return Status::Ok();
  }

  void DecodeAudio(const AVPacket& pkt) {
    if (!audio_dec) return;
    if (avcodec_send_packet(audio_dec.get(), &pkt) < 0) return;  // a bad packet: skip it
    media::AvFramePtr frame = media::MakeAvFrame();
    while (frame && avcodec_receive_frame(audio_dec.get(), frame.get()) >= 0) {
      if (audio_base_ms < 0) {
        const std::int64_t ts =
            frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : pkt.pts;
        const AVStream* st = fmt->streams[audio_index];
        audio_base_ms =
            std::max<TimeMs>(0, ts != AV_NOPTS_VALUE ? SessionMs(ts, st->time_base) : session_ms);
      }
      if (!ResampleInto(*frame).ok()) return;
      av_frame_unref(frame.get());
    }
    EmitAudio(false);
  }

  void DecodeKeyframe(const AVPacket& pkt, TimeMs at_ms) {
    if (!callbacks.on_keyframe || at_ms - last_keyframe_ms < options.keyframe_every_ms) return;
    last_keyframe_ms = at_ms;
    avcodec_flush_buffers(video_dec.get());
    if (avcodec_send_packet(video_dec.get(), &pkt) < 0) return;
    avcodec_send_packet(video_dec.get(), nullptr);
    media::AvFramePtr frame = media::MakeAvFrame();
    if (frame && avcodec_receive_frame(video_dec.get(), frame.get()) >= 0 && frame->width > 0) {
      const int w = options.keyframe_width_px & ~1;
      const int h = std::max(
          2, static_cast<int>(static_cast<long long>(w) * frame->height / frame->width) & ~1);
      media::VideoFrame out;
      if (sws.Convert(*frame, w, h, media::PixelFormat::kBgr24, &out).ok()) {
        out.pts_ms = at_ms;
        out.keyframe = true;
        callbacks.on_keyframe(out);
      }
    }
    avcodec_flush_buffers(video_dec.get());
  }

  void Pace(TimeMs at_ms) {
    if (!options.realtime || !IsFileSource(source)) return;
    if (wall_start_ns < 0) {
      wall_start_ns = NowNs();
      wall_first_ms = at_ms;
    }
    const std::int64_t target = wall_start_ns + (at_ms - wall_first_ms) * 1000000;
    while (!stop.load()) {
      const std::int64_t left = target - NowNs();
      if (left <= 0) break;
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min<std::int64_t>(left, 50000000)));
    }
  }

  // The first packet after a reconnect: when its time lies near where the stream was (the
  // same timeline: an HLS playlist that still lists segments read before, or one that moved
  // on), the clock goes on by the stream's own timestamps and what was read before is skipped;
  // otherwise (a restarted encoder's new timestamps) by the wall time lost.
  void PlaceAfterReconnect(std::int64_t source_us) {
    resync = false;
    constexpr std::int64_t kBackUs = 10LL * 60 * 1000000;  // longer than any live playlist
    constexpr std::int64_t kAheadUs = 60LL * 1000000;      // beyond the wall time lost
    const std::int64_t lost_us = (resync_wall_offset_ms - session_ms) * 1000;
    const bool same_timeline =
        resync_origin_us != AV_NOPTS_VALUE && last_source_us != AV_NOPTS_VALUE &&
        source_us >= last_source_us - kBackUs && source_us <= last_source_us + lost_us + kAheadUs;
    if (same_timeline) {
      origin_us = resync_origin_us;
      offset_ms = resync_offset_ms;
      skip_through_us = last_source_us;
    } else {
      origin_us = source_us;
      offset_ms = resync_wall_offset_ms;
      skip_through_us = AV_NOPTS_VALUE;
      last_source_us = AV_NOPTS_VALUE;
    }
  }

  // Reads until the source ends (true) or drops (false, *why set).
  bool Pump(Status* why) {
    media::AvPacketPtr pkt = media::MakeAvPacket();
    while (!stop.load()) {
      ArmDeadline();
      const int err = av_read_frame(fmt.get(), pkt.get());
      if (err == AVERROR_EOF) return true;
      if (err < 0) {
        if (stop.load()) return true;
        *why = err == AVERROR_EXIT
                   ? UnavailableError(source + ": no data for " +
                                      FormatClock(options.stall_timeout_ms))
                   : UnavailableError(source + ": read failed: " + media::AvErrorString(err));
        return false;
      }
      const int index = pkt->stream_index;
      const int stream = index == video_index ? 0 : index == audio_index ? 1 : -1;
      if (stream < 0) {
        av_packet_unref(pkt.get());
        continue;
      }
      const AVRational tb = fmt->streams[index]->time_base;
      std::int64_t dts = pkt->dts != AV_NOPTS_VALUE ? pkt->dts : pkt->pts;
      std::int64_t pts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : dts;
      if (dts == AV_NOPTS_VALUE) {
        av_packet_unref(pkt.get());
        continue;
      }
      const std::int64_t source_us = av_rescale_q(dts, tb, AV_TIME_BASE_Q);
      if (resync) PlaceAfterReconnect(source_us);
      if (origin_us == AV_NOPTS_VALUE) origin_us = source_us;
      if (skip_through_us != AV_NOPTS_VALUE && source_us <= skip_through_us) {
        av_packet_unref(pkt.get());  // read before the drop (an HLS playlist lists it still)
        continue;
      }
      skip_through_us = AV_NOPTS_VALUE;
      if (last_source_us == AV_NOPTS_VALUE || source_us > last_source_us) {
        last_source_us = source_us;
      }
      ++new_packets;
      if (notice_on_new_media) {
        if (callbacks.on_notice) callbacks.on_notice(*notice_on_new_media, session_ms);
        notice_on_new_media.reset();
      }
      const TimeMs dts_ms = SessionMs(dts, tb);
      const TimeMs pts_ms = SessionMs(pts, tb);
      if (options.duration_ms > 0 && dts_ms >= options.duration_ms) return true;
      Pace(dts_ms);
      // Decoding delay puts the first dts before 0 (B-frames); what counts is the picture.
      if (pts_ms >= 0) {
        if (Status st = ring->Write(*pkt, stream, pts_ms, std::max<TimeMs>(0, dts_ms)); !st.ok()) {
          *why = st;
          return false;
        }
      }
      if (stream == 1) DecodeAudio(*pkt);
      if (stream == 0 && (pkt->flags & AV_PKT_FLAG_KEY) != 0) DecodeKeyframe(*pkt, pts_ms);
      session_ms = std::max(session_ms, dts_ms);
      {
        std::lock_guard<std::mutex> lock(stats_mutex);
        stats.session_ms = session_ms;
        ++stats.packets;
      }
      av_packet_unref(pkt.get());
      if (callbacks.on_progress) callbacks.on_progress(session_ms);
    }
    return true;
  }

  void SleepInterruptibly(TimeMs ms) {
    const auto until = Clock::now() + std::chrono::milliseconds(ms);
    while (!stop.load() && Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
};

LiveIngest::LiveIngest(std::string source, LiveIngestOptions options, SegmentRing* ring,
                       LiveIngestCallbacks callbacks, Logger logger)
    : impl_(std::make_unique<Impl>()) {
  impl_->source = std::move(source);
  impl_->options = options;
  impl_->ring = ring;
  impl_->callbacks = std::move(callbacks);
  impl_->logger = std::move(logger);
}

LiveIngest::~LiveIngest() = default;

void LiveIngest::Stop() { impl_->stop.store(true); }

LiveIngestStats LiveIngest::stats() const {
  std::lock_guard<std::mutex> lock(impl_->stats_mutex);
  return impl_->stats;
}

Status LiveIngest::Run() {
  Impl& m = *impl_;
  const bool file = IsFileSource(m.source) && !IsTwitchUrl(m.source);
  bool connected_once = false;
  int failures = 0;
  TimeMs backoff = m.options.backoff_min_ms;
  std::int64_t dropped_at_ns = -1;
  bool confirming_end = false;  // HLS said EOF: reopened to tell an end from a failed reload
  std::vector<std::int64_t> eof_reopens_ns;  // when each such reopen was, for the cap below
  while (!m.stop.load()) {
    const std::int64_t previous_origin_us = m.origin_us;
    const TimeMs previous_offset_ms = m.offset_ms;
    Status st = m.Connect();
    if (st.ok() && dropped_at_ns >= 0) {
      // The first packet places the new connection on the session clock.
      m.resync = true;
      m.resync_origin_us = previous_origin_us;
      m.resync_offset_ms = previous_offset_ms;
      m.resync_wall_offset_ms = m.session_ms + (NowNs() - dropped_at_ns) / 1000000;
      m.origin_us = AV_NOPTS_VALUE;
    }
    if (!st.ok()) {
      if (m.stop.load()) break;
      // A playlist that is gone after it said EOF: the broadcast is over.
      if (confirming_end &&
          (m.open_error == AVERROR_HTTP_NOT_FOUND || m.open_error == AVERROR_HTTP_OTHER_4XX)) {
        break;
      }
      // Files, missing files, non-media and audio-only sources are not retried.
      if (file || st.code() == StatusCode::kNotFound || st.code() == StatusCode::kDataError ||
          st.code() == StatusCode::kInvalidArgument) {
        return st;
      }
      ++failures;
      const int allowed = connected_once ? m.options.max_reconnects : m.options.first_connect_tries;
      if (failures >= allowed) return st;
      m.notice_on_new_media.reset();
      if (m.callbacks.on_notice) m.callbacks.on_notice(st, m.session_ms);
      CT_LOG(m.logger, kWarn) << st.message() << "; trying again in " << backoff << " ms";
      m.SleepInterruptibly(backoff);
      backoff = std::min(m.options.backoff_max_ms, backoff * 2);
      continue;
    }
    connected_once = true;
    const TimeMs started_ms = m.session_ms;
    Status why;
    const bool ended = m.Pump(&why);
    m.EmitAudio(true);
    if (ended && (file || m.stop.load() || !m.is_hls)) break;
    if (ended) {
      // FFmpeg's HLS demuxer ends both at the playlist's ENDLIST and when a live playlist
      // cannot be reloaded. Reopened, an ended stream has nothing new.
      if (confirming_end && m.new_packets == 0) break;
      // A guard against a playlist that replays without end: at most 6 reopens in 5 minutes.
      const std::int64_t now_ns = NowNs();
      std::erase_if(eof_reopens_ns, [&](std::int64_t t) { return now_ns - t > 300'000'000'000LL; });
      if (eof_reopens_ns.size() >= 6) break;
      eof_reopens_ns.push_back(now_ns);
      confirming_end = true;
      why = UnavailableError(m.source + ": the playlist ended or could not be reloaded");
    } else {
      confirming_end = false;
    }
    if (file) return DataError(why.message());
    if (m.session_ms - started_ms >= 10000) {
      failures = 0;
      backoff = m.options.backoff_min_ms;
    }
    ++failures;
    {
      std::lock_guard<std::mutex> lock(m.stats_mutex);
      ++m.stats.reconnects;
    }
    if (failures > m.options.max_reconnects) return why;
    if (confirming_end) {
      // Not a notice yet: most such ends are the stream's own. New media after the reopen, or
      // a failed open, makes it one.
      m.notice_on_new_media = why;
      CT_LOG(m.logger, kInfo) << why.message() << "; reopening in " << backoff << " ms to tell";
    } else {
      m.notice_on_new_media.reset();
      if (m.callbacks.on_notice) m.callbacks.on_notice(why, m.session_ms);
      CT_LOG(m.logger, kWarn) << why.message() << "; reconnecting in " << backoff << " ms";
    }
    dropped_at_ns = NowNs();
    m.fmt.reset();
    m.SleepInterruptibly(backoff);
    backoff = std::min(m.options.backoff_max_ms, backoff * 2);
  }
  return m.ring->Close();
}

}  // namespace clipthat::live
