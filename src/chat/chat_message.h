// ChatMessage / ChatLog: a stream's chat replay in a source-independent form.
//
// Importers (twitch_json_importer.h, later the live IRC client) produce a ChatLog; the chat
// signals (chat_rate.h) read it. Times are milliseconds from the start of the VOD.
#pragma once

#include <string>
#include <vector>

#include "core/time_units.h"

namespace clipthat::chat {

// One piece of a message: plain text or one emote (whose `text` is the emote's name).
struct ChatFragment {
  std::string text;
  bool is_emote = false;
  std::string emote_id;  // empty for text fragments
};

struct ChatMessage {
  TimeMs time_ms = 0;  // from the start of the VOD
  std::string user_id;
  std::string user_name;     // login name (lower case on Twitch)
  std::string display_name;  // as shown in chat; may differ in case or script
  std::string text;          // the whole message body
  int emote_count = 0;
  std::vector<ChatFragment> fragments;  // empty when the source has none
};

struct ChatLog {
  std::string source;                 // file the log came from, for messages
  std::vector<ChatMessage> messages;  // sorted by time_ms
  int skipped_count = 0;              // entries the importer could not use (see importer docs)
  // Length of the recording the replay belongs to, when the replay says (Twitch JSON
  // `video.length`, or `video.end` - `video.start`); 0 when unknown.
  TimeMs duration_ms = 0;
};

}  // namespace clipthat::chat
