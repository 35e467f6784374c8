// The plain text chat log importer (chat/chat_text_importer.h). Properties: an imported log is
// sorted by time with no negative times; writing its messages back as "[H:MM:SS.f] user: text"
// lines and importing them again gives the same messages; a document whose first line is a chat
// line is detected as a text log (chat/chat_importer.h) and read the same way.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "chat/chat_importer.h"
#include "chat/chat_text_importer.h"
#include "fuzz_check.h"

using clipthat::chat::ChatFormat;
using clipthat::chat::ChatLog;

namespace {

// The clock a log line carries, with the fraction in as few digits as it needs.
std::string Clock(clipthat::TimeMs ms) {
  char clock[64];
  const long long s = ms / 1000, fraction = ms % 1000;
  std::snprintf(clock, sizeof clock, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  std::string out = clock;
  if (fraction != 0) {
    std::snprintf(clock, sizeof clock, ".%03lld", fraction);
    std::string digits = clock;
    while (digits.back() == '0') digits.pop_back();
    out += digits;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto log = clipthat::chat::ParseChatTextLog(text, "log.txt");
  if (!log.ok()) {
    FUZZ_CHECK(log.status().message().starts_with("log.txt: "));
    return 0;
  }
  std::string written;
  bool writable = true;
  for (std::size_t i = 0; i < log->messages.size(); ++i) {
    const auto& m = log->messages[i];
    FUZZ_CHECK(m.time_ms >= 0);
    FUZZ_CHECK(m.emote_count >= 0);
    if (i > 0) FUZZ_CHECK(log->messages[i - 1].time_ms <= m.time_ms);
    const std::string clock = Clock(m.time_ms);
    writable = writable && clock.size() <= 15;  // the importer reads clocks of up to 15 bytes
    written += "[" + clock + "] " + m.display_name + ": " + m.text + "\n";
  }
  if (writable && !log->messages.empty()) {
    auto again = clipthat::chat::ParseChatTextLog(written, "again.txt");
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->skipped_count == 0);
    FUZZ_CHECK(again->messages.size() == log->messages.size());
    for (std::size_t i = 0; i < log->messages.size(); ++i) {
      const auto &a = log->messages[i], &b = again->messages[i];
      FUZZ_CHECK(a.time_ms == b.time_ms);
      FUZZ_CHECK(a.display_name == b.display_name);
      FUZZ_CHECK(a.user_name == b.user_name);
      FUZZ_CHECK(a.text == b.text);
      FUZZ_CHECK(a.emote_count == b.emote_count);
    }
  }
  if (clipthat::chat::LooksLikeChatTextLog(text)) {
    FUZZ_CHECK(clipthat::chat::DetectChatFormat(text) == ChatFormat::kTextLog);
    auto detected = clipthat::chat::ParseChat(text, "log.txt");
    FUZZ_CHECK(detected.ok());
    FUZZ_CHECK(detected->messages.size() == log->messages.size());
  }
  return 0;
}
