// LiveIngest: reads a live source with FFmpeg's libraries as it happens and hands it on: every
// packet into the SegmentRing (the last minutes on disk), the audio decoded to 16 kHz mono for
// the trigger spotter and the level meter, and video keyframes (small BGR pictures) for the
// vision tick.
//
// Sources: anything libavformat opens: an HLS playlist (http[s]://...m3u8, live or not),
// rtmp:// and srt:// (pull; `?listen=1` / `?mode=listener` to listen), a Twitch channel URL
// (resolved to its HLS URL with `streamlink --stream-url URL best`), or a file. A file is
// played at real time (realtime = true) or as fast as it decodes.
//
// A network source may only lead to network protocols (FFmpeg's protocol_whitelist: http,
// https, tls, tcp, udp, crypto, rtmp, rtmps, srt): a playlist naming file: segments fails.
//
// Time: every packet gets a session time in ms from the start of the source. When a network
// source drops (a read error, or no data for stall_timeout_ms), it is opened again with
// exponential backoff (backoff_min_ms doubling up to backoff_max_ms, at most max_reconnects
// failures in a row). When the reopened source goes on with the timestamps it had (an HLS
// playlist that still lists segments read before the drop), what was read is skipped and the
// session clock follows the stream's own timestamps; a source that restarted with new
// timestamps is placed after the wall time lost. A source that ends (end of file, an RTMP
// publisher that stops) ends Run() with OK. FFmpeg's HLS demuxer ends both at the playlist's
// ENDLIST and when a live playlist cannot be reloaded, so an HLS end is checked by reopening:
// nothing new (or a playlist now 404/4xx) is the end; new media is a drop survived.
//
// Errors (each naming the source): NotFound for a missing file; Unavailable when it cannot be
// reached (after first_connect_tries); DataError when it is not a media stream;
// InvalidArgument when it has no video (an audio-only stream cannot be clipped vertically);
// Unavailable when it stalls past max_reconnects. Drops that are retried go to on_notice.
//
// Run() blocks on the calling thread and calls the callbacks from it; Stop() (any thread) ends
// it within about stall_timeout_ms at worst, usually at once.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "core/log.h"
#include "core/result.h"
#include "live/segment_ring.h"
#include "media/frame.h"

namespace clipthat::live {

struct LiveIngestOptions {
  bool realtime = true;    // files only: pace packets at real time
  TimeMs duration_ms = 0;  // stop after this much source time (0: until the source ends)
  TimeMs stall_timeout_ms = 15000;
  int first_connect_tries = 3;
  int max_reconnects = 10;
  TimeMs backoff_min_ms = 1000;
  TimeMs backoff_max_ms = 30000;
  TimeMs audio_chunk_ms = 500;      // on_audio chunk length
  TimeMs keyframe_every_ms = 1000;  // on_keyframe at most this often
  int keyframe_width_px = 320;
  std::string streamlink = "streamlink";  // for Twitch channel URLs
};

struct LiveIngestCallbacks {
  std::function<void(const media::AudioBuffer&)> on_audio;    // 16 kHz mono, contiguous
  std::function<void(const media::VideoFrame&)> on_keyframe;  // kBgr24, keyframe_width_px wide
  std::function<void(TimeMs session_ms)> on_progress;         // after each packet
  std::function<void(const Status& why, TimeMs session_ms)> on_notice;  // a retried drop
};

struct LiveIngestStats {
  TimeMs session_ms = 0;
  int reconnects = 0;
  long long packets = 0;
  std::string resolved_url;  // what was opened (after streamlink)
  int width = 0, height = 0;
  bool has_audio = false;
};

// True for a Twitch channel or VOD page URL (https://www.twitch.tv/NAME...).
bool IsTwitchUrl(const std::string& source);
// A file path rather than a URL (no scheme, or file:).
bool IsFileSource(const std::string& source);

class LiveIngest {
 public:
  LiveIngest(std::string source, LiveIngestOptions options, SegmentRing* ring,
             LiveIngestCallbacks callbacks, Logger logger);
  ~LiveIngest();
  LiveIngest(const LiveIngest&) = delete;
  LiveIngest& operator=(const LiveIngest&) = delete;

  Status Run();
  void Stop();
  LiveIngestStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::live
