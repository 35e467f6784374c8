// ClipPlan: the checked, resolved form of an edit list, made before any output exists.
//
// PlanClip is the renderer's validation step: it probes the source (end past the VOD), loads
// the brand template (a missing font or a logo that is not an image fails here), resolves the
// caption style (the edit list's, else the template's) and checks it, and loads the logo. The
// layout is not chosen here (that needs a look at the frames); see ResolveLayout.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "captions/caption_style.h"
#include "captions/caption_word.h"
#include "captions/karaoke_ass.h"
#include "core/result.h"
#include "formats/brand_template.h"
#include "formats/edit_list.h"
#include "media/probe.h"
#include "reframe/layout_chooser.h"
#include "render/logo_overlay.h"

namespace clipthat::render {

struct ClipPlan {
  formats::EditList edit;
  std::string origin;
  media::ProbeInfo source;
  formats::BrandTemplate brand;
  captions::CaptionStyle caption_style;
  // Clipped to the clip and its cuts, on the clip's clock (cuts taken out).
  std::vector<captions::CaptionWord> words;
  std::optional<captions::TitleCard> title;  // with the clip's title as text
  std::optional<LogoOverlay> logo;
};

// Finds a template: "" or "default" -> formats::DefaultBrandTemplate(); an existing file -> that
// file; otherwise "<dir>/<ref>.json" in the first of `template_dirs` that has it. NotFound naming
// the reference and the folders searched.
Result<formats::BrandTemplate> ResolveTemplate(const std::string& ref,
                                               const std::vector<std::string>& template_dirs);

// Validates `edit` (origin names it in errors) and resolves everything but the layout.
// Errors name the field: "clip-02: end_ms: ... is past the end of vod.mp4 (180000 ms)",
// "edit.json: template: logo.path: x.txt is not an image",
// "edit.json: captions.style.font_family: no installed font named 'Comic Foo'".
Result<ClipPlan> PlanClip(const formats::EditList& edit, std::string_view origin,
                          const std::vector<std::string>& template_dirs);

// The layout for the clip: the edit list's mode unless auto, else the template's default unless
// auto, else ChooseLayout on a face survey of the window. Split parameters come from the edit
// list's facecam/gameplay when given, else from the survey (a split forced without a facecam
// box gets one around the main face, or the top-left quarter when no face is seen).
Result<reframe::LayoutChoice> ResolveLayout(const ClipPlan& plan);

}  // namespace clipthat::render
