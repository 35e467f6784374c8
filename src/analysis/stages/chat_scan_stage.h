// chat_scan: imports the chat replay (when the job has one; any format chat/chat_importer.h
// reads), measures chat activity per second with bots, commands, floods and echoes filtered,
// shifts it back by the reaction delay and adds two signals to kSignalsSlot, both counts
// normalised by the count z (normalize.h): "chat_chatters" (distinct chatters in 20 s) and
// "chat_reactions" (distinct viewers laughing, hyped or in disbelief in 20 s;
// analysis/chat_signal.h). The imported log is kept in kChatLogSlot for titles.
//
// Chat-only analysis (no VOD: kProbeSlot's path is empty and its duration 0 unless the caller
// gave one): the duration comes from the replay (its video.length), else from its last
// message; the stage writes it into kProbeSlot.
//
// Inputs that do not fit the VOD:
//   - messages after the VOD's end (a replay of a longer or another VOD): logged and ignored;
//     when every message is past the end, the stage fails naming both files;
//   - an empty chat (no messages, or an empty file): logged; the analysis runs on audio and
//     video only. Without a chat replay the stage does nothing.
#pragma once

#include "analysis/chat_signal.h"
#include "analysis/normalize.h"
#include "chat/chat_message.h"
#include "chat/chat_rate.h"
#include "pipeline/stage.h"

namespace clipthat::analysis {

// The chat messages inside the VOD, in time order (absent without a chat replay).
inline constexpr pipeline::Slot<chat::ChatLog> kChatLogSlot{"chat_log"};

struct ChatScanOptions {
  chat::ChatRateOptions rate{};
  ChatSignalOptions signal{};
  // Relative weights in the interest curve; chat_weight scales both.
  double chat_weight = 1.0;
  double chatters_weight = 1.0;
  double reactions_weight = 0.25;
  // The counts are already over a 20 s window; smoothing only evens out the 1 s bins.
  TimeMs chat_smooth_ms = 1000;
  CountZOptions chat_normalize{};
  // Replays often run a little past the recording's end; beyond this they are from elsewhere.
  TimeMs end_tolerance_ms = 5000;
};

class ChatScanStage final : public pipeline::Stage {
 public:
  explicit ChatScanStage(ChatScanOptions options = {}) : options_(std::move(options)) {}
  std::string_view name() const override { return "chat_scan"; }
  double weight() const override { return 0.1; }
  // Reads kAnalysisInputSlot, kProbeSlot; appends to kSignalsSlot; writes kChatLogSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  ChatScanOptions options_;
};

}  // namespace clipthat::analysis
