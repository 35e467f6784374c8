// chat_scan: imports the chat replay (when the job has one), counts messages per second with
// bots, commands and floods filtered, shifts the rate back by the reaction delay and adds it
// to kSignalsSlot as "chat_rate". Without a chat replay it does nothing.
#pragma once

#include "analysis/chat_signal.h"
#include "analysis/normalize.h"
#include "chat/chat_rate.h"
#include "pipeline/stage.h"

namespace clipthat::analysis {

struct ChatScanOptions {
  chat::ChatRateOptions rate{};
  ChatSignalOptions signal{};
  double chat_weight = 1.0;
  TimeMs chat_smooth_ms = 5000;  // a reaction spreads over several seconds of typing
  RobustZOptions chat_normalize{.min_spread = 1.0};  // messages per second
};

class ChatScanStage final : public pipeline::Stage {
 public:
  explicit ChatScanStage(ChatScanOptions options = {}) : options_(std::move(options)) {}
  std::string_view name() const override { return "chat_scan"; }
  double weight() const override { return 0.1; }
  // Reads kAnalysisInputSlot, kProbeSlot; appends to kSignalsSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  ChatScanOptions options_;
};

}  // namespace clipthat::analysis
