// `clipthat clip VOD [--chat FILE] --out DIR [--top N]`: the whole job in one process. Runs
// the analysis pipeline, writes DIR/moments.json, renders one vertical MP4 per moment
// (DIR/clip-01.mp4, ... best first) and prints each clip's path on stdout as it is done.
//
// Settings (configuration file or CLIPTHAT_* environment; flags win):
//   clip.top                  moments to keep (default 5); analysis settings: analysis_setup.h
//   render.*                  see render_setup.h
#include <cstdio>
#include <filesystem>
#include <memory>

#include "analysis_setup.h"
#include "app_env.h"
#include "core/files.h"
#include "formats/moments_document.h"
#include "render_setup.h"

namespace clipthat::app {
namespace {

struct ClipArgs {
  std::string vod;
  std::string chat;
  std::string out_dir;
  int top = 0;          // 0: from the configuration
  std::string backend;  // empty: speech.backend
  RenderFlags render;
};

int RunClip(AppEnv& env, const ClipArgs& args) {
  // Render settings first: a bad one fails before the long analysis.
  auto setup = LoadRenderSetup(env, args.render);
  if (!setup.ok()) return ReportFailure("clip", setup.status());

  // Analysis: the same setup as `clipthat analyze`.
  auto doc = RunAnalysis(env, "clip",
                         {.vod = args.vod,
                          .chat = args.chat,
                          .top = args.top,
                          .default_top = 5,
                          .backend = args.backend,
                          .progress = nullptr});
  if (!doc.ok()) return ReportFailure("clip", doc.status());

  // moments.json first: a render that fails later leaves the analysis behind.
  Status st = EnsureDirectory(args.out_dir);
  if (!st.ok()) return ReportFailure("clip", st);
  const std::string moments_path = (std::filesystem::path(args.out_dir) / "moments.json").string();
  st = formats::WriteMomentsFile(moments_path, *doc);
  if (!st.ok()) return ReportFailure("clip", st);
  if (doc->moments.empty()) {
    if (!env.quiet) std::fprintf(stderr, "clipthat clip: %s: no moments found\n", args.vod.c_str());
    return kExitOk;
  }

  // Render through the pool; paths go to stdout as clips finish.
  std::vector<formats::EditList> edits = render::EditListsFromMoments(*doc, args.vod, setup->edits);
  return RenderEditLists(env, "clip", std::move(edits), args.out_dir, *setup,
                         args.render.contact_sheet);
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
  AddRenderFlagOptions(*cmd, args->render);
  cmd->callback([&env, args] { env.exit_code = RunClip(env, *args); });
}

}  // namespace clipthat::app
