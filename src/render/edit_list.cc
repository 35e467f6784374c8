#include "render/edit_list.h"

#include <algorithm>

#include "core/files.h"
#include "core/json_document.h"

namespace clipthat::render {
namespace {

using json = nlohmann::json;

// Field readers that turn a missing or mistyped value into a message naming the field.
class Fields {
 public:
  Fields(const json& obj, std::string prefix) : obj_(obj), prefix_(std::move(prefix)) {}

  const json* Find(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() || it->is_null() ? nullptr : &*it;
  }
  template <typename T>
  Status Int(const char* key, T* out, bool required) const {
    const json* v = Find(key);
    if (v == nullptr) return required ? Bad(key, "missing") : Status::Ok();
    if (!v->is_number_integer()) return Bad(key, "not an integer");
    *out = v->get<T>();
    return Status::Ok();
  }
  Status Number(const char* key, double* out, bool required) const {
    const json* v = Find(key);
    if (v == nullptr) return required ? Bad(key, "missing") : Status::Ok();
    if (!v->is_number()) return Bad(key, "not a number");
    *out = v->get<double>();
    return Status::Ok();
  }
  Status String(const char* key, std::string* out, bool required) const {
    const json* v = Find(key);
    if (v == nullptr) return required ? Bad(key, "missing") : Status::Ok();
    if (!v->is_string()) return Bad(key, "not a string");
    *out = v->get<std::string>();
    return Status::Ok();
  }
  Status Bool(const char* key, bool* out) const {
    const json* v = Find(key);
    if (v == nullptr) return Status::Ok();
    if (!v->is_boolean()) return Bad(key, "not true or false");
    *out = v->get<bool>();
    return Status::Ok();
  }
  Status Bad(const std::string& key, const std::string& what) const {
    return InvalidArgumentError(prefix_ + key + ": " + what);
  }
  std::string Name(const std::string& key) const { return prefix_ + key; }

