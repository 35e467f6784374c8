// Splits long audio into utterances of bounded length, cutting at the quietest point so that
// words are rarely cut. Decoders see 10–30 s at a time, which bounds their memory and latency.
#pragma once

#include <cstddef>
#include <vector>

#include "core/time_units.h"

namespace clipthat::speech {

struct SplitOptions {
  TimeMs min_utterance_ms = 10000;  // a cut is never closer than this to the previous one
  TimeMs max_utterance_ms = 30000;  // nor further than this
  TimeMs quiet_window_ms = 300;     // energy is averaged over this window to find the cut
};

// Half-open sample range [begin, end).
struct SampleRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Covers [0, count) with consecutive ranges; each but the last is between min and max long,
// and ends at the lowest-energy point of its allowed window. Empty input gives no ranges.
std::vector<SampleRange> SplitAtQuietPoints(const float* samples, std::size_t count,
                                            int sample_rate_hz, const SplitOptions& options);

}  // namespace clipthat::speech
