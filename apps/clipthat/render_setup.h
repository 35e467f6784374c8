// The render half of `clipthat render` and `clipthat clip`, set up one way: settings from the
// configuration and flags, the encoder chosen (NVENC or x264), edit lists checked, the render
// pool run with progress on stderr, each clip's path on stdout, an optional contact sheet.
//
// Settings (configuration file or CLIPTHAT_* environment; flags win):
//   render.encoder       auto, x264 or nvenc (default auto; --encoder)
//   render.preset        x264 preset (default veryfast; NVENC maps it to p1..p7)
//   render.crf           x264 CRF / NVENC cq (default 20)
//   render.jobs          clips rendered at once (default: cores / 2, between 2 and 4; --jobs)
//   render.threads       encoder threads per clip (default: cores / jobs; automatic when
//                        one clip renders at a time)
//   render.template_dir  where template ids are looked up (default: the templates/ folder of
//                        the source tree the binary was built from, then ./templates)
//   render.template      default template id or file (--template)
//   render.layout        auto, fill, split or fit (--layout)
//   render.fps           output frames per second (default 30)
#pragma once

#include <string>
#include <vector>

#include "app_env.h"
#include "core/result.h"
#include "formats/edit_list.h"
#include "render/clip_renderer.h"
#include "render/edits_from_moments.h"
#include "render/render_pool.h"

namespace clipthat::app {

// Flags shared by `render` and `clip`; empty / 0 values fall back to the configuration.
struct RenderFlags {
  std::string template_ref;
  std::string layout;
  std::string encoder;
  int jobs = 0;
  std::string contact_sheet;  // PNG path; empty: none
};

// Adds --template, --layout, --encoder, --jobs and --contact-sheet to `cmd`, in that order,
// stored into `flags` (which must outlive the command).
void AddRenderFlagOptions(CLI::App& cmd, RenderFlags& flags);

// Where built-in templates are looked up: the source tree's templates/ (found from the
// binary's path), then ./templates.
std::vector<std::string> DefaultTemplateDirs();

struct RenderSetup {
  render::RenderSettings settings;
  render::RenderPoolOptions pool;
  render::EditsFromMomentsOptions edits;  // template, layout, output for moments
};

// Reads settings and flags; chooses the encoder (logs the x264 fallback once). Errors name the
// configuration key or the flag.
Result<RenderSetup> LoadRenderSetup(AppEnv& env, const RenderFlags& flags);

// Renders `edits` into out_dir (clip-01.mp4, ...), every edit list validated first. Prints each
// finished clip's path on stdout, progress on stderr, one failure line per failed clip; writes
// the contact sheet when asked. Returns the exit code.
int RenderEditLists(AppEnv& env, std::string_view command, std::vector<formats::EditList> edits,
                    const std::string& out_dir, const RenderSetup& setup,
                    const std::string& contact_sheet);

}  // namespace clipthat::app
