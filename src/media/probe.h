// Probe: what a media file holds, read from its container headers (and its sample index).
//
// Errors name the file and the problem:
//   NotFound   "vod.mp4: no such file"
//   DataError  "notes.txt: not a media file (...)", "vod.mp4: truncated: ...",
//              "vod.mp4: zero duration"
// A file without audio or video probes fine (audio_stream or video_stream is -1); callers that
// need one use RequireAudio()/RequireVideo(), which give "vod.mp4: no audio stream".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"

namespace clipthat::media {

struct StreamInfo {
  int index = 0;
  std::string type;   // "video", "audio", "subtitle", "data", "attachment", "unknown"
  std::string codec;  // libavcodec name: "h264", "aac", ...
  TimeMs duration_ms = 0;
  std::int64_t bit_rate = 0;  // bits per second, 0 when unknown
  // video
  int width = 0;
  int height = 0;
  double fps = 0;  // average frame rate
  // audio
  int sample_rate_hz = 0;
  int channels = 0;
};

struct ProbeInfo {
  std::string path;
  std::string container;  // libavformat short name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  TimeMs duration_ms = 0;
  std::int64_t size_bytes = 0;
  std::int64_t bit_rate = 0;
  std::vector<StreamInfo> streams;
  int video_stream = -1;  // index into streams of the main video stream, -1 if none
  int audio_stream = -1;  // index of the main audio stream, -1 if none
  // Typical distance between video keyframes in ms, measured from the container's index (or
  // the first packets when there is no index); 0 when unknown or no video.
  TimeMs keyframe_interval_ms = 0;

  const StreamInfo* video() const { return video_stream >= 0 ? &streams[video_stream] : nullptr; }
  const StreamInfo* audio() const { return audio_stream >= 0 ? &streams[audio_stream] : nullptr; }
};

// `path` is a local file or a registered remote input (remote_input.h); of a remote input only
// what the demuxer reads is fetched (the index and the first packets), and the truncation check
// of local ISO files is skipped.
Result<ProbeInfo> Probe(const std::string& path);

// UnsupportedError "PATH: no audio stream" / "PATH: no video stream" when missing.
Status RequireAudio(const ProbeInfo& info);
Status RequireVideo(const ProbeInfo& info);

// The JSON printed by `clipthat probe`: {"path","container","duration_ms","size_bytes",
// "bit_rate","keyframe_interval_ms","video":{...}|null,"audio":{...}|null,"streams":[...]}.
// Each stream object (and "video"/"audio", copies of the main streams) has "index", "type",
// "codec", "duration_ms", "bit_rate"; video streams add "width", "height", "fps"; audio
// streams add "sample_rate_hz", "channels".
nlohmann::json ProbeToJson(const ProbeInfo& info);

}  // namespace clipthat::media
