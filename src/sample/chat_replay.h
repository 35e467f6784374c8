// ChatReplay: a synthetic Twitch chat for the sample stream, written as a TwitchDownloader chat
// replay (the format `clipthat clip --chat` reads).
//
// Background chat is a Poisson process whose rate drifts between 0.3 and 1 message per second,
// from hundreds of users of uneven activity: ordinary lines, emote-only messages, bot commands
// (!discord) with the bot's answer. A few seconds after each planted moment's peak
// (PlannedMoment::chat_burst_ms) chat bursts: many users, "clip it", "LUL", "KEKW", "POG", "W"
// (not for vocal-only moments nor decoys, where chat goes on as usual).
// Pure: the same plan and seed give the same replay.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/time_units.h"
#include "sample/stream_plan.h"

namespace clipthat::sample {

struct ChatUser {
  std::string id;            // numeric string, as Twitch user ids are
  std::string name;          // login, lower case
  std::string display_name;  // mixed case
  std::string color;         // "#RRGGBB"
  std::vector<std::pair<std::string, std::string>> badges;  // (badge, version)
};

struct ChatMessage {
  TimeMs offset_ms = 0;  // from the start of the stream
  int user = 0;          // index into ChatReplay::users
  std::string body;
};

struct ChatReplay {
  TimeMs duration_ms = 0;
  std::string streamer_name;
  std::int64_t streamer_id = 0;
  std::string video_id;
  std::string title;
  std::vector<ChatUser> users;
  std::vector<ChatMessage> messages;  // sorted by offset_ms, all inside [0, duration_ms)
};

ChatReplay GenerateChat(const StreamPlan& plan, std::uint64_t seed);

// TwitchDownloader JSON: {"FileInfo", "streamer", "video", "comments": [...]}; each comment has
// content_offset_seconds, commenter{display_name,_id,name}, message{body, fragments[{text,
// emoticon}], emoticons[], user_badges[], bits_spent, user_color}.
nlohmann::json ChatReplayToJson(const ChatReplay& replay);

}  // namespace clipthat::sample
