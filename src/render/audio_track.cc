#include "render/audio_track.h"

#include <algorithm>

namespace clipthat::render {

AudioTrack::AudioTrack(media::Mp4Writer* writer, TimeMs start_ms, long long total_samples, int rate,
                       int channels, double gain)
    : writer_(writer),
      start_ms_(start_ms),
      total_(total_samples),
      rate_(rate),
      channels_(channels),
      gain_(static_cast<float>(gain)) {}

Status AudioTrack::Add(const media::AudioBuffer& in) {
  if (in.sample_rate_hz != rate_ || in.channels != channels_) {
    return InternalError("window decoder returned audio in an unexpected format");
  }
  // Where this chunk belongs on the output clock, in samples.
  const long long at = (in.start_ms - start_ms_) * rate_ / 1000;
  if (at > written_ + rate_ / 100) RETURN_IF_ERROR(Silence(at - written_));  // > 10 ms gap
  const long long frames = static_cast<long long>(in.frame_count());
  long long skip = 0;  // drop what overlaps what is written (an early first chunk)
  if (written_ == 0 && at < 0) skip = std::min(frames, -at);
  const long long take = std::min(frames - skip, total_ - written_);
  if (take <= 0) return Status::Ok();
  media::AudioBuffer out;
  out.sample_rate_hz = rate_;
  out.channels = channels_;
  out.start_ms = start_ms_ + written_ * 1000 / rate_;
  out.samples.assign(in.samples.begin() + skip * channels_,
                     in.samples.begin() + (skip + take) * channels_);
  if (gain_ != 1.0f) {
    for (float& v : out.samples) v *= gain_;
  }
  written_ += take;
  return writer_->WriteAudio(out);
}

Status AudioTrack::Finish() { return Silence(total_ - written_); }

Status AudioTrack::Silence(long long frames) {
  frames = std::min(frames, total_ - written_);
  // In pieces, so a long silent track never needs one large buffer.
  while (frames > 0) {
    const long long n = std::min<long long>(frames, rate_);
    media::AudioBuffer silence;
    silence.sample_rate_hz = rate_;
    silence.channels = channels_;
    silence.start_ms = start_ms_ + written_ * 1000 / rate_;
    silence.samples.assign(static_cast<size_t>(n * channels_), 0.0f);
    RETURN_IF_ERROR(writer_->WriteAudio(silence));
    written_ += n;
    frames -= n;
  }
  return Status::Ok();
}

}  // namespace clipthat::render
