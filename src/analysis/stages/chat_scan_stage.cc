#include "analysis/stages/chat_scan_stage.h"

#include <algorithm>

#include "analysis/stages/slots.h"
#include "chat/chat_importer.h"

namespace clipthat::analysis {

Status ChatScanStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const AnalysisInput* input, ctx.Get(kAnalysisInputSlot));
  ASSIGN_OR_RETURN(media::ProbeInfo * probe, ctx.Get(kProbeSlot));
  if (input->chat_path.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(chat::ChatLog log, chat::ImportChat(input->chat_path));
  ctx.ReportProgress(0.7);
  if (log.skipped_count > 0) {
    CT_LOG(ctx.logger(), kWarn) << input->chat_path << ": skipped " << log.skipped_count
                                << " entries without a usable time";
  }
  const bool chat_only = input->vod_path.empty();
  if (log.messages.empty()) {
    if (chat_only) return DataError(input->chat_path + ": no chat messages to rank");
    CT_LOG(ctx.logger(), kWarn) << input->chat_path
                                << ": no chat messages; analysing audio and video only";
    return Status::Ok();
  }
  if (chat_only && probe->duration_ms <= 0) {
    probe->duration_ms = log.duration_ms > 0 ? log.duration_ms : log.messages.back().time_ms + 1000;
    CT_LOG(ctx.logger(), kInfo) << input->chat_path << ": chat only, "
                                << FormatClock(probe->duration_ms)
                                << (log.duration_ms > 0 ? " (the replay's length)"
                                                        : " (to the last message)");
  }

  // Offsets past the end: the replay belongs to a longer recording (or another one).
  const TimeMs limit_ms = probe->duration_ms + options_.end_tolerance_ms;
  const size_t total = log.messages.size();
  auto first_after =
      std::find_if(log.messages.begin(), log.messages.end(),
                   [limit_ms](const chat::ChatMessage& m) { return m.time_ms > limit_ms; });
  const size_t beyond = static_cast<size_t>(log.messages.end() - first_after);
  if (beyond == total) {
    return DataError(input->chat_path + ": every chat message (" + std::to_string(total) +
                     ", from " + FormatClock(log.messages.front().time_ms) +
                     ") is after the end of " +
                     (chat_only ? std::string("--duration") : input->vod_path) + " (" +
                     FormatClock(probe->duration_ms) + "): is it the chat of another VOD?");
  }
  if (beyond > 0) {
    CT_LOG(ctx.logger(), kWarn) << input->chat_path << ": ignoring " << beyond << " of " << total
                                << " messages after the end of the "
                                << (chat_only ? "given duration" : "VOD") << " ("
                                << FormatClock(probe->duration_ms)
                                << "); is the chat from a longer recording?";
    log.messages.erase(first_after, log.messages.end());
  }
  CT_LOG(ctx.logger(), kInfo) << input->chat_path << ": " << log.messages.size() << " messages";

  const chat::ChatRateSeries rate = chat::ComputeChatRate(log, probe->duration_ms, options_.rate);
  // Unshifted: the candidates stage takes the lag out, measured from the audio when it can.
  ChatSignals signals = MakeChatSignals(rate, {.reaction_delay_ms = 0});
  if (rate.echoes_dropped > 0) {
    CT_LOG(ctx.logger(), kInfo) << input->chat_path << ": " << rate.echoes_dropped
                                << " copy-pasted messages (echoes) left out";
  }
  auto add = [&](const char* name, TimeSeries values, double weight) {
    AddSignal(ctx, {.name = name,
                    .values = std::move(values),
                    .weight = options_.chat_weight * weight,
                    .smooth_ms = options_.chat_smooth_ms,
                    .normalization = Normalization::kCountZ,
                    .count_normalize = options_.chat_normalize,
                    .lag_ms = options_.signal.reaction_delay_ms});
  };
  add("chat_chatters", std::move(signals.chatters), options_.chatters_weight);
  add("chat_reactions", std::move(signals.reactions), options_.reactions_weight);
  ctx.Set(kChatLogSlot, std::move(log));
  ctx.ReportProgress(1.0);
  return Status::Ok();
}

}  // namespace clipthat::analysis
