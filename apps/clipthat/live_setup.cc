#include "live_setup.h"

#include <cctype>

#include "chat/chat_importer.h"
#include "live/irc_chat_feed.h"

namespace clipthat::app {

Result<live::LiveSessionOptions> LoadLiveOptions(AppEnv& env, const LiveArgs& args) {
  live::LiveSessionOptions o;
  o.source = args.source;
  o.out_dir = args.out_dir;
  o.realtime = args.speed == "realtime";
  o.duration_ms = SecondsToMs(args.duration_s);
  o.keep_buffer = args.keep_buffer;
  o.voice_triggers = !args.no_voice;
  const Config& c = env.config;
  ASSIGN_OR_RETURN(o.ring.segment_ms, c.GetInt("live.segment_ms", 2000));
  ASSIGN_OR_RETURN(o.ring.keep_ms, c.GetInt("live.keep_ms", 600000));
  ASSIGN_OR_RETURN(o.ring.max_bytes, c.GetInt("live.max_buffer_bytes", 4LL << 30));
  ASSIGN_OR_RETURN(o.vision.interval_ms, c.GetInt("live.vision_interval_ms", 30000));
  ASSIGN_OR_RETURN(o.window.post_roll_ms, c.GetInt("live.post_roll_ms", 3000));
  ASSIGN_OR_RETURN(o.ingest.stall_timeout_ms, c.GetInt("live.stall_timeout_ms", 15000));
  ASSIGN_OR_RETURN(o.billing_period_ms, c.GetInt("live.billing_period_ms", 60000));
  if (o.ring.segment_ms < 500 || o.ring.keep_ms < 60000 || o.vision.interval_ms < 1000 ||
      o.window.post_roll_ms < 0 || o.ingest.stall_timeout_ms < 1000 || o.billing_period_ms < 1000) {
    return InvalidArgumentError(
        "config live.*: segment_ms >= 500, keep_ms >= 60000, vision_interval_ms >= 1000, "
        "post_roll_ms >= 0, stall_timeout_ms >= 1000, billing_period_ms >= 1000");
  }
  if (!args.no_voice) {
    ASSIGN_OR_RETURN(o.spotter, speech::TriggerSpotterOptionsFromConfig(c));
  }
  if (!c.GetString("vision.base_url", "").empty()) {
    ASSIGN_OR_RETURN(ai::ChatClient client, ai::ChatClient::FromConfig(c, "vision"));
    o.vision_remote.emplace(std::move(client));
  }
  std::string chat_arg = args.chat;
  if (chat_arg.empty() && live::IsTwitchUrl(args.source)) {
    // A Twitch channel's own chat, read anonymously, unless --chat says otherwise.
    std::string name = args.source.substr(args.source.find("twitch.tv/") + 10);
    name = name.substr(0, name.find_first_of("/?#"));
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!name.empty() && name.size() <= 25 &&
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos) {
      chat_arg = "irc://irc.chat.twitch.tv:6667/#" + name;
    }
  }
  if (chat_arg == "none") chat_arg.clear();
  if (!chat_arg.empty()) {
    if (chat_arg.rfind("irc://", 0) == 0 || chat_arg.rfind("ircs://", 0) == 0) {
      ASSIGN_OR_RETURN(chat::IrcTarget target, chat::ParseIrcUrl(chat_arg));
      if (target.tls)
        return UnsupportedError("--chat " + chat_arg +
                                ": ircs:// (TLS) is not supported yet; use irc://");
      o.live_chat = live::IrcChatFeed(target, env.logger.WithModule("chat"));
    } else {
      ASSIGN_OR_RETURN(chat::ChatLog log, chat::ImportChat(chat_arg));
      o.chat_replay = std::move(log);
    }
  }
  ASSIGN_OR_RETURN(RenderSetup setup, LoadRenderSetup(env, args.render));
  o.render = setup.settings;
  // A live clip is wanted now: a faster x264 preset than the VOD renders' (NVENC maps it too).
  o.render.preset = c.GetString("live.preset", "superfast");
  if (o.render.preset.empty()) return InvalidArgumentError("config live.preset: empty");
  o.output = setup.edits.output;
  o.layout = setup.edits.layout;
  o.template_ref = setup.edits.template_ref;
  return o;
}

}  // namespace clipthat::app
