#include "render/audio_cuts.h"

#include <algorithm>

namespace clipthat::render {

AudioCutter::AudioCutter(const formats::ClipTimeline& timeline, int sample_rate_hz, TimeMs fade_ms)
    : has_cuts_(timeline.has_cuts()),
      rate_(std::max(1, sample_rate_hz)),
      fade_(std::max<long long>(1, fade_ms * rate_ / 1000)),
      window_start_(timeline.start_ms() * rate_ / 1000),
      window_end_(timeline.end_ms() * rate_ / 1000) {
  const auto& kept = timeline.segments();
  for (size_t k = 0; k < kept.size(); ++k) {
    const long long start = kept[k].start_ms * rate_ / 1000;
    const long long end = kept[k].end_ms * rate_ / 1000;
    const long long shift = start - window_start_ - kept[k].clip_start_ms * rate_ / 1000;
    segments_.push_back({start, end, shift, k > 0, k + 1 < kept.size()});
  }
  total_cut_ = (window_end_ - window_start_) - timeline.kept_ms() * rate_ / 1000;
}

bool AudioCutter::Place(long long p, long long* shift, float* gain) const {
  *gain = 1.0f;
  if (p < window_start_) {
    *shift = 0;
    return true;
  }
  if (p >= window_end_) {
    *shift = total_cut_;
    return true;
  }
  auto it = std::upper_bound(segments_.begin(), segments_.end(), p,
                             [](long long x, const Segment& s) { return x < s.start; });
  if (it == segments_.begin()) return false;  // a cut at the window's start
  const Segment& s = *std::prev(it);
  if (p >= s.end) return false;
  *shift = s.shift;
  const double f = static_cast<double>(fade_);
  if (s.fade_in && p - s.start < fade_) {
    *gain = std::min(*gain, static_cast<float>((static_cast<double>(p - s.start) + 0.5) / f));
  }
  if (s.fade_out && s.end - p <= fade_) {
    *gain = std::min(*gain, static_cast<float>((static_cast<double>(s.end - p) - 0.5) / f));
  }
  return true;
}

std::vector<media::AudioBuffer> AudioCutter::Cut(const media::AudioBuffer& in) const {
  if (!has_cuts_) return {in};
  std::vector<media::AudioBuffer> out;
  const int channels = std::max(1, in.channels);
  const long long first = in.start_ms * rate_ / 1000;
  const long long frames = static_cast<long long>(in.frame_count());
  long long next = -1;  // the output position that continues the last piece
  for (long long i = 0; i < frames; ++i) {
    long long shift = 0;
    float gain = 1.0f;
    if (!Place(first + i, &shift, &gain)) continue;
    const long long at = first + i - shift;
    if (out.empty() || at != next) {
      media::AudioBuffer piece;
      piece.sample_rate_hz = in.sample_rate_hz;
      piece.channels = in.channels;
      piece.start_ms = at * 1000 / rate_;
      out.push_back(std::move(piece));
    }
    const float* sample = &in.samples[static_cast<size_t>(i * channels)];
    for (int c = 0; c < channels; ++c) out.back().samples.push_back(sample[c] * gain);
    next = at + 1;
  }
  return out;
}

}  // namespace clipthat::render
