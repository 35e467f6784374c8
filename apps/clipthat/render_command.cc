// `clipthat render VOD --moments moments.json --out DIR [--top N] [--template FILE|ID]
//  [--layout auto|fill|split|fit] [--encoder auto|x264|nvenc] [--jobs N] [--contact-sheet PNG]
//  [--write-edits DIR]`
// `clipthat render VOD --edit EDIT.json [--edit EDIT2.json ...] --out DIR`
//
// Renders moments (from `clipthat analyze`) or edit lists (docs/edit-list.md) as vertical MP4s:
// DIR/clip-01.mp4 (+ clip-01.jpg thumbnail), ... in the input's order; prints each clip's path
// on stdout as it is done, progress on stderr. Every edit list is checked before anything
// renders. VOD is the source of every clip: it replaces an edit list's "source" (an edit list
// written on another machine names another path). With --write-edits, the edit lists are
// written to that folder (edit-01.json, ...) and nothing is rendered.
// Settings: see render_setup.h.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "app_env.h"
#include "core/files.h"
#include "formats/moments_document.h"
#include "render_setup.h"

namespace clipthat::app {
namespace {

struct RenderArgs {
  std::string vod;
  std::string moments;
  std::vector<std::string> edits;
  std::string out_dir;
  std::string write_edits;
  int top = 0;
  RenderFlags flags;
};

int RunRender(AppEnv& env, const RenderArgs& args) {
  auto setup = LoadRenderSetup(env, args.flags);
  if (!setup.ok()) return ReportFailure("render", setup.status());

  std::vector<formats::EditList> edits;
  if (!args.moments.empty()) {
    auto doc = formats::ReadMomentsFile(args.moments);
    if (!doc.ok()) return ReportFailure("render", doc.status());
    render::EditsFromMomentsOptions from = setup->edits;
    from.top = args.top;
    edits = render::EditListsFromMoments(*doc, args.vod, from);
    if (edits.empty()) {
      if (!env.quiet)
        std::fprintf(stderr, "clipthat render: %s: no moments\n", args.moments.c_str());
      return kExitOk;
    }
  } else {
    for (const std::string& path : args.edits) {
      auto edit = formats::ReadEditListFile(path);
      if (!edit.ok()) return ReportFailure("render", edit.status());
      edit->source = args.vod;
      // Flags given explicitly override the edit list; otherwise it is obeyed as written.
      if (!args.flags.layout.empty()) edit->layout = setup->edits.layout;
      if (!args.flags.template_ref.empty()) edit->template_ref = args.flags.template_ref;
      edits.push_back(std::move(*edit));
    }
  }

  if (!args.write_edits.empty()) {
    Status st = EnsureDirectory(args.write_edits);
    for (size_t i = 0; st.ok() && i < edits.size(); ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "edit-%02zu.json", i + 1);
      const std::string path = (std::filesystem::path(args.write_edits) / name).string();
      st = formats::WriteEditListFile(path, edits[i]);
      if (st.ok()) std::printf("%s\n", path.c_str());
    }
    if (!st.ok()) return ReportFailure("render", st);
    return kExitOk;
  }
  return RenderEditLists(env, "render", std::move(edits), args.out_dir, *setup,
                         args.flags.contact_sheet);
}

}  // namespace

void RegisterRenderCommand(CLI::App& root, AppEnv& env) {
  auto* cmd = root.add_subcommand(
      "render", "Render moments (moments.json) or edit lists as vertical 1080x1920 clips");
  auto args = std::make_shared<RenderArgs>();
  cmd->add_option("VOD", args->vod, "the stream recording the clips come from")->required();
  auto* moments = cmd->add_option("--moments", args->moments, "moments.json from clipthat analyze");
  auto* edit =
      cmd->add_option("--edit", args->edits, "an edit list (docs/edit-list.md); repeatable");
  moments->excludes(edit);
  edit->excludes(moments);
  cmd->add_option("--out", args->out_dir, "output folder for the clips");
  cmd->add_option("--write-edits", args->write_edits,
                  "write the edit lists to this folder instead of rendering");
  cmd->add_option("--top", args->top, "render only the best N moments")->check(CLI::Range(1, 1000));
  AddRenderFlagOptions(*cmd, args->flags);
  cmd->callback([&env, args] {
    if (args->moments.empty() && args->edits.empty()) {
      throw CLI::RequiredError("--moments or --edit");
    }
    if (args->out_dir.empty() && args->write_edits.empty()) {
      throw CLI::RequiredError("--out");
    }
    env.exit_code = RunRender(env, *args);
  });
}

}  // namespace clipthat::app
