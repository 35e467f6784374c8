// Chat signals: per-bin chat activity (chat/chat_rate.h) moved back by the viewers' reaction
// delay so a burst lines up with what caused it. Viewers see the stream a few seconds late and
// take a few more to type, so chat lags the moment by roughly 5-10 s.
//
//   rate       counted messages per second (bots, commands, floods and echoes left out)
//   chatters   distinct chatters in a 20 s window around each second: many people reacting
//              at once, which one excited regular cannot fake
//   emotes     emotes per second, capped per message, so an emote wall counts as a few
//   keywords   messages per second with a reaction keyword ("clip it", "KEKW", "W")
//   reactions  distinct viewers reacting (laughter, hype, disbelief: chat/reactions.h) in the
//              same 20 s window
// The analysis ranks on chatters and reactions (counts, normalised by the count z); rate,
// emotes and keywords stay available for plots and tests.
#pragma once

#include "analysis/time_series.h"
#include "chat/chat_rate.h"

namespace clipthat::analysis {

struct ChatSignalOptions {
  TimeMs reaction_delay_ms = 6000;
};

struct ChatSignals {
  TimeSeries rate;
  TimeSeries chatters;
  TimeSeries emotes;
  TimeSeries keywords;
  TimeSeries reactions;
};

TimeSeries ChatRateSignal(const chat::ChatRateSeries& rate, const ChatSignalOptions& options = {});

// All five, each shifted by the reaction delay.
ChatSignals MakeChatSignals(const chat::ChatRateSeries& rate,
                            const ChatSignalOptions& options = {});

}  // namespace clipthat::analysis
