// Prices: what analysing, rendering and live monitoring cost, in credits (whole numbers).
//
//   Prices prices;                                    // the defaults below
//   AnalysisPriceCredits(prices, 4 * kHourMs + 1)     // 4 h and a started 10-minute block: 25
//
// Analysis is priced per VOD hour, charged per started 10-minute block and rounded up to a whole
// credit: with 6 credits per hour each block costs 1; with 10 per hour a 25-minute VOD (3 blocks)
// costs ceil(30 / 6) = 5. A clip render and a live minute have flat prices. Pure functions, no
// state; the configuration keys are read by LoadBillingOptions (billing_options.h).
#pragma once

#include <cstdint>

namespace clipthat::billing {

inline constexpr std::int64_t kAnalysisBlockMs = 10 * 60 * 1000;  // one started block
inline constexpr std::int64_t kBlocksPerHour = 6;

struct Prices {
  std::int64_t analysis_per_hour_credits = 6;  // billing.price.analysis_per_hour
  std::int64_t render_clip_credits = 1;        // billing.price.render_clip
  std::int64_t live_minute_credits = 1;        // billing.price.live_minute
};

// Started 10-minute blocks of a VOD of `duration_ms` (at least 1: an empty VOD is one block).
std::int64_t AnalysisBlocks(std::int64_t duration_ms);

// The analysis price of a VOD of `duration_ms`: ceil(blocks * per_hour / 6) credits.
std::int64_t AnalysisPriceCredits(const Prices& prices, std::int64_t duration_ms);

// An analysis that renders its best `render_clips` moments: the analysis plus one render each.
std::int64_t AnalysisWithRendersPriceCredits(const Prices& prices, std::int64_t duration_ms,
                                             std::int64_t render_clips);

}  // namespace clipthat::billing
