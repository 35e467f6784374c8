// Per-bin chat activity (messages, distinct chatters, emotes) of a ChatLog, with the noise of
// real channels filtered out: bot accounts, bot commands ("!points"), and one user flooding
// (each user counts at most a few messages per bin; an emote wall counts as a few emotes).
#pragma once

#include <string>
#include <vector>

#include "chat/chat_message.h"
#include "core/time_units.h"

namespace clipthat::chat {

struct ChatRateOptions {
  TimeMs bin_ms = 1000;
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
  std::vector<double> messages;  // counted messages per bin, after filters and per-user caps
  std::vector<double> chatters;  // distinct counted users per bin
  std::vector<double> emotes;    // emotes per bin, capped per message
};

// True when `msg` is a bot's or a command and is left out of the rate.
bool IsIgnoredMessage(const ChatMessage& msg, const ChatRateOptions& options);

// Bins cover [0, duration_ms); messages outside are ignored. duration_ms <= 0 uses the last
// message's time.
ChatRateSeries ComputeChatRate(const ChatLog& log, TimeMs duration_ms,
                               const ChatRateOptions& options = {});

}  // namespace clipthat::chat
