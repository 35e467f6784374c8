// `clipthat clip VOD [--chat FILE] --out DIR [--top N]`: the whole job in one process. Runs
// the analysis pipeline, writes DIR/moments.json, renders one vertical MP4 per moment
// (DIR/clip-01.mp4, ... best first) and prints each clip's path on stdout as it is done.
//
// Settings (configuration file or CLIPTHAT_* environment; flags win):
//   clip.top                  moments to keep (default 5)
//   clip.target_ms, clip.min_ms, clip.max_ms, clip.min_separation_ms
//   chat.reaction_delay_ms    how far chat lags the stream (default 6000)
//   analysis.weight.loudness, analysis.weight.chat
//   render.fps, render.crf, render.preset, render.encoder, render.threads
#include <cstdio>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "analysis/moments_file.h"
#include "analysis/stages/analysis_pipeline.h"
#include "analysis/stages/slots.h"
#include "app_env.h"
#include "core/files.h"
#include "render/stages/render_stage.h"

namespace clipthat::app {
namespace {

struct ClipArgs {
  std::string vod;
  std::string chat;
  std::string out_dir;
  int top = 0;  // 0: from the configuration
};

// Reads every setting once; a bad value fails with a message naming the key.
Status LoadOptions(const Config& config, const ClipArgs& args, analysis::AnalysisOptions* analysis,
                   render::RenderOptions* render) {
  auto get_int = [&config](const char* key, auto* out) -> Status {
    ASSIGN_OR_RETURN(long long v, config.GetInt(key, static_cast<long long>(*out)));
    *out = static_cast<std::remove_pointer_t<decltype(out)>>(v);
    return Status::Ok();
  };
  auto get_double = [&config](const char* key, double* out) -> Status {
    ASSIGN_OR_RETURN(*out, config.GetDouble(key, *out));
    return Status::Ok();
  };
  analysis::CandidateOptions& c = analysis->candidates;
  c.peaks.top_k = 5;
  RETURN_IF_ERROR(get_int("clip.top", &c.peaks.top_k));
  if (args.top > 0) c.peaks.top_k = args.top;
  if (c.peaks.top_k <= 0) return InvalidArgumentError("config clip.top: must be at least 1");
  RETURN_IF_ERROR(get_int("clip.target_ms", &c.window.target_ms));
  RETURN_IF_ERROR(get_int("clip.min_ms", &c.window.min_ms));
  RETURN_IF_ERROR(get_int("clip.max_ms", &c.window.max_ms));
  RETURN_IF_ERROR(get_int("clip.min_separation_ms", &c.peaks.min_separation_ms));
  RETURN_IF_ERROR(get_int("chat.reaction_delay_ms", &analysis->chat.signal.reaction_delay_ms));
  RETURN_IF_ERROR(get_double("analysis.weight.loudness", &analysis->audio.loudness_weight));
  RETURN_IF_ERROR(get_double("analysis.weight.chat", &analysis->chat.chat_weight));

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

analysis::MomentsDocument MakeDocument(const ClipArgs& args, const media::ProbeInfo& probe,
                                       std::vector<analysis::Moment> moments) {
  analysis::MomentsDocument doc;
  doc.source.path = args.vod;
  doc.source.duration_ms = probe.duration_ms;
  if (const media::StreamInfo* v = probe.video()) {
    doc.source.width = v->width;
    doc.source.height = v->height;
    doc.source.fps = v->fps;
  }
  doc.source.chat_path = args.chat;
  doc.moments = std::move(moments);
  return doc;
}

// Ends a progress bar line so the next line starts clean.
void ClearProgressLine(const AppEnv& env) {
  if (!env.quiet && env.stderr_is_terminal) std::fprintf(stderr, "\r\033[K");
}

int RunClip(AppEnv& env, const ClipArgs& args) {
  analysis::AnalysisOptions analysis_options;
  render::RenderOptions render_options;
  Status st = LoadOptions(env.config, args, &analysis_options, &render_options);
  if (!st.ok()) return ReportFailure("clip", st);

  // Analysis: probe, signals, moments.
  pipeline::Context actx(env.logger.WithModule("analysis"));
  actx.Set(analysis::kAnalysisInputSlot, {args.vod, args.chat});
  pipeline::Runner analysis_runner;
  analysis::AddAnalysisStages(analysis_runner, analysis_options);
  analysis_runner.set_progress_callback(MakeProgressReporter(env, "analyze"));
  auto analysed = analysis_runner.Run(actx);
  FinishProgress(env);
  if (!analysed.ok()) return ReportFailure("clip", analysed.status());
  auto probe = actx.Get(analysis::kProbeSlot);
  auto moments = actx.Get(analysis::kMomentsSlot);
  if (!probe.ok()) return ReportFailure("clip", probe.status());
  if (!moments.ok()) return ReportFailure("clip", moments.status());

  // moments.json first: a render that fails later leaves the analysis behind.
  st = EnsureDirectory(args.out_dir);
  if (!st.ok()) return ReportFailure("clip", st);
  const std::string moments_path = (std::filesystem::path(args.out_dir) / "moments.json").string();
  st = analysis::WriteMomentsFile(moments_path, MakeDocument(args, **probe, **moments));
  if (!st.ok()) return ReportFailure("clip", st);
  if ((*moments)->empty()) {
    if (!env.quiet) std::fprintf(stderr, "clipthat clip: %s: no moments found\n", args.vod.c_str());
    return kExitOk;
  }

  // Render, one clip after another; paths go to stdout as clips finish.
  pipeline::Context rctx(env.logger.WithModule("render"));
  rctx.Set(render::kRenderInputSlot, {args.vod, args.out_dir});
  rctx.Set(analysis::kMomentsSlot, std::move(**moments));
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
  cmd->add_option("--chat", args->chat, "chat replay JSON (TwitchDownloader / v5 format)");
  cmd->add_option("--out", args->out_dir, "output folder for moments.json and the clips")
      ->required();
  cmd->add_option("--top", args->top, "how many moments to keep (default: clip.top, 5)")
      ->check(CLI::Range(1, 1000));
  cmd->callback([&env, args] { env.exit_code = RunClip(env, *args); });
}

}  // namespace clipthat::app
