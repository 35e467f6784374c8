#include "analysis/peaks.h"

#include <algorithm>
#include <cstdlib>

namespace clipthat::analysis {

std::vector<Peak> PickPeaks(const std::vector<double>& curve, TimeMs step_ms,
                            const PeakOptions& options) {
  const size_t n = curve.size();
  std::vector<Peak> maxima;
  for (size_t i = 0; i < n;) {
    // Extent of the plateau starting at i.
    size_t j = i;
    while (j + 1 < n && curve[j + 1] == curve[i]) ++j;
    const bool rises = i == 0 || curve[i - 1] < curve[i];
    const bool falls = j + 1 == n || curve[j + 1] < curve[i];
    if (rises && falls && curve[i] >= options.min_score) {
      maxima.push_back({i, static_cast<TimeMs>(i) * step_ms + step_ms / 2, curve[i]});
    }
    i = j + 1;
  }
  // Best first; earlier first among equals so results do not depend on sort stability.
  std::sort(maxima.begin(), maxima.end(), [](const Peak& a, const Peak& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  });
  std::vector<Peak> kept;
  for (const Peak& p : maxima) {
    if (options.top_k > 0 && static_cast<int>(kept.size()) >= options.top_k) break;
    bool clear = std::all_of(kept.begin(), kept.end(), [&](const Peak& k) {
      return std::llabs(k.time_ms - p.time_ms) >= options.min_separation_ms;
    });
    if (clear) kept.push_back(p);
  }
  return kept;
}

}  // namespace clipthat::analysis
