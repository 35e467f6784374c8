// AudioTrack: feeds a clip's audio to an Mp4Writer on a sample clock that starts at the clip's
// first frame, so the sound stays in sync with the constant-rate picture whatever the source's
// timing: a late first chunk is preceded by silence, gaps over 10 ms are filled with silence,
// what comes before the start is dropped, and the track is cut or padded to exactly
// `total_samples` (the video's length). Every sample is multiplied by `gain` (linear; the
// clip's loudness normalisation, render/clip_loudness.h).
#pragma once

#include "core/status.h"
#include "core/time_units.h"
#include "media/frame.h"
#include "media/mp4_writer.h"

namespace clipthat::render {

class AudioTrack {
 public:
  // `writer` is borrowed and must outlive the track. Chunks must be at `rate` Hz, `channels`.
  AudioTrack(media::Mp4Writer* writer, TimeMs start_ms, long long total_samples, int rate,
             int channels, double gain = 1.0);

  // A decoded chunk; its start_ms is on the source clock.
  Status Add(const media::AudioBuffer& in);
  // Pads with silence up to the clip's length.
  Status Finish();

 private:
  Status Silence(long long frames);

  media::Mp4Writer* writer_;
  TimeMs start_ms_;
  long long total_;
  int rate_;
  int channels_;
  float gain_;
  long long written_ = 0;
};

}  // namespace clipthat::render
