#include "billing/prices.h"

#include <algorithm>

namespace clipthat::billing {

std::int64_t AnalysisBlocks(std::int64_t duration_ms) {
  if (duration_ms <= 0) return 1;
  return (duration_ms + kAnalysisBlockMs - 1) / kAnalysisBlockMs;
}

std::int64_t AnalysisPriceCredits(const Prices& prices, std::int64_t duration_ms) {
  const std::int64_t per_hour = std::max<std::int64_t>(0, prices.analysis_per_hour_credits);
  return (AnalysisBlocks(duration_ms) * per_hour + kBlocksPerHour - 1) / kBlocksPerHour;
}

std::int64_t AnalysisWithRendersPriceCredits(const Prices& prices, std::int64_t duration_ms,
                                             std::int64_t render_clips) {
  return AnalysisPriceCredits(prices, duration_ms) +
         std::max<std::int64_t>(0, render_clips) *
             std::max<std::int64_t>(0, prices.render_clip_credits);
}

}  // namespace clipthat::billing
