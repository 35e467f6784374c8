#include "analysis/evidence_timeline.h"

#include <algorithm>
#include <cmath>

namespace clipthat::analysis {
namespace {

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

}  // namespace

EvidenceTimeline SampleEvidence(const InterestCurve& curve, TimeRange range, TimeMs step_ms,
                                SampleReduce reduce) {
  EvidenceTimeline out;
  out.step_ms = std::max<TimeMs>(1, step_ms);
  out.start_ms = std::max<TimeMs>(0, range.start_ms);
  out.names = curve.names;
  out.values.assign(curve.names.size(), {});
  const TimeMs bin_ms = std::max<TimeMs>(1, curve.step_ms);
  const auto bins = static_cast<TimeMs>(curve.score.size());
  const TimeMs end_ms = std::min(range.end_ms, bins * bin_ms);
  for (TimeMs t = out.start_ms; t < end_ms; t += out.step_ms) {
    const TimeMs lo = t / bin_ms;
    const TimeMs hi =
        std::clamp<TimeMs>((std::min(t + out.step_ms, end_ms) + bin_ms - 1) / bin_ms, lo + 1, bins);
    if (reduce == SampleReduce::kMax) {
      TimeMs best = lo;
      for (TimeMs b = lo; b < hi; ++b) {
        if (curve.score[static_cast<size_t>(b)] > curve.score[static_cast<size_t>(best)]) best = b;
      }
      out.score.push_back(Round2(curve.score[static_cast<size_t>(best)]));
      for (size_t s = 0; s < curve.names.size(); ++s) {
        out.values[s].push_back(Round2(curve.contributions[s][static_cast<size_t>(best)]));
      }
      continue;
    }
    const auto n = static_cast<double>(hi - lo);
    double total = 0;
    for (TimeMs b = lo; b < hi; ++b) total += curve.score[static_cast<size_t>(b)];
    out.score.push_back(Round2(total / n));
    for (size_t s = 0; s < curve.names.size(); ++s) {
      double sum = 0;
      for (TimeMs b = lo; b < hi; ++b) sum += curve.contributions[s][static_cast<size_t>(b)];
      out.values[s].push_back(Round2(sum / n));
    }
  }
  if (out.score.empty()) {
    out.names.clear();
    out.values.clear();
  }
  return out;
}

}  // namespace clipthat::analysis
