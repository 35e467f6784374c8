#include "analysis/chat_signal.h"

namespace clipthat::analysis {

TimeSeries ChatRateSignal(const chat::ChatRateSeries& rate, const ChatSignalOptions& options) {
  TimeSeries per_bin{rate.bin_ms, rate.messages};
  return ShiftEarlier(per_bin, options.reaction_delay_ms);
}

}  // namespace clipthat::analysis
