// The Twitch chat replay importer (chat/twitch_json_importer.h), as users upload it
// (POST /v1/vods/{id}/chat, clipthat analyze --chat). Properties: an imported log is sorted by
// time, its times lie within a week of the start (what any VOD can have), its emote counts are
// not negative, and format detection (chat/chat_importer.h) reads the document the same way.
#include <cstdint>
#include <string_view>

#include "chat/chat_importer.h"
#include "chat/twitch_json_importer.h"
#include "fuzz_check.h"

using clipthat::chat::ChatFormat;
using clipthat::chat::ChatLog;

namespace {

constexpr clipthat::TimeMs kWeekMs = 7LL * 24 * 3600 * 1000;

void CheckLog(const ChatLog& log) {
  FUZZ_CHECK(log.skipped_count >= 0);
  FUZZ_CHECK(log.duration_ms >= 0 && log.duration_ms <= kWeekMs);
  for (std::size_t i = 0; i < log.messages.size(); ++i) {
    const auto& m = log.messages[i];
    FUZZ_CHECK(m.time_ms >= -kWeekMs && m.time_ms <= kWeekMs);
    FUZZ_CHECK(m.emote_count >= 0);
    if (i > 0) FUZZ_CHECK(log.messages[i - 1].time_ms <= m.time_ms);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto log = clipthat::chat::ParseTwitchChatJson(text, "chat.json");
  if (!log.ok()) {
    FUZZ_CHECK(log.status().message().starts_with("chat.json"));
  } else {
    CheckLog(*log);
  }
  if (clipthat::chat::DetectChatFormat(text) == ChatFormat::kTwitchJson) {
    auto detected = clipthat::chat::ParseChat(text, "chat.json");
    FUZZ_CHECK(detected.ok() == log.ok());
    if (detected.ok()) FUZZ_CHECK(detected->messages.size() == log->messages.size());
  }
  return 0;
}
