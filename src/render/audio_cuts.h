// AudioCutter: takes the cuts of an edit list out of its decoded audio.
//
// Samples inside a cut are dropped; what is kept closes up, so a chunk's pieces come out with
// start_ms on the window's clock with the cuts taken out (window start + clip time: what
// render::AudioTrack expects for a window that starts at the same start_ms). The last
// `fade_ms` before each cut fade out and the first `fade_ms` after it fade in (linear), so a
// join never clicks. Without cuts a chunk passes through unchanged. Samples before the window
// or after it pass (AudioTrack trims them). Pure: no media, no I/O.
#pragma once

#include <vector>

#include "core/time_units.h"
#include "formats/clip_timeline.h"
#include "media/frame.h"

namespace clipthat::render {

class AudioCutter {
 public:
  AudioCutter(const formats::ClipTimeline& timeline, int sample_rate_hz, TimeMs fade_ms = 10);

  // `in` on the VOD clock; the kept pieces in order (none when it lies wholly in a cut).
  std::vector<media::AudioBuffer> Cut(const media::AudioBuffer& in) const;

 private:
  struct Segment {  // a kept segment in samples of the VOD clock
    long long start, end;
    long long shift;  // samples cut before it
    bool fade_in, fade_out;
  };
  // False when sample `p` is in a cut; else its shift and gain.
  bool Place(long long p, long long* shift, float* gain) const;

  bool has_cuts_;
  int rate_;
  long long fade_;  // samples
  long long window_start_, window_end_;
  long long total_cut_ = 0;
  std::vector<Segment> segments_;
};

}  // namespace clipthat::render
