// LiveSession: `clipthat live` and the worker's `live` jobs. Watches one live source and cuts
// a clip whenever someone asks for one:
//
//   ingest (live_ingest.h) ──► ring buffer of recent segments (segment_ring.h)
//        │ audio 16 kHz ──► level series ──► trigger spotter (speech/trigger_spotter.h:
//        │                                   keyword spotting, each hit verified) ── voice
//        │ keyframes ──► vision tick every 30 s (vision_tick.h) ───────────────── vision
//   chat (a replay played at its offsets, or live IRC) ──► chat watch (chat_watch.h) ── chat
//   trigger ──► clip window (clip_window.h) ──► planner: one clip per moment (clip_planner.h)
//          ──► once the buffer holds the window's end: cut, render (render/clip_renderer.h)
//
// Everything that happens is a line of DIR/events.jsonl (event_log.h, docs/live.md). Clips
// are DIR/clip-01.mp4, ... in the order they were asked for; each finished clip is also handed
// to hooks.on_clip. Threads: ingest, spotter, vision, chat replay and clip rendering each have
// one; a file played with realtime = false runs as fast as the slowest of them (the ingest
// waits when the spotter is more than max_ahead_ms behind, so no window leaves the buffer
// before its trigger is heard).
//
// Ends when the source ends, `duration_ms` of source has been watched, *stop becomes true, or
// hooks.on_minute refuses a minute (no credits left: the session stops with that reason, as an
// `error` event). Clips already asked for are still cut and rendered (from what the buffer
// holds) before Run returns. The source's fatal error is returned after that; an OK summary
// otherwise.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "ai/chat_client.h"
#include "chat/chat_message.h"
#include "core/log.h"
#include "core/result.h"
#include "formats/edit_list.h"
#include "live/chat_watch.h"
#include "live/clip_planner.h"
#include "live/clip_window.h"
#include "live/live_ingest.h"
#include "live/segment_ring.h"
#include "live/vision_tick.h"
#include "render/clip_renderer.h"
#include "speech/trigger_spotter.h"

namespace clipthat::live {

// A live chat feed (IRC): started with a sink for its messages (their time_ms is set by the
// session, from its clock); returns a function that stops it.
using LiveChatStarter =
    std::function<Result<std::function<void()>>(std::function<void(chat::ChatMessage)> sink)>;

struct LiveSessionOptions {
  std::string source;
  std::string out_dir;
  std::optional<chat::ChatLog> chat_replay;  // messages at their offsets from the source's start
  LiveChatStarter live_chat;                 // or a live feed
  bool realtime = true;         // files: played at real time; false: as fast as possible
  TimeMs duration_ms = 0;       // 0: until the source ends
  TimeMs max_ahead_ms = 20000;  // the ingest waits when the spotter is this far behind
  // The monitoring period charged as one minute (hooks.on_minute); tests shorten it.
  TimeMs billing_period_ms = 60000;
  LiveIngestOptions ingest;
  SegmentRingOptions ring;   // dir: empty for DIR/buffer
  bool keep_buffer = false;  // leave DIR/buffer behind at the end
  ClipWindowOptions window;
  ClipPlannerOptions planner;
  ChatWatchOptions chat;
  VisionTickOptions vision;
  std::optional<ai::ChatClient> vision_remote;
  bool voice_triggers = true;
  speech::TriggerSpotterOptions spotter;
  TimeMs phrase_ms = 800;  // a spoken trigger's assumed length (the spotter gives its start)
  // Rendering.
  render::RenderSettings render;
  formats::EditOutput output;
  formats::LayoutMode layout = formats::LayoutMode::kAuto;
  std::string template_ref;
};

struct LiveClip {
  int id = 0;
  std::string path;
  TimeMs start_ms = 0, end_ms = 0;
  std::string reason;
  TimeMs trigger_at_ms = 0;
  double latency_seconds = 0;  // wall time from the trigger being heard to the MP4 written
};

struct LiveSessionHooks {
  std::function<void(const LiveClip&)> on_clip;
  // Called as each minute of monitoring begins (1, 2, ...; a minute is
  // options.billing_period_ms of the session's clock); an error stops the session.
  std::function<Status(int minute)> on_minute;
  std::function<void(const nlohmann::json& event)> on_event;
  std::function<void(TimeMs session_ms)> on_progress;
};

struct LiveSummary {
  TimeMs watched_ms = 0;
  int triggers = 0;
  int clips = 0;
  int failed_clips = 0;
  int ticks = 0;
  int reconnects = 0;
  int minutes = 0;
  std::string stopped_because;  // "end of source", "duration", "stopped", or the refusal
};

Result<LiveSummary> RunLiveSession(const LiveSessionOptions& options, const LiveSessionHooks& hooks,
                                   const Logger& logger, const std::atomic<bool>* stop = nullptr);

}  // namespace clipthat::live
