#include "formats/edit_list.h"

#include <algorithm>

#include "captions/caption_style.h"
#include "core/files.h"
#include "core/json_document.h"
#include "formats/field_reader.h"

namespace clipthat::formats {
namespace {

using json = nlohmann::json;

bool IsTemplateId(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

Result<SourceRect> ReadRect(const json& j, const std::string& path, const EditListLimits& l) {
  ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open(j, path));
  RETURN_IF_ERROR(f.RejectUnknown({"x", "y", "width", "height"}));
  SourceRect r;
  RETURN_IF_ERROR(f.Int("x", 0, l.max_rect_px, &r.x, Need::kRequired));
  RETURN_IF_ERROR(f.Int("y", 0, l.max_rect_px, &r.y, Need::kRequired));
  RETURN_IF_ERROR(f.Int("width", 1, l.max_rect_px, &r.width, Need::kRequired));
  RETURN_IF_ERROR(f.Int("height", 1, l.max_rect_px, &r.height, Need::kRequired));
  return r;
}

json RectToJson(const SourceRect& r) {
  return json{{"x", r.x}, {"y", r.y}, {"width", r.width}, {"height", r.height}};
}

Status ReadOutput(const FieldReader& top, const EditListLimits& l, EditOutput* out) {
  const json* o = top.Find("output");
  if (o == nullptr) return Status::Ok();
  ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open(*o, top.Path("output")));
  RETURN_IF_ERROR(f.RejectUnknown({"width", "height", "fps"}));
  RETURN_IF_ERROR(f.Int("width", l.min_output_px, l.max_output_px, &out->width));
  RETURN_IF_ERROR(f.Int("height", l.min_output_px, l.max_output_px, &out->height));
  RETURN_IF_ERROR(f.Int("fps", 1, l.max_fps, &out->fps));
  return Status::Ok();
}

Status ReadLayout(const FieldReader& top, const EditListLimits& l, EditList* edit) {
  const json* layout = top.Find("layout");
  if (layout == nullptr) return Status::Ok();
  if (layout->is_string()) {  // shorthand: "layout": "split"
    auto mode = ParseLayoutMode(layout->get<std::string>());
    if (!mode.ok()) return top.Error("layout", mode.status().message());
    edit->layout = *mode;
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open(*layout, top.Path("layout")));
  RETURN_IF_ERROR(f.RejectUnknown({"mode", "facecam", "gameplay"}));
  std::string mode_name = "auto";
  RETURN_IF_ERROR(f.String("mode", 16, &mode_name));
  auto mode = ParseLayoutMode(mode_name);
  if (!mode.ok()) return f.Error("mode", mode.status().message());
  edit->layout = *mode;
  if (const json* r = f.Find("facecam")) {
    ASSIGN_OR_RETURN(edit->facecam, ReadRect(*r, f.Path("facecam"), l));
  }
  if (const json* r = f.Find("gameplay")) {
    ASSIGN_OR_RETURN(edit->gameplay, ReadRect(*r, f.Path("gameplay"), l));
  }
  return Status::Ok();
}

Status ReadKeyframes(const FieldReader& top, const EditListLimits& l, EditList* edit) {
  const json* k = top.Find("crop_keyframes");
  if (k == nullptr) return Status::Ok();
  if (!k->is_array())
    return top.Error("crop_keyframes", "expected an array, got " + JsonTypeName(*k));
  if (k->size() > l.max_keyframes) {
    return top.Error("crop_keyframes", std::to_string(k->size()) + " keyframes, more than " +
                                           std::to_string(l.max_keyframes));
  }
  for (std::size_t i = 0; i < k->size(); ++i) {
    ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open((*k)[i], top.Path("crop_keyframes[" +
                                                                        std::to_string(i) + "]")));
    RETURN_IF_ERROR(f.RejectUnknown({"t_ms", "x", "y", "width", "height"}));
    EditCropKeyframe kf;
    const double px = l.max_rect_px;
    RETURN_IF_ERROR(f.Int("t_ms", 0, l.max_time_ms, &kf.t_ms, Need::kRequired));
    RETURN_IF_ERROR(f.Number("x", 0, px, &kf.x, Need::kRequired));
    RETURN_IF_ERROR(f.Number("y", 0, px, &kf.y, Need::kRequired));
    RETURN_IF_ERROR(f.Number("width", 0, px, &kf.width, Need::kRequired));
    RETURN_IF_ERROR(f.Number("height", 0, px, &kf.height, Need::kRequired));
    if (kf.width <= 0 || kf.height <= 0) {
      return f.Error(kf.width <= 0 ? "width" : "height", "not positive");
    }
    if (!edit->crop_keyframes.empty() && kf.t_ms <= edit->crop_keyframes.back().t_ms) {
      return f.Error("t_ms", "not after the previous keyframe's");
    }
    edit->crop_keyframes.push_back(kf);
  }
  return Status::Ok();
}

