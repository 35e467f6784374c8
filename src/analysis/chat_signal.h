// The chat signal: counted messages per second (chat/chat_rate.h), moved back by the viewers'
// reaction delay so a burst lines up with what caused it. Viewers see the stream a few seconds
// late and take a few more to type, so chat lags the moment by roughly 5-10 s.
#pragma once

#include "analysis/time_series.h"
#include "chat/chat_rate.h"

namespace clipthat::analysis {

struct ChatSignalOptions {
  TimeMs reaction_delay_ms = 6000;
};

TimeSeries ChatRateSignal(const chat::ChatRateSeries& rate, const ChatSignalOptions& options = {});

}  // namespace clipthat::analysis
