// SegmentRing: the last minutes of a live stream on disk, so a clip can reach back before the
// trigger that asked for it. Packets are copied as they arrive (no re-encoding) into Matroska
// segments of about segment_ms, each starting on a video keyframe, with timestamps in the live
// session's milliseconds; segments older than keep_ms behind the newest, or past max_bytes in
// all, are deleted oldest first. Cut() copies the packets of a window into one Matroska file
// that the renderer reads like any recording.
//
// Threads: one writer (the ingest: Begin, Write, Close) and any number of readers (Cut,
// Segments, span queries) at once. A segment a Cut is reading is not deleted until the cut is
// done. Errors name the segment or output file.
//
//   ASSIGN_OR_RETURN(auto ring, SegmentRing::Create({.dir = out + "/buffer"}));
//   RETURN_IF_ERROR(ring->Begin(video_stream, audio_stream));
//   RETURN_IF_ERROR(ring->Write(packet, 0, pts_ms, dts_ms));   // 0 = video, 1 = audio
//   ASSIGN_OR_RETURN(CutFile cut, ring->Cut(start_ms, end_ms, dir + "/cut-1.mkv"));
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"

struct AVStream;
struct AVPacket;

namespace clipthat::live {

struct SegmentRingOptions {
  std::string dir;                     // created (owner-only) if missing
  TimeMs segment_ms = 2000;            // a new segment starts at the first keyframe after this
  TimeMs keep_ms = 600000;             // the last 10 minutes
  std::int64_t max_bytes = 4LL << 30;  // and never more than this on disk
};

struct Segment {
  int index = 0;
  std::string path;
  TimeMs start_ms = 0;  // its first (key)frame
  TimeMs end_ms = 0;    // the end of its last packet
  std::int64_t bytes = 0;
};

struct CutFile {
  std::string path;
  TimeMs file_start_ms = 0;  // the session time the file's 0 ms is
  TimeMs start_ms = 0;       // the window actually cut, in session time (start may be later
  TimeMs end_ms = 0;         // than asked when the buffer no longer reaches back)
};

class SegmentRing {
 public:
  static Result<std::unique_ptr<SegmentRing>> Create(const SegmentRingOptions& options);
  ~SegmentRing();
  SegmentRing(const SegmentRing&) = delete;
  SegmentRing& operator=(const SegmentRing&) = delete;

  // The streams packets will come from (their codec parameters and time bases). Called again
  // after a reconnect: the current segment is closed and the next one uses the new streams.
  // audio may be null. InvalidArgument without video.
  Status Begin(const AVStream* video, const AVStream* audio);
  // One packet of stream 0 (video) or 1 (audio) with its session times in ms (the packet's
  // own timestamps are ignored). A video keyframe past segment_ms starts a new segment;
  // packets before the first keyframe are dropped.
  Status Write(const AVPacket& packet, int stream, TimeMs pts_ms, TimeMs dts_ms);
  // Closes the current segment (at the end of the stream).
  Status Close();

  // Copies [start_ms, end_ms) into `out_path` (Matroska), from the keyframe at or before
  // start_ms. NotFound when no finished segment covers any of it; Unavailable when end_ms is
  // not yet in a finished segment.
  Result<CutFile> Cut(TimeMs start_ms, TimeMs end_ms, const std::string& out_path);

  std::vector<Segment> Segments() const;  // finished ones, oldest first
  TimeMs earliest_ms() const;             // start of the oldest finished segment (0 when none)
  TimeMs finished_ms() const;             // end of the newest finished segment (0 when none)
  std::int64_t bytes() const;             // on disk, finished segments

 private:
  struct Impl;
  explicit SegmentRing(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::live
