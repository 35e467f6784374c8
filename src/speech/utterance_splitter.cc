#include "speech/utterance_splitter.h"

#include <algorithm>

namespace clipthat::speech {

std::vector<SampleRange> SplitAtQuietPoints(const float* samples, std::size_t count,
                                            int sample_rate_hz, const SplitOptions& options) {
  std::vector<SampleRange> ranges;
  if (count == 0 || sample_rate_hz <= 0) return ranges;
  auto to_samples = [&](TimeMs ms) {
    return static_cast<std::size_t>(std::max<TimeMs>(ms, 1) * sample_rate_hz / 1000);
  };
  const std::size_t frame = std::max<std::size_t>(to_samples(10), 1);
  const std::size_t max_len = std::max(to_samples(options.max_utterance_ms), frame);
  const std::size_t min_len = std::min(to_samples(options.min_utterance_ms), max_len);
  const std::size_t window_frames =
      std::max<std::size_t>(to_samples(options.quiet_window_ms) / frame, 1);

  // Energy per 10 ms frame, then a prefix sum so any window's mean costs O(1).
  const std::size_t frames = (count + frame - 1) / frame;
  std::vector<double> prefix(frames + 1, 0.0);
  for (std::size_t f = 0; f < frames; ++f) {
    double e = 0.0;
    std::size_t end = std::min(count, (f + 1) * frame);
    for (std::size_t i = f * frame; i < end; ++i) e += static_cast<double>(samples[i]) * samples[i];
    prefix[f + 1] = prefix[f] + e;
  }
  auto window_energy = [&](std::size_t center_frame) {
    std::size_t lo = center_frame >= window_frames / 2 ? center_frame - window_frames / 2 : 0;
    std::size_t hi = std::min(frames, lo + window_frames);
    return (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo);
  };

  std::size_t begin = 0;
  while (count - begin > max_len) {
    std::size_t first = (begin + min_len) / frame;
    std::size_t last = (begin + max_len) / frame;
    std::size_t best = last;
    double best_energy = window_energy(last);
    for (std::size_t f = first; f < last; ++f) {
      double e = window_energy(f);
      if (e < best_energy) {
        best_energy = e;
        best = f;
      }
    }
    std::size_t cut = std::clamp(best * frame, begin + 1, begin + max_len);
    ranges.push_back({begin, cut});
    begin = cut;
  }
  ranges.push_back({begin, count});
  return ranges;
}

}  // namespace clipthat::speech
