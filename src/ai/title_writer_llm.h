// LLM titles: asks a chat model (chat_client.h) for a short title for one moment.
//
// The caller falls back to the extractive title on any error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ai/chat_client.h"
#include "core/result.h"

namespace clipthat::ai {

inline constexpr std::size_t kMaxTitleChars = 60;  // in characters (UTF-8 code points)

// Asks `client` for {"title": string} given the words spoken in the moment and the chat
// messages that stood out in it, and returns the title cleaned by CleanTitle(). Errors: those of
// ChatClient::Complete; InvalidArgument when both inputs are empty; DataError when nothing usable
// is left after cleaning.
Result<std::string> WriteLlmTitle(const ChatClient& client, std::string_view transcript,
                                  const std::vector<std::string>& chat_highlights);

// Makes a model's title fit for a clip: one line, no surrounding quotes, no emote codes
// (KEKW, :emote:), hashtags, emoji or profanity placeholders (f***, [censored]), no word
// fragments, at most `max_chars` characters cut at a word boundary. May return "".
std::string CleanTitle(std::string_view raw, std::size_t max_chars = kMaxTitleChars);

}  // namespace clipthat::ai
