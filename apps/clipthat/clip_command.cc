// `clipthat clip VOD [--chat FILE] --out DIR [--top N]`: the whole job in one process. Runs
// the analysis pipeline, writes DIR/moments.json, renders one vertical MP4 per moment
// (DIR/clip-01.mp4, ... best first) and prints each clip's path on stdout as it is done.
//
// Settings (configuration file or CLIPTHAT_* environment; flags win):
//   clip.top                  moments to keep (default 5); analysis settings: analysis_setup.h
//   render.fps, render.crf, render.preset, render.encoder, render.threads
#include <cstdio>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "analysis/moments_file.h"
#include "analysis/stages/slots.h"
#include "analysis_setup.h"
#include "app_env.h"
#include "core/files.h"
#include "render/stages/render_stage.h"

namespace clipthat::app {
namespace {

struct ClipArgs {
  std::string vod;
  std::string chat;
  std::string out_dir;
  int top = 0;          // 0: from the configuration
  std::string backend;  // empty: speech.backend
};

// Reads every render setting once; a bad value fails with a message naming the key.
Status LoadRenderOptions(const Config& config, render::RenderOptions* render) {
  auto get_int = [&config](const char* key, auto* out) -> Status {
    ASSIGN_OR_RETURN(long long v, config.GetInt(key, static_cast<long long>(*out)));
    *out = static_cast<std::remove_pointer_t<decltype(out)>>(v);
    return Status::Ok();
  };
  RETURN_IF_ERROR(get_int("render.fps", &render->fps));
  RETURN_IF_ERROR(get_int("render.crf", &render->crf));
  RETURN_IF_ERROR(get_int("render.threads", &render->threads));
  render->preset = config.GetString("render.preset", render->preset);
  render->video_encoder = config.GetString("render.encoder", render->video_encoder);
  if (render->fps <= 0 || render->fps > 120) {
    return InvalidArgumentError("config render.fps: " + std::to_string(render->fps) +
                                " is not between 1 and 120");
  }
  return Status::Ok();
}

// Ends a progress bar line so the next line starts clean.
void ClearProgressLine(const AppEnv& env) {
  if (!env.quiet && env.stderr_is_terminal) std::fprintf(stderr, "\r\033[K");
}

int RunClip(AppEnv& env, const ClipArgs& args) {
  render::RenderOptions render_options;
  Status st = LoadRenderOptions(env.config, &render_options);
  if (!st.ok()) return ReportFailure("clip", st);

  // Analysis: the same setup as `clipthat analyze`.
  auto doc = RunAnalysis(env, "clip",
                         {.vod = args.vod,
                          .chat = args.chat,
                          .top = args.top,
                          .default_top = 5,
                          .backend = args.backend});
  if (!doc.ok()) return ReportFailure("clip", doc.status());

  // moments.json first: a render that fails later leaves the analysis behind.
  st = EnsureDirectory(args.out_dir);
  if (!st.ok()) return ReportFailure("clip", st);
  const std::string moments_path = (std::filesystem::path(args.out_dir) / "moments.json").string();
  st = analysis::WriteMomentsFile(moments_path, *doc);
  if (!st.ok()) return ReportFailure("clip", st);
  if (doc->moments.empty()) {
    if (!env.quiet) std::fprintf(stderr, "clipthat clip: %s: no moments found\n", args.vod.c_str());
    return kExitOk;
  }

  // Render, one clip after another; paths go to stdout as clips finish.
  pipeline::Context rctx(env.logger.WithModule("render"));
  rctx.Set(render::kRenderInputSlot, {args.vod, args.out_dir});
  rctx.Set(analysis::kMomentsSlot, std::move(doc->moments));
  render::RenderStageOptions stage_options;
  stage_options.render = render_options;
  stage_options.on_clip_done = [&env](const render::ClipResult& r, int index, int count) {
    ClearProgressLine(env);
    if (r.status.ok()) {
      std::printf("%s\n", r.path.c_str());
      std::fflush(stdout);
    }
    if (!env.quiet) {
      std::fprintf(stderr, "render: clip %d/%d %s (%.1f s)\n", index + 1, count,
                   r.status.ok() ? "done" : "failed", r.seconds);
    }
  };
  pipeline::Runner render_runner;
  render_runner.Add(std::make_unique<render::RenderStage>(std::move(stage_options)));
  render_runner.set_progress_callback(MakeProgressReporter(env, "render"));
  auto rendered = render_runner.Run(rctx);
  FinishProgress(env);
  ClearProgressLine(env);
  if (!rendered.ok()) return ReportFailure("clip", rendered.status());

  // Some clips failed, others are done: one line per failure, exit 1.
  auto results = rctx.Get(render::kClipResultsSlot);
  if (!results.ok()) return ReportFailure("clip", results.status());
  int exit_code = kExitOk;
  for (const render::ClipResult& r : **results) {
    if (!r.status.ok()) exit_code = ReportFailure("clip", r.status.WithPrefix(r.path));
  }
  return exit_code;
}

}  // namespace

void RegisterClipCommand(CLI::App& root, AppEnv& env) {
  auto* cmd = root.add_subcommand(
      "clip", "Find the best moments of a stream recording and render them as vertical clips");
  auto args = std::make_shared<ClipArgs>();
  cmd->add_option("VOD", args->vod, "stream recording (any format FFmpeg reads)")->required();
  // Not checked here: a missing chat file is a failure naming it (exit 1), like a missing VOD.
  cmd->add_option(
      "--chat", args->chat,
      "chat replay: Twitch JSON (TwitchDownloader / v5) or a '[H:MM:SS] user: text' log");
  cmd->add_option("--out", args->out_dir, "output folder for moments.json and the clips")
      ->required();
  cmd->add_option("--top", args->top, "how many moments to keep (default: clip.top, 5)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--backend", args->backend,
                  "speech recognition: sphinx (embedded), remote or none (default: speech.backend)")
      ->check(CLI::IsMember({"sphinx", "remote", "none"}));
  cmd->callback([&env, args] { env.exit_code = RunClip(env, *args); });
}

}  // namespace clipthat::app
