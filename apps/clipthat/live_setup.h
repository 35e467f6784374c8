// The options of a live session, loaded from `clipthat live`'s flags and the configuration:
// shared by `clipthat live` and the worker's live jobs (worker_setup.cc).
//
// Settings (configuration file or CLIPTHAT_* environment; the arguments win):
//   speech.trigger.*   the voice trigger (docs/triggers.md)
//   live.segment_ms, live.keep_ms, live.max_buffer_bytes, live.vision_interval_ms,
//   live.post_roll_ms, live.stall_timeout_ms, live.preset (x264 preset of live clips,
//   default superfast: the clip is wanted while the stream goes on),
//   live.billing_period_ms (the monitoring period charged as one minute, default 60000, at
//   least 1000; tests shorten it)
//   vision.base_url    a remote vision model for the tick (vision.model, vision.api_key)
//   render.*           see render_setup.h
#pragma once

#include <string>

#include "app_env.h"
#include "core/result.h"
#include "live/live_session.h"
#include "render_setup.h"

namespace clipthat::app {

struct LiveArgs {
  std::string source;
  std::string out_dir;
  std::string chat;
  std::string speed = "realtime";
  double duration_s = 0;
  bool keep_buffer = false;
  bool no_voice = false;
  RenderFlags render;
};

// Errors name the configuration key or the argument that is wrong. `chat`: irc://HOST[:PORT]/#ch
// (a live IRC feed; ircs:// is refused), a replay file, "none", or empty (a Twitch channel
// URL as the source then reads that channel's own chat).
Result<live::LiveSessionOptions> LoadLiveOptions(AppEnv& env, const LiveArgs& args);

}  // namespace clipthat::app
