#include "analysis/stages/titles_stage.h"

#include "analysis/stages/chat_scan_stage.h"
#include "analysis/stages/slots.h"

namespace clipthat::analysis {

Status TitlesStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(std::vector<Moment> * moments, ctx.Get(kMomentsSlot));
  static const std::vector<chat::ChatMessage> kNoChat;
  const std::vector<chat::ChatMessage>* chat = &kNoChat;
  if (ctx.Has(kChatLogSlot)) {
    ASSIGN_OR_RETURN(const chat::ChatLog* log, ctx.Get(kChatLogSlot));
    chat = &log->messages;
  }
  for (size_t i = 0; i < moments->size(); ++i) {
    if (ctx.cancelled()) return CancelledError("titles cancelled");
    Moment& m = (*moments)[i];
    m.title = ExtractiveTitle(m, *chat, options_.extractive);
    if (options_.llm_title) {
      auto llm = options_.llm_title(m, m.title);
      if (llm.ok() && !llm->empty()) {
        m.title = CleanTitle(*llm, options_.extractive.max_chars);
        if (m.title.empty()) m.title = ExtractiveTitle(m, *chat, options_.extractive);
      } else if (!llm.ok()) {
        CT_LOG(ctx.logger(), kWarn) << "moment " << m.id << ": LLM title failed ("
                                    << llm.status().message() << "); using the extractive title";
      }
    }
    ctx.ReportProgress(static_cast<double>(i + 1) / static_cast<double>(moments->size()));
  }
  return Status::Ok();
}

}  // namespace clipthat::analysis
