#include "analysis/chat_signal.h"

namespace clipthat::analysis {

TimeSeries ChatRateSignal(const chat::ChatRateSeries& rate, const ChatSignalOptions& options) {
  TimeSeries per_bin{rate.bin_ms, rate.messages};
  return ShiftEarlier(per_bin, options.reaction_delay_ms);
}

ChatSignals MakeChatSignals(const chat::ChatRateSeries& rate, const ChatSignalOptions& options) {
  auto shifted = [&](const std::vector<double>& values) {
    return ShiftEarlier(TimeSeries{rate.bin_ms, values}, options.reaction_delay_ms);
  };
  return {shifted(rate.messages), shifted(rate.window_chatters), shifted(rate.emotes),
          shifted(rate.keywords), shifted(rate.window_reactions)};
}

}  // namespace clipthat::analysis
