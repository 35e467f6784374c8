#include "analysis/stages/chat_scan_stage.h"

#include "analysis/stages/slots.h"
#include "chat/twitch_json_importer.h"

namespace clipthat::analysis {

Status ChatScanStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const AnalysisInput* input, ctx.Get(kAnalysisInputSlot));
  ASSIGN_OR_RETURN(const media::ProbeInfo* probe, ctx.Get(kProbeSlot));
  if (input->chat_path.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(chat::ChatLog log, chat::ImportTwitchChatJson(input->chat_path));
  ctx.ReportProgress(0.8);
  if (log.skipped_count > 0) {
    CT_LOG(ctx.logger(), kWarn) << input->chat_path << ": skipped " << log.skipped_count
                                << " comments without a usable content_offset_seconds";
  }
  CT_LOG(ctx.logger(), kInfo) << input->chat_path << ": " << log.messages.size() << " messages";
  const chat::ChatRateSeries rate = chat::ComputeChatRate(log, probe->duration_ms, options_.rate);
  AddSignal(ctx, {.name = "chat_rate",
                  .values = ChatRateSignal(rate, options_.signal),
                  .weight = options_.chat_weight,
                  .smooth_ms = options_.chat_smooth_ms,
                  .normalize = options_.chat_normalize});
  ctx.ReportProgress(1.0);
  return Status::Ok();
}

}  // namespace clipthat::analysis
