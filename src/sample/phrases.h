// Phrases: the word pools the sample stream draws from (streamer talk, excited reactions, chat
// messages, user name parts, Twitch emotes).
#pragma once

#include <string>
#include <vector>

namespace clipthat::sample {

struct Emote {
  std::string name;
  std::string id;  // Twitch emote id; empty for third-party emotes (plain text in replays)
};

const std::vector<std::string>& CalmStreamerLines();
const std::vector<std::string>& ExcitedStreamerLines();
// Excited lines that hold a trigger phrase: `{}` is replaced by "clip that" or "clip it".
const std::vector<std::string>& TriggerLineTemplates();

const std::vector<std::string>& ChatLines();
const std::vector<std::string>& BurstChatLines();
const std::vector<std::string>& BotCommands();
const std::vector<std::string>& UserNameParts();
const std::vector<Emote>& Emotes();
// Emotes chat spams when something happens.
const std::vector<std::string>& HypeEmoteNames();

}  // namespace clipthat::sample
