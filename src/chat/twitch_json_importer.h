// Imports a Twitch chat replay in the TwitchDownloader / v5 API JSON format:
//
//   {"comments": [{"content_offset_seconds": 12.3,
//                  "commenter": {"display_name": "Foo", "_id": "123", "name": "foo"},
//                  "message": {"body": "hi LUL",
//                              "fragments": [{"text": "hi ", "emoticon": null},
//                                            {"text": "LUL", "emoticon": {"emoticon_id":
//                                            "425618"}}],
//                              "emoticons": [{"_id": "425618", "begin": 3, "end": 5}]}}],
//    "streamer": {...}, "video": {...}, "embeddedData": {...}}
//
// Variations accepted: a root array of comments or of v5 API pages ([{"comments": [...],
// "_next": ...}]); content_offset_seconds as a number or a numeric string, or
// contentOffsetSeconds; commenter {_id|id, name|login, display_name|displayName}; fragment
// emotes as "emoticon" {emoticon_id} or "emote" {emoteID}; a message given as a plain string.
// Emotes without markup (third-party emotes, replays without fragments) are counted by name
// (chat/emotes.h).
//
// Errors (all DataError naming the file):
//   "chat.json: not JSON: <parser message> (line L, column C)"
//   "chat.json: not a Twitch chat replay: the root has no comments[] array"
//   "chat.json: none of the N comments has a content_offset_seconds"
// Skipped, counted in ChatLog::skipped_count: comments that are not objects or lack a usable
// offset (one more than a week from the start either way is not usable); comments with neither body
// nor fragments are kept as empty text. Large, unused members (embeddedData with base64 images,
// user badges) are discarded while parsing, so a 20 MB replay with 70k messages imports in well
// under a second.
#pragma once

#include <string>
#include <string_view>

#include "chat/chat_message.h"
#include "core/result.h"

namespace clipthat::chat {

// Reads and parses `path`. Missing file: NotFound.
Result<ChatLog> ImportTwitchChatJson(const std::string& path);

// Parses a document already in memory; `origin` names it in error messages.
Result<ChatLog> ParseTwitchChatJson(std::string_view json_text, std::string_view origin);

}  // namespace clipthat::chat
