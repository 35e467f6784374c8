#include "live/irc_chat_feed.h"

#include <memory>

#include "chat/irc_chat_client.h"

namespace clipthat::live {

LiveChatStarter IrcChatFeed(chat::IrcTarget target, Logger logger) {
  return [target = std::move(target), logger = std::move(logger)](
             std::function<void(chat::ChatMessage)> sink) -> Result<std::function<void()>> {
    auto client = std::make_shared<chat::IrcChatClient>(
        target, chat::IrcChatClientOptions{}, logger, [] { return TimeMs{0}; }, std::move(sink));
    RETURN_IF_ERROR(client->Start());
    return std::function<void()>([client] { client->Stop(); });
  };
}

}  // namespace clipthat::live