Status ReadCuts(const FieldReader& top, const EditListLimits& l, EditList* edit) {
  const json* c = top.Find("cuts");
  if (c == nullptr) return Status::Ok();
  if (!c->is_array()) return top.Error("cuts", "expected an array, got " + JsonTypeName(*c));
  if (c->size() > l.max_cuts) {
    return top.Error("cuts",
                     std::to_string(c->size()) + " cuts, more than " + std::to_string(l.max_cuts));
  }
  for (std::size_t i = 0; i < c->size(); ++i) {
    ASSIGN_OR_RETURN(FieldReader f,
                     FieldReader::Open((*c)[i], top.Path("cuts[" + std::to_string(i) + "]")));
    RETURN_IF_ERROR(f.RejectUnknown({"start_ms", "end_ms"}));
    EditCut cut;
    RETURN_IF_ERROR(f.Int("start_ms", 0, l.max_time_ms, &cut.start_ms, Need::kRequired));
    RETURN_IF_ERROR(f.Int("end_ms", 0, l.max_time_ms, &cut.end_ms, Need::kRequired));
    edit->cuts.push_back(cut);  // their order and place are CheckEditList's
  }
  return Status::Ok();
}

Status ReadCaptions(const FieldReader& top, const EditListLimits& l, EditList* edit) {
  const json* c = top.Find("captions");
  if (c == nullptr) return Status::Ok();
  ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open(*c, top.Path("captions")));
  RETURN_IF_ERROR(f.RejectUnknown({"enabled", "style", "words"}));
  RETURN_IF_ERROR(f.Bool("enabled", &edit->captions.enabled));
  if (const json* s = f.Find("style")) {
    if (!s->is_object()) return f.Error("style", "expected an object, got " + JsonTypeName(*s));
    edit->captions.style = *s;
  }
  if (const json* w = f.Find("words")) {
    if (!w->is_array()) return f.Error("words", "expected an array, got " + JsonTypeName(*w));
    if (w->size() > l.max_words) {
      return f.Error(
          "words", std::to_string(w->size()) + " words, more than " + std::to_string(l.max_words));
    }
    for (std::size_t i = 0; i < w->size(); ++i) {
      ASSIGN_OR_RETURN(FieldReader wf,
                       FieldReader::Open((*w)[i], f.Path("words[" + std::to_string(i) + "]")));
      RETURN_IF_ERROR(wf.RejectUnknown({"text", "start_ms", "end_ms", "confidence"}));
      EditWord word;
      double confidence = 1;
      RETURN_IF_ERROR(wf.String("text", l.max_word_bytes, &word.text, Need::kRequired));
      RETURN_IF_ERROR(wf.Int("start_ms", 0, l.max_time_ms, &word.start_ms, Need::kRequired));
      RETURN_IF_ERROR(wf.Int("end_ms", 0, l.max_time_ms, &word.end_ms, Need::kRequired));
      RETURN_IF_ERROR(wf.Number("confidence", 0, 1, &confidence));
      if (word.end_ms < word.start_ms) return wf.Error("end_ms", "before start_ms");
      edit->captions.words.push_back(std::move(word));
    }
    std::stable_sort(edit->captions.words.begin(), edit->captions.words.end(),
                     [](const EditWord& a, const EditWord& b) { return a.start_ms < b.start_ms; });
  }
  // The style as the renderer will use it: its fields always, its fonts when it draws words.
  if (!edit->captions.style.is_null()) {
    const std::string style_path = f.Path("style");
    ASSIGN_OR_RETURN(captions::CaptionStyle style,
                     captions::CaptionStyleFromJson(edit->captions.style, style_path));
    if (edit->captions.enabled && !edit->captions.words.empty()) {
      RETURN_IF_ERROR(captions::ValidateCaptionStyle(style, style_path));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view LayoutModeName(LayoutMode mode) {
  switch (mode) {
    case LayoutMode::kFill: return "fill";
    case LayoutMode::kSplit: return "split";
    case LayoutMode::kFit: return "fit";
    case LayoutMode::kAuto: break;
  }
  return "auto";
}

Result<LayoutMode> ParseLayoutMode(std::string_view name) {
  for (LayoutMode m :
       {LayoutMode::kAuto, LayoutMode::kFill, LayoutMode::kSplit, LayoutMode::kFit}) {
    if (name == LayoutModeName(m)) return m;
  }
  return InvalidArgumentError("layout '" + std::string(name.substr(0, 32)) +
                              "' is not auto, fill, split or fit");
}

Result<EditList> ParseEditList(const json& j, std::string_view path, const EditListRules& rules) {
  const EditListLimits& l = rules.limits;
  ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open(j, std::string(path)));
  RETURN_IF_ERROR(
      f.RejectUnknown({"version", "source", "start_ms", "end_ms", "output", "layout",
                       "crop_keyframes", "cuts", "captions", "title", "template", "moment_id"}));
  std::int64_t version = kEditListVersion;  // absent: the one version there is
  RETURN_IF_ERROR(f.Int("version", 0, 1 << 30, &version));
  if (version != kEditListVersion) {
    return f.Error("version", std::to_string(version) + " is not supported (this build reads " +
                                  std::to_string(kEditListVersion) + ")");
  }
  EditList edit;
  RETURN_IF_ERROR(f.String("source", l.max_source_bytes, &edit.source, Need::kOptional, true));
  RETURN_IF_ERROR(f.Int("start_ms", 0, l.max_time_ms, &edit.start_ms, Need::kRequired));
  RETURN_IF_ERROR(f.Int("end_ms", 0, l.max_time_ms, &edit.end_ms, Need::kRequired));
  RETURN_IF_ERROR(ReadOutput(f, l, &edit.output));
  RETURN_IF_ERROR(ReadLayout(f, l, &edit));
  RETURN_IF_ERROR(ReadKeyframes(f, l, &edit));
  RETURN_IF_ERROR(ReadCuts(f, l, &edit));
  RETURN_IF_ERROR(ReadCaptions(f, l, &edit));
  RETURN_IF_ERROR(f.String("title", l.max_title_bytes, &edit.title, Need::kOptional, true));
  const bool files = rules.template_refs == TemplateRefs::kIdsAndFiles;
  RETURN_IF_ERROR(f.String("template", files ? l.max_source_bytes : l.max_template_ref_bytes,
                           &edit.template_ref, Need::kOptional, true));
  if (!files && !edit.template_ref.empty() && !IsTemplateId(edit.template_ref)) {
    return f.Error("template", "expected a template id: 1-64 characters of a-z, 0-9, '_' or '-'");
  }
  if (f.Has("moment_id")) {
    int id = 0;
    RETURN_IF_ERROR(f.Int("moment_id", 0, l.max_moment_id, &id));
    edit.moment_id = id;
  }
  Status checked = CheckEditList(edit, "", l);
  if (!checked.ok()) {  // CheckEditList names fields from the top: put them under `path`
    std::string message = checked.message();
    if (message.starts_with(": ")) message.erase(0, 2);
    return InvalidArgumentError(path.empty() ? message : std::string(path) + "." + message);
  }
  return edit;
}

Result<EditList> EditListFromJson(const json& j, std::string_view origin,
                                  const EditListRules& rules) {
  Result<EditList> edit = ParseEditList(j, "", rules);
  if (!edit.ok()) return edit.status().WithPrefix(origin);
  return edit;
}

Status CheckEditList(const EditList& edit, std::string_view origin, const EditListLimits& limits) {
  const std::string where = std::string(origin) + ": ";
  auto bad = [&where](const std::string& field, const std::string& what) {
    return InvalidArgumentError(where + field + ": " + what);
  };
  if (edit.start_ms < 0) return bad("start_ms", std::to_string(edit.start_ms) + " is negative");
  if (edit.end_ms > limits.max_time_ms) {
    return bad("end_ms", std::to_string(edit.end_ms) + " is past the longest source (" +
                             std::to_string(limits.max_time_ms) + " ms)");
  }
  if (edit.end_ms <= edit.start_ms) {
    return bad("end_ms", std::to_string(edit.end_ms) + " is not after start_ms " +
                             std::to_string(edit.start_ms));
  }
  if (edit.cuts.size() > limits.max_cuts) {
    return bad("cuts", "more than " + std::to_string(limits.max_cuts));
  }
  for (size_t i = 0; i < edit.cuts.size(); ++i) {
    const EditCut& c = edit.cuts[i];
    const std::string name = "cuts[" + std::to_string(i) + "].";
    if (c.start_ms < edit.start_ms) {
      return bad(name + "start_ms", std::to_string(c.start_ms) + " is before the clip's start_ms " +
                                        std::to_string(edit.start_ms));
    }
    if (c.end_ms <= c.start_ms) {
      return bad(name + "end_ms",
                 std::to_string(c.end_ms) + " is not after start_ms " + std::to_string(c.start_ms));
    }
    if (c.end_ms > edit.end_ms) {
      return bad(name + "end_ms", std::to_string(c.end_ms) + " is past the clip's end_ms " +
                                      std::to_string(edit.end_ms));
    }
    if (i > 0 && c.start_ms < edit.cuts[i - 1].end_ms) {
      return bad(name + "start_ms", std::to_string(c.start_ms) + " is before the end of cuts[" +
                                        std::to_string(i - 1) + "] (" +
                                        std::to_string(edit.cuts[i - 1].end_ms) +
                                        "): cuts are in order and do not overlap");
    }
  }
  // The length limits hold for what the viewer sees: the window less its cuts.
  const TimeMs kept_ms = edit.kept_duration_ms();
  const bool cut = !edit.cuts.empty();
  const std::string length = cut ? "the clip keeps " + std::to_string(kept_ms) + " ms of " +
                                       std::to_string(edit.duration_ms()) + " after its cuts"
                                 : "the clip is " + std::to_string(kept_ms) + " ms long";
  if (kept_ms < limits.min_clip_ms) {
    return bad(cut ? "cuts" : "end_ms",
               length + ", shorter than " + std::to_string(limits.min_clip_ms) + " ms");
  }
  if (kept_ms > limits.max_clip_ms) {
    return bad(cut ? "cuts" : "end_ms",
               length + ", longer than " + std::to_string(limits.max_clip_ms) + " ms");
  }
  if (edit.duration_ms() > limits.max_window_ms) {
    return bad("end_ms", "the window is " + std::to_string(edit.duration_ms()) +
                             " ms long with its cuts, longer than " +
                             std::to_string(limits.max_window_ms) + " ms");
  }
  const EditOutput& o = edit.output;
  const std::string range =
      std::to_string(limits.min_output_px) + ".." + std::to_string(limits.max_output_px);
  if (o.width < limits.min_output_px || o.width > limits.max_output_px || o.width % 2) {
    return bad("output.width", std::to_string(o.width) + " is not even in " + range);
  }
  if (o.height < limits.min_output_px || o.height > limits.max_output_px || o.height % 2) {
    return bad("output.height", std::to_string(o.height) + " is not even in " + range);
  }
  if (o.fps < 1 || o.fps > limits.max_fps) {
    return bad("output.fps",
               std::to_string(o.fps) + " is not in 1.." + std::to_string(limits.max_fps));
  }
  if (edit.crop_keyframes.size() > limits.max_keyframes) {
    return bad("crop_keyframes", "more than " + std::to_string(limits.max_keyframes));
  }
  for (size_t i = 0; i < edit.crop_keyframes.size(); ++i) {
    const EditCropKeyframe& k = edit.crop_keyframes[i];
    const std::string name = "crop_keyframes[" + std::to_string(i) + "].";
    if (k.t_ms < 0) return bad(name + "t_ms", "negative");
    if (k.x < 0 || k.y < 0) return bad(name + (k.x < 0 ? "x" : "y"), "negative");
    if (k.width <= 0 || k.height <= 0) {
      return bad(name + (k.width <= 0 ? "width" : "height"), "not positive");
    }
  }
  if (edit.captions.words.size() > limits.max_words) {
    return bad("captions.words", "more than " + std::to_string(limits.max_words));
  }
  for (size_t i = 0; i < edit.captions.words.size(); ++i) {
    const EditWord& w = edit.captions.words[i];
    const std::string name = "captions.words[" + std::to_string(i) + "].";
    if (w.start_ms < 0) return bad(name + "start_ms", "negative");
    if (w.end_ms < w.start_ms) return bad(name + "end_ms", "before start_ms");
  }
  return Status::Ok();
}

nlohmann::ordered_json EditListToJson(const EditList& e) {
  nlohmann::ordered_json j;
  j["version"] = kEditListVersion;
  j["source"] = e.source;
  j["start_ms"] = e.start_ms;
  j["end_ms"] = e.end_ms;
  j["output"] = {{"width", e.output.width}, {"height", e.output.height}, {"fps", e.output.fps}};
  nlohmann::ordered_json layout;
  layout["mode"] = LayoutModeName(e.layout);
  if (e.facecam) layout["facecam"] = RectToJson(*e.facecam);
  if (e.gameplay) layout["gameplay"] = RectToJson(*e.gameplay);
  j["layout"] = layout;
  nlohmann::ordered_json keys = nlohmann::ordered_json::array();
  for (const EditCropKeyframe& k : e.crop_keyframes) {
    keys.push_back(
        {{"t_ms", k.t_ms}, {"x", k.x}, {"y", k.y}, {"width", k.width}, {"height", k.height}});
  }
  j["crop_keyframes"] = keys;
  if (!e.cuts.empty()) {  // left out when none, as documents without cuts were written before
    nlohmann::ordered_json cuts = nlohmann::ordered_json::array();
    for (const EditCut& c : e.cuts)
      cuts.push_back({{"start_ms", c.start_ms}, {"end_ms", c.end_ms}});
    j["cuts"] = cuts;
  }
  nlohmann::ordered_json captions;
  captions["enabled"] = e.captions.enabled;
  if (!e.captions.style.is_null()) captions["style"] = e.captions.style;
  nlohmann::ordered_json words = nlohmann::ordered_json::array();
  for (const EditWord& w : e.captions.words) {
    words.push_back({{"text", w.text}, {"start_ms", w.start_ms}, {"end_ms", w.end_ms}});
  }
  captions["words"] = words;
  j["captions"] = captions;
  j["title"] = e.title;
  if (!e.template_ref.empty()) j["template"] = e.template_ref;
  if (e.moment_id) j["moment_id"] = *e.moment_id;
  return j;
}

Result<EditList> ReadEditListFile(const std::string& path, const EditListRules& rules) {
  ASSIGN_OR_RETURN(json j, ReadJsonFile(path));
  return EditListFromJson(j, path, rules);
}

Status WriteEditListFile(const std::string& path, const EditList& edit) {
  return WriteFileAtomically(path, EditListToJson(edit).dump(2) + "\n");
}

Status CheckEditListAgainstSource(const EditList& edit, const SourceFacts& source,
                                  std::string_view origin) {
  const std::string where = std::string(origin) + ": ";
  const std::string name = source.name.empty() ? std::string("the source") : source.name;
  if (source.duration_ms > 0) {
    if (edit.start_ms >= source.duration_ms) {
      return InvalidArgumentError(where + "start_ms: " + std::to_string(edit.start_ms) +
                                  " is past the end of " + name + " (" +
                                  std::to_string(source.duration_ms) + " ms)");
    }
    if (edit.end_ms > source.duration_ms) {
      return InvalidArgumentError(where + "end_ms: " + std::to_string(edit.end_ms) +
                                  " is past the end of " + name + " (" +
                                  std::to_string(source.duration_ms) + " ms)");
    }
  }
  if (source.width <= 0 || source.height <= 0) return Status::Ok();
  const int w = source.width, h = source.height;
  const std::string frame = std::to_string(w) + "x" + std::to_string(h) + " frame";
  for (const auto& [rect, field] :
       {std::pair{&edit.facecam, "facecam"}, std::pair{&edit.gameplay, "gameplay"}}) {
    const std::optional<SourceRect>& r = *rect;
    if (r && (r->x + r->width > w || r->y + r->height > h)) {
      return InvalidArgumentError(where + "layout." + field + ": " + std::to_string(r->x) + "," +
                                  std::to_string(r->y) + " " + std::to_string(r->width) + "x" +
                                  std::to_string(r->height) + " is outside the " + frame);
    }
  }
  for (size_t i = 0; i < edit.crop_keyframes.size(); ++i) {
    const EditCropKeyframe& k = edit.crop_keyframes[i];
    if (k.x + k.width > w + 0.5 || k.y + k.height > h + 0.5) {
      return InvalidArgumentError(where + "crop_keyframes[" + std::to_string(i) +
                                  "]: the crop reaches outside the " + frame);
    }
  }
  return Status::Ok();
}

TimeMs EditList::kept_duration_ms() const {
  TimeMs kept_ms = duration_ms();
  for (const EditCut& c : cuts) kept_ms -= c.end_ms - c.start_ms;
  return kept_ms;
}

std::vector<EditWord> WordsInClip(const EditList& edit) {
  std::vector<EditWord> out;
  for (const EditWord& w : edit.captions.words) {
    if (w.end_ms <= edit.start_ms || w.start_ms >= edit.end_ms) continue;
    EditWord c = w;
    c.start_ms = std::max(c.start_ms, edit.start_ms);
    c.end_ms = std::min(c.end_ms, edit.end_ms);
    // Cuts are sorted: a start inside a run of touching cuts moves to the run's end, an end
    // inside one moves back to its start.
    for (const EditCut& cut : edit.cuts) {
      if (c.start_ms >= cut.start_ms && c.start_ms < cut.end_ms) c.start_ms = cut.end_ms;
    }
    for (auto it = edit.cuts.rbegin(); it != edit.cuts.rend(); ++it) {
      if (c.end_ms > it->start_ms && c.end_ms <= it->end_ms) c.end_ms = it->start_ms;
    }
    const bool emptied = c.end_ms < c.start_ms || (c.end_ms == c.start_ms && w.end_ms > w.start_ms);
    if (emptied) continue;  // wholly inside a cut
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace clipthat::formats
