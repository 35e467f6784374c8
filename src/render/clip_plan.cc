#include "render/clip_plan.h"

#include <filesystem>

#include "vision/face_survey.h"

namespace clipthat::render {
namespace {

namespace fs = std::filesystem;

media::CropRect ToCrop(const SourceRect& r) { return {r.x, r.y, r.width, r.height}; }

Status CheckRectInFrame(const std::optional<SourceRect>& r, const char* field, int w, int h,
                        const std::string& where) {
  if (!r) return Status::Ok();
  if (r->x + r->width > w || r->y + r->height > h) {
    return InvalidArgumentError(where + "layout." + field + ": " + std::to_string(r->x) + "," +
                                std::to_string(r->y) + " " + std::to_string(r->width) + "x" +
                                std::to_string(r->height) + " is outside the " + std::to_string(w) +
                                "x" + std::to_string(h) + " frame");
  }
  return Status::Ok();
}

}  // namespace

Result<BrandTemplate> ResolveTemplate(const std::string& ref,
                                      const std::vector<std::string>& template_dirs) {
  if (ref.empty() || ref == "default") return DefaultBrandTemplate();
  std::error_code ec;
  if (ref.find('/') != std::string::npos || ref.ends_with(".json")) {
    return LoadBrandTemplate(ref);
  }
  std::string searched;
  for (const std::string& dir : template_dirs) {
    const fs::path candidate = fs::path(dir) / (ref + ".json");
    if (fs::is_regular_file(candidate, ec)) return LoadBrandTemplate(candidate);
    searched += (searched.empty() ? "" : ", ") + dir;
  }
  return NotFoundError("no template '" + ref + "' (not a file; looked in " +
                       (searched.empty() ? std::string("no template folders") : searched) + ")");
}

Result<ClipPlan> PlanClip(const EditList& edit, std::string_view origin,
                          const std::vector<std::string>& template_dirs) {
  const std::string where = std::string(origin) + ": ";
  ClipPlan plan;
  plan.edit = edit;
  plan.origin = std::string(origin);
  if (edit.source.empty()) return InvalidArgumentError(where + "source: missing");
  RETURN_IF_ERROR(CheckEditList(edit, origin));

  // The source: it must exist, have video, and hold the whole window.
  auto probe = media::Probe(edit.source);
  if (!probe.ok()) return probe.status().WithPrefix(std::string(origin) + ": source");
  plan.source = std::move(*probe);
  RETURN_IF_ERROR(media::RequireVideo(plan.source).WithPrefix(std::string(origin) + ": source"));
  RETURN_IF_ERROR(CheckEditListAgainstSource(edit, plan.source.duration_ms, origin));
  const int w = plan.source.video()->width, h = plan.source.video()->height;
  RETURN_IF_ERROR(CheckRectInFrame(edit.facecam, "facecam", w, h, where));
  RETURN_IF_ERROR(CheckRectInFrame(edit.gameplay, "gameplay", w, h, where));
  for (size_t i = 0; i < edit.crop_keyframes.size(); ++i) {
    const EditCropKeyframe& k = edit.crop_keyframes[i];
    if (k.x + k.width > w + 0.5 || k.y + k.height > h + 0.5) {
      return InvalidArgumentError(where + "crop_keyframes[" + std::to_string(i) +
                                  "]: the crop reaches outside the " + std::to_string(w) + "x" +
                                  std::to_string(h) + " frame");
    }
  }

  // The template: fonts and the logo image are checked by loading it.
  auto brand = ResolveTemplate(edit.template_ref, template_dirs);
  if (!brand.ok()) return brand.status().WithPrefix(std::string(origin) + ": template");
  plan.brand = std::move(*brand);
  if (edit.layout == LayoutMode::kAuto) {
    auto mode = ParseLayoutMode(plan.brand.default_layout);
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
    for (const EditWord& word : WordsInClip(edit)) {
      plan.words.push_back({word.text, word.start_ms - edit.start_ms, word.end_ms - edit.start_ms});
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
  const EditList& edit = plan.edit;
  LayoutMode mode = edit.layout;
  std::string why = "the edit list";
  if (mode == LayoutMode::kAuto) {
    ASSIGN_OR_RETURN(mode, ParseLayoutMode(plan.brand.default_layout));
    why = "the template";
  }
  reframe::LayoutChoice choice;
  if (mode == LayoutMode::kFill || mode == LayoutMode::kFit) {
    choice.layout = mode == LayoutMode::kFill ? reframe::Layout::kFill : reframe::Layout::kFit;
    choice.reason = std::string(LayoutModeName(mode)) + " set by " + why;
    return choice;
  }
  if (mode == LayoutMode::kSplit && edit.facecam) {
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
  if (mode == LayoutMode::kSplit) {
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
