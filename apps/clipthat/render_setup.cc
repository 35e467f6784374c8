#include "render_setup.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "pipeline/runner.h"
#include "render/contact_sheet.h"
#include "render/encoder_select.h"
#include "render/stages/render_stage.h"

namespace clipthat::app {
namespace {

namespace fs = std::filesystem;

void ClearProgressLine(const AppEnv& env) {
  if (!env.quiet && env.stderr_is_terminal) std::fprintf(stderr, "\r\033[K");
}

}  // namespace

// The templates/ folder of the source tree: the binary lives in <tree>/<build>/apps/clipthat.
std::vector<std::string> DefaultTemplateDirs() {
  std::vector<std::string> dirs;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path tree = exe.parent_path().parent_path().parent_path().parent_path();
    if (fs::is_directory(tree / "templates", ec)) dirs.push_back((tree / "templates").string());
  }
  dirs.push_back("templates");
  return dirs;
}

void AddRenderFlagOptions(CLI::App& cmd, RenderFlags& flags) {
  cmd.add_option("--template", flags.template_ref,
                 "brand template: a built-in id (templates/) or a JSON file");
  cmd.add_option("--layout", flags.layout, "auto (default), fill, split or fit")
      ->check(CLI::IsMember({"auto", "fill", "split", "fit"}));
  cmd.add_option("--encoder", flags.encoder,
                 "auto (NVENC when a GPU answers, else x264), x264 or nvenc")
      ->check(CLI::IsMember({"auto", "x264", "nvenc"}));
  cmd.add_option("--jobs", flags.jobs, "clips rendered at once (default: from cores)")
      ->check(CLI::Range(1, 64));
  cmd.add_option("--contact-sheet", flags.contact_sheet,
                 "also write a PNG with 4 frames of each clip");
}

Result<RenderSetup> LoadRenderSetup(AppEnv& env, const RenderFlags& flags) {
  const Config& config = env.config;
  RenderSetup setup;
  render::RenderSettings& s = setup.settings;
  auto get_int = [&config](const char* key, auto* out) -> Status {
    ASSIGN_OR_RETURN(long long v, config.GetInt(key, static_cast<long long>(*out)));
    *out = static_cast<std::remove_pointer_t<decltype(out)>>(v);
    return Status::Ok();
  };
  RETURN_IF_ERROR(get_int("render.fps", &setup.edits.output.fps));
  RETURN_IF_ERROR(get_int("render.crf", &s.crf));
  RETURN_IF_ERROR(get_int("render.threads", &s.threads));
  RETURN_IF_ERROR(get_int("render.jobs", &setup.pool.jobs));
  if (flags.jobs > 0) setup.pool.jobs = flags.jobs;
  setup.pool.threads_per_clip = s.threads;
  s.preset = config.GetString("render.preset", s.preset);
  if (setup.edits.output.fps <= 0 || setup.edits.output.fps > 120) {
    return InvalidArgumentError("config render.fps: " + std::to_string(setup.edits.output.fps) +
                                " is not between 1 and 120");
  }
  if (s.crf < 0 || s.crf > 51) {
    return InvalidArgumentError("config render.crf: " + std::to_string(s.crf) +
                                " is not between 0 and 51");
  }

  const std::string encoder =
      flags.encoder.empty() ? config.GetString("render.encoder", "auto") : flags.encoder;
  auto choice = render::ParseEncoderChoice(encoder);
  if (!choice.ok()) {
    return choice.status().WithPrefix(flags.encoder.empty() ? "config render.encoder"
                                                            : "--encoder");
  }
  ASSIGN_OR_RETURN(s.video_encoder,
                   render::SelectVideoEncoder(*choice, env.logger.WithModule("render")));

  const std::string layout =
      flags.layout.empty() ? config.GetString("render.layout", "auto") : flags.layout;
  auto mode = formats::ParseLayoutMode(layout);
  if (!mode.ok()) {
    return mode.status().WithPrefix(flags.layout.empty() ? "config render.layout" : "--layout");
  }
  setup.edits.layout = *mode;
  setup.edits.template_ref =
      flags.template_ref.empty() ? config.GetString("render.template", "") : flags.template_ref;
  const std::string dir = config.GetString("render.template_dir", "");
  if (!dir.empty()) s.template_dirs.push_back(dir);
  for (std::string& d : DefaultTemplateDirs()) s.template_dirs.push_back(std::move(d));
  s.logger = env.logger.WithModule("render");
  return setup;
}

int RenderEditLists(AppEnv& env, std::string_view command, std::vector<formats::EditList> edits,
                    const std::string& out_dir, const RenderSetup& setup,
                    const std::string& contact_sheet) {
  pipeline::Context ctx(env.logger.WithModule("render"));
  ctx.Set(render::kRenderInputSlot, {out_dir});
  ctx.Set(render::kEditListsSlot, std::move(edits));
  render::RenderStageOptions options;
  options.settings = setup.settings;
  options.pool = setup.pool;
  options.on_clip_done = [&env](const render::ClipResult& r, int total) {
    ClearProgressLine(env);
    if (r.status.ok()) {
      std::printf("%s\n", r.path.c_str());
      std::fflush(stdout);
    }
    if (!env.quiet) {
      if (r.status.ok()) {
        std::fprintf(stderr, "render: clip %d/%d done: %s, %s, %.1f s of video in %.1f s\n",
                     r.index + 1, total, std::string(reframe::LayoutName(r.render.layout)).c_str(),
                     r.render.encoder.c_str(), r.render.duration_ms / 1000.0, r.render.seconds);
      } else {
        std::fprintf(stderr, "render: clip %d/%d failed\n", r.index + 1, total);
      }
    }
  };
  pipeline::Runner runner;
  runner.Add(std::make_unique<render::RenderStage>(std::move(options)));
  runner.set_progress_callback(MakeProgressReporter(env, "render"));
  auto ran = runner.Run(ctx);
  FinishProgress(env);
  ClearProgressLine(env);

  auto results = ctx.Get(render::kClipResultsSlot);
  if (!results.ok()) return ReportFailure(command, ran.ok() ? results.status() : ran.status());
  int exit_code = kExitOk;
  std::vector<render::ContactSheetClip> sheet;
  for (const render::ClipResult& r : **results) {
    if (!r.status.ok()) {
      exit_code = ReportFailure(command, r.status);
      continue;
    }
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", r.render.duration_ms / 1000.0);
    std::string label = fs::path(r.path).stem().string() + "  " +
                        std::string(reframe::LayoutName(r.render.layout)) + "  " + seconds;
    if (r.moment_id > 0) label += "  moment " + std::to_string(r.moment_id);
    sheet.push_back({r.path, label});
  }
  if (!contact_sheet.empty() && !sheet.empty()) {
    Status st = render::WriteContactSheet(sheet, contact_sheet);
    if (!st.ok()) return ReportFailure(command, st);
    if (!env.quiet) std::fprintf(stderr, "render: contact sheet %s\n", contact_sheet.c_str());
  }
  return exit_code;
}

}  // namespace clipthat::app
