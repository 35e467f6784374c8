// `clipthat live SOURCE --out DIR [--chat irc://HOST[:PORT]/#channel | --chat FILE]
//  [--speed realtime|fast] [--duration SECONDS]`: watches a live stream (or plays a file as
// one) and cuts a clip whenever the streamer says a trigger phrase, chat asks for one, or the
// remote vision model calls a moment clip-worthy. Writes DIR/events.jsonl and DIR/clip-NN.mp4,
// printing each clip's path on stdout as it is written (docs/live.md).
//
// SIGINT / SIGTERM: stop watching, finish the clips already asked for, exit 0.
//
// Settings (configuration file or CLIPTHAT_* environment; flags win):
//   speech.trigger.*   the voice trigger (docs/triggers.md)
//   live.segment_ms, live.keep_ms, live.max_buffer_bytes, live.vision_interval_ms,
//   live.post_roll_ms, live.stall_timeout_ms, live.preset (x264 preset of live clips,
//   default superfast: the clip is wanted while the stream goes on)
//   vision.base_url    a remote vision model for the tick (vision.model, vision.api_key)
//   render.*           see render_setup.h
#include <csignal>
#include <cstdio>
#include <memory>

#include "app_env.h"
#include "live/live_session.h"
#include "live_setup.h"

namespace clipthat::app {
namespace {

std::atomic<bool> g_live_stop{false};

void OnLiveStopSignal(int) { g_live_stop.store(true); }

int RunLive(AppEnv& env, const LiveArgs& args) {
  auto options = LoadLiveOptions(env, args);
  if (!options.ok()) return ReportFailure("live", options.status());

  struct sigaction action {};
  action.sa_handler = OnLiveStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);

  live::LiveSessionHooks hooks;
  hooks.on_clip = [](const live::LiveClip& clip) {
    std::printf("%s\n", clip.path.c_str());
    std::fflush(stdout);
  };
  TimeMs last_report_ms = -60000;
  int clips_reported = 0;
  if (!env.quiet) {
    hooks.on_event = [&](const nlohmann::json& e) {
      const std::string kind = e.value("event", "");
      if (kind == "trigger" || kind == "error" || kind == "clip") {
        std::fprintf(stderr, "clipthat live: %s %s: %s\n",
                     FormatClock(e.value("at_ms", 0LL)).c_str(), kind.c_str(),
                     kind == "trigger" ? e.value("reason", "").c_str()
                     : kind == "clip"  ? e.value("path", "").c_str()
                                       : e.value("error", "").c_str());
        if (kind == "clip") ++clips_reported;
      }
    };
    hooks.on_progress = [&](TimeMs ms) {
      if (ms - last_report_ms < 60000) return;
      last_report_ms = ms;
      std::fprintf(stderr, "clipthat live: %s watched\n", FormatClock(ms).c_str());
    };
  }
  std::string last_error;
  if (hooks.on_event) {
    hooks.on_event = [print = hooks.on_event, &last_error](const nlohmann::json& e) {
      if (e.value("event", "") == "error") last_error = e.value("error", "");
      print(e);
    };
  }
  auto summary = live::RunLiveSession(*options, hooks, env.logger, &g_live_stop);
  if (!summary.ok()) {
    if (last_error == summary.status().message()) return kExitFailure;  // already printed
    return ReportFailure("live", summary.status());
  }
  if (!env.quiet) {
    std::fprintf(stderr,
                 "clipthat live: %s: watched %s, %d triggers, %d clips (%d failed), %d vision "
                 "ticks; stopped: %s\n",
                 args.source.c_str(), FormatClock(summary->watched_ms).c_str(), summary->triggers,
                 summary->clips, summary->failed_clips, summary->ticks,
                 summary->stopped_because.c_str());
  }
  return kExitOk;
}

}  // namespace

void RegisterLiveCommand(CLI::App& root, AppEnv& env) {
  auto* cmd = root.add_subcommand(
      "live", "Watch a live stream and cut a clip whenever someone asks for one");
  auto args = std::make_shared<LiveArgs>();
  cmd->add_option("SOURCE", args->source,
                  "HLS URL, rtmp:// or srt:// URL, Twitch channel URL, or a file (played as live)")
      ->required();
  cmd->add_option("--out", args->out_dir, "output folder: events.jsonl and clip-NN.mp4")
      ->required();
  cmd->add_option("--chat", args->chat,
                  "chat: a replay file played at its offsets (Twitch JSON or text log), or "
                  "irc://HOST[:PORT]/#channel (a Twitch channel URL reads its own chat unless "
                  "--chat none)");
  cmd->add_option("--speed", args->speed,
                  "files: realtime (default) or fast (as fast as the machine goes)")
      ->check(CLI::IsMember({"realtime", "fast"}));
  cmd->add_option("--duration", args->duration_s, "stop after this many seconds of the source")
      ->check(CLI::Range(0.0, 7.0 * 24 * 3600));
  cmd->add_flag("--keep-buffer", args->keep_buffer, "leave the segment buffer in DIR/buffer");
  cmd->add_flag("--no-voice", args->no_voice, "no voice triggers (chat and vision only)");
  cmd->add_option("--template", args->render.template_ref, "brand template id or file");
  cmd->add_option("--layout", args->render.layout, "auto (default), fill, split or fit");
  cmd->add_option("--encoder", args->render.encoder, "auto (default), x264 or nvenc");
  cmd->callback([&env, args] { env.exit_code = RunLive(env, *args); });
}

}  // namespace clipthat::app
