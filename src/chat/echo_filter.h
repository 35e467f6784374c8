// Echoes: the same long line posted by many viewers within seconds: copy-pasta, a raid
// message, a giveaway or poll entry, a chant a bot started. They are one event, not many
// people reacting, so the chat signals count only the first few copies.
//
// A message is an echo when its text, normalised (ASCII lower case, runs of one character
// cut to two, spaces trimmed), is at least min_chars bytes long, is not a reaction
// (reactions.h: "ㅋㅋㅋㅋ" from a hundred viewers is a hundred laughs), and at least
// min_other_users other users posted the same text in the window_ms before it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chat/chat_message.h"
#include "chat/reactions.h"
#include "core/time_units.h"

namespace clipthat::chat {

struct EchoOptions {
  size_t min_chars = 12;    // bytes of normalised text; shorter lines are never echoes
  int min_other_users = 4;  // other users with the same text in the window before
  TimeMs window_ms = 30000;
};

// The normalised form echoes are compared in.
std::string NormaliseForEcho(std::string_view text);

// One flag per message of `log` (same order): true for an echo.
std::vector<bool> MarkEchoes(const ChatLog& log, const EchoOptions& options = {},
                             const ReactionLexicon& lexicon = {});

}  // namespace clipthat::chat
