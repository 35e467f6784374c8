#include "render/clip_plan.h"

#include <filesystem>

#include "formats/clip_timeline.h"
#include "vision/face_survey.h"

namespace clipthat::render {
namespace {

namespace fs = std::filesystem;

media::CropRect ToCrop(const formats::SourceRect& r) { return {r.x, r.y, r.width, r.height}; }

}  // namespace

Result<formats::BrandTemplate> ResolveTemplate(const std::string& ref,
                                               const std::vector<std::string>& template_dirs) {
  if (ref.empty() || ref == "default") return formats::DefaultBrandTemplate();
  if (ref.find('/') != std::string::npos || ref.ends_with(".json")) {
    return formats::LoadBrandTemplate(ref);
  }
  ASSIGN_OR_RETURN(fs::path file, formats::FindTemplateFile(ref, template_dirs));
  return formats::LoadBrandTemplate(file);
}

Result<ClipPlan> PlanClip(const formats::EditList& edit, std::string_view origin,
                          const std::vector<std::string>& template_dirs) {
  const std::string where = std::string(origin) + ": ";
  ClipPlan plan;
  plan.edit = edit;
  plan.origin = std::string(origin);
  if (edit.source.empty()) return InvalidArgumentError(where + "source: missing");
  RETURN_IF_ERROR(formats::CheckEditList(edit, origin));

  // The source: it must exist, have video, and hold the whole window.
  auto probe = media::Probe(edit.source);
  if (!probe.ok()) return probe.status().WithPrefix(std::string(origin) + ": source");
  plan.source = std::move(*probe);
  RETURN_IF_ERROR(media::RequireVideo(plan.source).WithPrefix(std::string(origin) + ": source"));
  RETURN_IF_ERROR(
      formats::CheckEditListAgainstSource(edit,
                                          {edit.source, plan.source.duration_ms,
                                           plan.source.video()->width, plan.source.video()->height},
                                          origin));

  // The template: fonts and the logo image are checked by loading it.
  auto brand = ResolveTemplate(edit.template_ref, template_dirs);
  if (!brand.ok()) return brand.status().WithPrefix(std::string(origin) + ": template");
  plan.brand = std::move(*brand);
  if (edit.layout == formats::LayoutMode::kAuto) {
    auto mode = formats::ParseLayoutMode(plan.brand.default_layout);
    if (!mode.ok()) {
      return InvalidArgumentError(where + "template: default_layout: " + mode.status().message());
    }
  }

  // Captions: the edit list's style wins over the template's.
  plan.caption_style = plan.brand.caption_style;
  if (!edit.captions.style.is_null()) {
    ASSIGN_OR_RETURN(plan.caption_style,
                     captions::CaptionStyleFromJson(edit.captions.style, where + "captions.style"));
  }
  if (edit.captions.enabled && !edit.captions.words.empty()) {
    RETURN_IF_ERROR(captions::ValidateCaptionStyle(plan.caption_style, where + "captions.style"));
  }
  if (edit.captions.enabled) {
    const formats::ClipTimeline timeline(edit);
    for (const formats::EditWord& word : timeline.ToClipClock(formats::WordsInClip(edit))) {
      plan.words.push_back({word.text, word.start_ms, word.end_ms});
    }
  }
  if (plan.brand.title_card && plan.brand.title_card->duration_ms > 0 && !edit.title.empty()) {
    plan.title = *plan.brand.title_card;
    plan.title->text = edit.title;
  }
  if (plan.brand.logo) {
    auto logo = LogoOverlay::Load(*plan.brand.logo, edit.output.width, edit.output.height);
    if (!logo.ok()) return logo.status().WithPrefix(std::string(origin) + ": template");
    plan.logo = std::move(*logo);
  }
  return plan;
}

Result<reframe::LayoutChoice> ResolveLayout(const ClipPlan& plan) {
  const formats::EditList& edit = plan.edit;
  formats::LayoutMode mode = edit.layout;
  std::string why = "the edit list";
  if (mode == formats::LayoutMode::kAuto) {
    ASSIGN_OR_RETURN(mode, formats::ParseLayoutMode(plan.brand.default_layout));
    why = "the template";
  }
  reframe::LayoutChoice choice;
  if (mode == formats::LayoutMode::kFill || mode == formats::LayoutMode::kFit) {
    choice.layout =
        mode == formats::LayoutMode::kFill ? reframe::Layout::kFill : reframe::Layout::kFit;
    choice.reason = std::string(formats::LayoutModeName(mode)) + " set by " + why;
    return choice;
  }
  if (mode == formats::LayoutMode::kSplit && edit.facecam) {
    choice.layout = reframe::Layout::kSplit;
    choice.split.facecam = ToCrop(*edit.facecam);
    if (edit.gameplay) choice.split.gameplay = ToCrop(*edit.gameplay);
    choice.reason = "split set by " + why + ", facecam from the edit list";
    return choice;
  }

  // Look at the faces in the window.
  ASSIGN_OR_RETURN(vision::FaceDetector detector, vision::FaceDetector::Open());
  ASSIGN_OR_RETURN(vision::FaceSurvey survey,
                   vision::SurveyFaces(edit.source, edit.start_ms, edit.end_ms, detector));
  const int w = plan.source.video()->width, h = plan.source.video()->height;
  if (mode == formats::LayoutMode::kSplit) {
    choice.layout = reframe::Layout::kSplit;
    if (survey.main_face) {
      choice.split.facecam = reframe::FacecamRegion(survey);  // its frame, or a box around it
      choice.reason = "split set by " + why + ", facecam around the main face";
    } else {
      choice.split.facecam = {0, 0, (w / 3) & ~1, (h / 3) & ~1};
      choice.reason = "split set by " + why + ", no face seen: facecam is the top-left third";
    }
  } else {
    choice = reframe::ChooseLayout(survey);
    if (choice.layout == reframe::Layout::kSplit && edit.facecam) {
      choice.split.facecam = ToCrop(*edit.facecam);
    }
  }
  if (choice.layout == reframe::Layout::kSplit && edit.gameplay) {
    choice.split.gameplay = ToCrop(*edit.gameplay);
  }
  return choice;
}

}  // namespace clipthat::render
