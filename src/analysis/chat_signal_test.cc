#include "analysis/chat_signal.h"

#include <gtest/gtest.h>

#include "analysis/normalize.h"

namespace clipthat::analysis {
namespace {

TEST(ChatSignal, BurstMovesBackByReactionDelayAndStandsOut) {
  chat::ChatLog log;
  for (int s = 0; s < 900; ++s) {
    const int per_second = (s >= 406 && s < 416) ? 20 : 1 + s % 3;
    for (int k = 0; k < per_second; ++k) {
      chat::ChatMessage m;
      m.time_ms = s * 1000 + k * 10;
      m.user_id = std::to_string(k);
      m.text = "LUL";
      log.messages.push_back(m);
    }
  }
  auto rate = chat::ComputeChatRate(log, 900000);
  TimeSeries sig = ChatRateSignal(rate, {.reaction_delay_ms = 6000});
  EXPECT_EQ(sig.values[400], 20);
  EXPECT_LT(sig.values[410], 20);
  TimeSeries z = RobustZScore(sig, {.min_spread = 1.0});
  EXPECT_GE(z.values[405], 8);
  EXPECT_LT(std::abs(z.values[200]), 2);
}

}  // namespace
}  // namespace clipthat::analysis