 private:
  const json& obj_;
  std::string prefix_;  // "edit.json: layout."
};

Result<SourceRect> ReadRect(const json& j, const std::string& prefix) {
  if (!j.is_object()) return InvalidArgumentError(prefix + ": not an object");
  Fields f(j, prefix + ".");
  long long v[4] = {0, 0, 0, 0};
  const char* keys[4] = {"x", "y", "width", "height"};
  for (int i = 0; i < 4; ++i) RETURN_IF_ERROR(f.Int(keys[i], &v[i], true));
  if (v[0] < 0 || v[1] < 0) return f.Bad(v[0] < 0 ? "x" : "y", "negative");
  if (v[2] <= 0 || v[3] <= 0) return f.Bad(v[2] <= 0 ? "width" : "height", "not positive");
  return SourceRect{static_cast<int>(v[0]), static_cast<int>(v[1]), static_cast<int>(v[2]),
                    static_cast<int>(v[3])};
}

json RectToJson(const SourceRect& r) {
  return json{{"x", r.x}, {"y", r.y}, {"width", r.width}, {"height", r.height}};
}

Status ReadOutput(const Fields& top, EditOutput* out) {
  const json* o = top.Find("output");
  if (o == nullptr) return Status::Ok();
  if (!o->is_object()) return top.Bad("output", "not an object");
  Fields f(*o, top.Name("output."));
  long long w = out->width, h = out->height, fps = out->fps;
  RETURN_IF_ERROR(f.Int("width", &w, false));
  RETURN_IF_ERROR(f.Int("height", &h, false));
  RETURN_IF_ERROR(f.Int("fps", &fps, false));
  *out = {static_cast<int>(w), static_cast<int>(h), static_cast<int>(fps)};
  return Status::Ok();
}

Status ReadLayout(const Fields& top, EditList* edit) {
  const json* l = top.Find("layout");
  if (l == nullptr) return Status::Ok();
  if (l->is_string()) {  // shorthand: "layout": "split"
    auto mode = ParseLayoutMode(l->get<std::string>());
    if (!mode.ok()) return top.Bad("layout", mode.status().message());
    edit->layout = *mode;
    return Status::Ok();
  }
  if (!l->is_object()) return top.Bad("layout", "not an object");
  Fields f(*l, top.Name("layout."));
  std::string mode_name = "auto";
  RETURN_IF_ERROR(f.String("mode", &mode_name, false));
  auto mode = ParseLayoutMode(mode_name);
  if (!mode.ok()) return f.Bad("mode", mode.status().message());
  edit->layout = *mode;
  if (const json* r = f.Find("facecam")) {
    ASSIGN_OR_RETURN(edit->facecam, ReadRect(*r, f.Name("facecam")));
  }
  if (const json* r = f.Find("gameplay")) {
    ASSIGN_OR_RETURN(edit->gameplay, ReadRect(*r, f.Name("gameplay")));
  }
  return Status::Ok();
}

Status ReadKeyframes(const Fields& top, EditList* edit) {
  const json* k = top.Find("crop_keyframes");
  if (k == nullptr) return Status::Ok();
  if (!k->is_array()) return top.Bad("crop_keyframes", "not an array");
  for (size_t i = 0; i < k->size(); ++i) {
    const std::string name = top.Name("crop_keyframes[" + std::to_string(i) + "]");
    const json& j = (*k)[i];
    if (!j.is_object()) return InvalidArgumentError(name + ": not an object");
    Fields f(j, name + ".");
    EditCropKeyframe kf;
    long long t = 0;
    RETURN_IF_ERROR(f.Int("t_ms", &t, true));
    kf.t_ms = t;
    RETURN_IF_ERROR(f.Number("x", &kf.x, true));
    RETURN_IF_ERROR(f.Number("y", &kf.y, true));
    RETURN_IF_ERROR(f.Number("width", &kf.width, true));
    RETURN_IF_ERROR(f.Number("height", &kf.height, true));
    if (kf.t_ms < 0) return f.Bad("t_ms", "negative");
    if (kf.x < 0 || kf.y < 0) return f.Bad(kf.x < 0 ? "x" : "y", "negative");
    if (kf.width <= 0 || kf.height <= 0) {
      return f.Bad(kf.width <= 0 ? "width" : "height", "not positive");
    }
    if (!edit->crop_keyframes.empty() && kf.t_ms <= edit->crop_keyframes.back().t_ms) {
      return f.Bad("t_ms", "not after the previous keyframe's");
    }
    edit->crop_keyframes.push_back(kf);
  }
  return Status::Ok();
}

Status ReadCaptions(const Fields& top, EditList* edit) {
  const json* c = top.Find("captions");
  if (c == nullptr) return Status::Ok();
  if (!c->is_object()) return top.Bad("captions", "not an object");
  Fields f(*c, top.Name("captions."));
  RETURN_IF_ERROR(f.Bool("enabled", &edit->captions.enabled));
  if (const json* s = f.Find("style")) {
    if (!s->is_object()) return f.Bad("style", "not an object");
    edit->captions.style = *s;
  }
  const json* w = f.Find("words");
  if (w == nullptr) return Status::Ok();
  if (!w->is_array()) return f.Bad("words", "not an array");
  for (size_t i = 0; i < w->size(); ++i) {
    const std::string name = f.Name("words[" + std::to_string(i) + "]");
    if (!(*w)[i].is_object()) return InvalidArgumentError(name + ": not an object");
    Fields wf((*w)[i], name + ".");
    EditWord word;
    RETURN_IF_ERROR(wf.String("text", &word.text, true));
    RETURN_IF_ERROR(wf.Int("start_ms", &word.start_ms, true));
    RETURN_IF_ERROR(wf.Int("end_ms", &word.end_ms, true));
    if (word.start_ms < 0) return wf.Bad("start_ms", "negative");
    if (word.end_ms < word.start_ms) return wf.Bad("end_ms", "before start_ms");
    edit->captions.words.push_back(std::move(word));
  }
  std::stable_sort(edit->captions.words.begin(), edit->captions.words.end(),
                   [](const EditWord& a, const EditWord& b) { return a.start_ms < b.start_ms; });
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
  return InvalidArgumentError("layout '" + std::string(name) + "' is not auto, fill, split or fit");
}

Result<EditList> EditListFromJson(const json& j, std::string_view origin,
                                  const EditListLimits& limits) {
  const std::string where = std::string(origin) + ": ";
  if (!j.is_object()) return InvalidArgumentError(where + "not a JSON object");
  Fields f(j, where);
  long long version = 0;
  RETURN_IF_ERROR(f.Int("version", &version, true));
  if (version != kEditListVersion) {
    return f.Bad("version", std::to_string(version) + " is not supported (this build reads " +
                                std::to_string(kEditListVersion) + ")");
  }
  EditList edit;
  RETURN_IF_ERROR(f.String("source", &edit.source, false));
  RETURN_IF_ERROR(f.Int("start_ms", &edit.start_ms, true));
  RETURN_IF_ERROR(f.Int("end_ms", &edit.end_ms, true));
  RETURN_IF_ERROR(ReadOutput(f, &edit.output));
  RETURN_IF_ERROR(ReadLayout(f, &edit));
  RETURN_IF_ERROR(ReadKeyframes(f, &edit));
  RETURN_IF_ERROR(ReadCaptions(f, &edit));
  RETURN_IF_ERROR(f.String("title", &edit.title, false));
  RETURN_IF_ERROR(f.String("template", &edit.template_ref, false));
  long long id = 0;
  if (f.Find("moment_id") != nullptr) {
    RETURN_IF_ERROR(f.Int("moment_id", &id, true));
    edit.moment_id = static_cast<int>(id);
  }
  RETURN_IF_ERROR(CheckEditList(edit, origin, limits));
  return edit;
}

Status CheckEditList(const EditList& edit, std::string_view origin, const EditListLimits& limits) {
  const std::string where = std::string(origin) + ": ";
  auto bad = [&where](const std::string& field, const std::string& what) {
    return InvalidArgumentError(where + field + ": " + what);
  };
  if (edit.start_ms < 0) return bad("start_ms", std::to_string(edit.start_ms) + " is negative");
  if (edit.end_ms <= edit.start_ms) {
    return bad("end_ms", std::to_string(edit.end_ms) + " is not after start_ms " +
                             std::to_string(edit.start_ms));
  }
  if (edit.duration_ms() < limits.min_clip_ms) {
    return bad("end_ms", "the clip is " + std::to_string(edit.duration_ms()) +
                             " ms long, shorter than " + std::to_string(limits.min_clip_ms) +
                             " ms");
  }
  if (edit.duration_ms() > limits.max_clip_ms) {
    return bad("end_ms", "the clip is " + std::to_string(edit.duration_ms()) +
                             " ms long, longer than " + std::to_string(limits.max_clip_ms) + " ms");
  }
  const EditOutput& o = edit.output;
  if (o.width < 64 || o.width > 4096 || o.width % 2) {
    return bad("output.width", std::to_string(o.width) + " is not even in 64..4096");
  }
  if (o.height < 64 || o.height > 4096 || o.height % 2) {
    return bad("output.height", std::to_string(o.height) + " is not even in 64..4096");
  }
  if (o.fps < 1 || o.fps > 120)
    return bad("output.fps", std::to_string(o.fps) + " is not in 1..120");
  for (size_t i = 0; i < edit.crop_keyframes.size(); ++i) {
    const EditCropKeyframe& k = edit.crop_keyframes[i];
    const std::string name = "crop_keyframes[" + std::to_string(i) + "].";
    if (k.t_ms < 0) return bad(name + "t_ms", "negative");
    if (k.x < 0 || k.y < 0) return bad(name + (k.x < 0 ? "x" : "y"), "negative");
    if (k.width <= 0 || k.height <= 0) {
      return bad(name + (k.width <= 0 ? "width" : "height"), "not positive");
    }
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

Result<EditList> ReadEditListFile(const std::string& path, const EditListLimits& limits) {
  ASSIGN_OR_RETURN(json j, ReadJsonFile(path));
  return EditListFromJson(j, path, limits);
}

Status WriteEditListFile(const std::string& path, const EditList& edit) {
  return WriteFileAtomically(path, EditListToJson(edit).dump(2) + "\n");
}

Status CheckEditListAgainstSource(const EditList& edit, TimeMs source_duration_ms,
                                  std::string_view origin) {
  const std::string where = std::string(origin) + ": ";
  if (edit.start_ms >= source_duration_ms) {
    return InvalidArgumentError(where + "start_ms: " + std::to_string(edit.start_ms) +
                                " is past the end of " + edit.source + " (" +
                                std::to_string(source_duration_ms) + " ms)");
  }
  if (edit.end_ms > source_duration_ms) {
    return InvalidArgumentError(where + "end_ms: " + std::to_string(edit.end_ms) +
                                " is past the end of " + edit.source + " (" +
                                std::to_string(source_duration_ms) + " ms)");
  }
  return Status::Ok();
}

std::vector<EditList> EditListsFromMoments(const analysis::MomentsDocument& doc,
                                           const std::string& vod_path,
                                           const EditsFromMomentsOptions& options) {
  std::vector<EditList> out;
  const size_t count =
      options.top > 0 ? std::min<size_t>(options.top, doc.moments.size()) : doc.moments.size();
  for (size_t i = 0; i < count; ++i) {
    const analysis::Moment& m = doc.moments[i];
    EditList e;
    e.source = vod_path;
    e.start_ms = m.start_ms;
    e.end_ms = m.end_ms;
    e.output = options.output;
    e.layout = options.layout;
    e.title = m.title;
    e.template_ref = options.template_ref;
    e.moment_id = m.id;
    for (const analysis::MomentWord& w : m.words) {
      e.captions.words.push_back({w.text, w.start_ms, w.end_ms});
    }
    e.captions.words = WordsInClip(e);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<EditWord> WordsInClip(const EditList& edit) {
  std::vector<EditWord> out;
  for (const EditWord& w : edit.captions.words) {
    if (w.end_ms <= edit.start_ms || w.start_ms >= edit.end_ms) continue;
    EditWord c = w;
    c.start_ms = std::max(c.start_ms, edit.start_ms);
    c.end_ms = std::min(c.end_ms, edit.end_ms);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace clipthat::render
