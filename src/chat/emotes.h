// Known emotes by name, for chat sources that carry no emote markup (plain text logs, replays
// without fragments). Twitch global emotes and the most used third-party (BTTV, FFZ, 7TV)
// global emotes; channel emotes are unknown without the channel's emote set.
#pragma once

#include <string_view>

namespace clipthat::chat {

// True when `word` is a known emote name. Case-sensitive, as emote names are ("LUL" is an
// emote, "lul" is not).
bool IsKnownEmote(std::string_view word);

// Emotes among the space-separated words of `text`.
int CountKnownEmotes(std::string_view text);

}  // namespace clipthat::chat
