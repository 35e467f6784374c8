// IrcChatFeed: a live session's chat from an IRC channel (chat/irc_chat_client.h: Twitch's
// anonymous read-only login, or any plain IRC server), as a LiveChatStarter. The session
// stamps each message with its own clock.
//
//   ASSIGN_OR_RETURN(chat::IrcTarget target, chat::ParseIrcUrl("irc://irc.chat.twitch.tv/#name"));
//   options.live_chat = IrcChatFeed(target, logger);
#pragma once

#include "chat/irc_url.h"
#include "core/log.h"
#include "live/live_session.h"

namespace clipthat::live {

LiveChatStarter IrcChatFeed(chat::IrcTarget target, Logger logger);

}  // namespace clipthat::live
