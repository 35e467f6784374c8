// Per-bin chat activity (messages, distinct chatters, emotes, reactions) of a ChatLog, with
// the noise of real channels filtered out: bot accounts, bot commands ("!points"), one user
// flooding (each user counts at most a few messages per bin; an emote wall counts as a few
// emotes), and echoes (echo_filter.h: copy-pasta, raid messages, giveaway entries count only
// their first copies). Per bin: messages, distinct chatters (in the bin and in a wider
// window), emotes, messages carrying a reaction keyword (chat_keywords.h), and distinct
// viewers reacting (reactions.h: laughter, hype, disbelief in any language), in the bin and in
// the window.
#pragma once

#include <string>
#include <vector>

#include "chat/chat_keywords.h"
#include "chat/chat_message.h"
#include "chat/echo_filter.h"
#include "chat/reactions.h"
#include "core/time_units.h"

namespace clipthat::chat {

struct ChatRateOptions {
  TimeMs bin_ms = 1000;
  // Distinct chatters (and reacting viewers) are counted over this window centred on each
  // bin: a reaction is many people writing within seconds, which a 1 s bin alone undercounts.
  // 20 s holds the whole typing burst after a moment on real chat.
  TimeMs chatters_window_ms = 20000;
  ChatKeywordOptions keywords{};
  ReactionLexicon reactions{};
  EchoOptions echoes{};
  bool filter_echoes = true;
  int max_messages_per_user_per_bin = 1;
  int max_emotes_per_message = 5;
  bool skip_commands = true;  // messages starting with '!'
  // Login names (lower case) of bots whose messages are not audience reactions.
  std::vector<std::string> ignored_users = {"nightbot",    "streamelements", "streamlabs",
                                            "moobot",      "fossabot",       "wizebot",
                                            "soundalerts", "sery_bot",       "botrixoficial"};
};

struct ChatRateSeries {
  TimeMs bin_ms = 1000;
  std::vector<double> messages;         // counted messages per bin, after filters and per-user caps
  std::vector<double> chatters;         // distinct counted users per bin
  std::vector<double> window_chatters;  // distinct counted users in chatters_window_ms around
  std::vector<double> emotes;           // emotes per bin, capped per message
  std::vector<double> keywords;         // counted messages with a reaction keyword per bin
  std::vector<double> reactions;        // distinct users whose message is a reaction, per bin
  std::vector<double> window_reactions;  // distinct reacting users in chatters_window_ms around
  int echoes_dropped = 0;                // messages left out as echoes
};

// True when `msg` is a bot's or a command and is left out of the rate.
bool IsIgnoredMessage(const ChatMessage& msg, const ChatRateOptions& options);

// Bins cover [0, duration_ms); messages outside are ignored. duration_ms <= 0 uses the last
// message's time.
ChatRateSeries ComputeChatRate(const ChatLog& log, TimeMs duration_ms,
                               const ChatRateOptions& options = {});

}  // namespace clipthat::chat
