#include "billing/prices.h"

#include <gtest/gtest.h>

namespace clipthat::billing {
namespace {

constexpr std::int64_t kMinuteMs = 60 * 1000;

TEST(PricesTest, AnalysisIsChargedPerStartedTenMinuteBlock) {
  Prices prices;  // 6 per hour: one credit a block
  EXPECT_EQ(AnalysisPriceCredits(prices, 0), 1);
  EXPECT_EQ(AnalysisPriceCredits(prices, 1), 1);
  EXPECT_EQ(AnalysisPriceCredits(prices, 10 * kMinuteMs), 1);
  EXPECT_EQ(AnalysisPriceCredits(prices, 10 * kMinuteMs + 1), 2);
  EXPECT_EQ(AnalysisPriceCredits(prices, 60 * kMinuteMs), 6);
  EXPECT_EQ(AnalysisPriceCredits(prices, 4 * 60 * kMinuteMs + 1), 25);
}

TEST(PricesTest, HourlyPricesThatDoNotDivideIntoBlocksRoundUp) {
  Prices prices;
  prices.analysis_per_hour_credits = 10;
  EXPECT_EQ(AnalysisPriceCredits(prices, 25 * kMinuteMs), 5);  // 3 blocks: 30/6
  EXPECT_EQ(AnalysisPriceCredits(prices, 5 * kMinuteMs), 2);   // 1 block: 10/6 -> 2
  EXPECT_EQ(AnalysisPriceCredits(prices, 60 * kMinuteMs), 10);
  prices.analysis_per_hour_credits = 0;
  EXPECT_EQ(AnalysisPriceCredits(prices, 60 * kMinuteMs), 0);
}

TEST(PricesTest, RendersAddTheirFlatPrice) {
  Prices prices;
  prices.render_clip_credits = 2;
  EXPECT_EQ(AnalysisWithRendersPriceCredits(prices, 60 * kMinuteMs, 3), 6 + 6);
  EXPECT_EQ(AnalysisWithRendersPriceCredits(prices, 60 * kMinuteMs, 0), 6);
  EXPECT_EQ(AnalysisWithRendersPriceCredits(prices, 60 * kMinuteMs, -4), 6);
}

}  // namespace
}  // namespace clipthat::billing
