#include "formats/moments_document.h"

#include <cmath>
#include <limits>

#include "core/files.h"
#include "core/json_document.h"

namespace clipthat::formats {
namespace {

using json = nlohmann::json;

// Small typed readers that turn a missing or mistyped field into a message naming it. Not
// formats/field_reader.h: moments.json has its own messages and error code (DataError), which
// callers and users already see, and it ignores unknown fields.
class MomentFields {
 public:
  MomentFields(const json& obj, std::string where) : obj_(obj), where_(std::move(where)) {}

  Status Int(const char* key, TimeMs* out, bool required = true) const {
    auto it = obj_.find(key);
    if (it == obj_.end()) return required ? Missing(key) : Status::Ok();
    if (!it->is_number_integer()) return Bad(key, "not an integer");
    *out = it->get<TimeMs>();
    return Status::Ok();
  }
  Status Number(const char* key, double* out, bool required = true) const {
    auto it = obj_.find(key);
    if (it == obj_.end()) return required ? Missing(key) : Status::Ok();
    if (!it->is_number()) return Bad(key, "not a number");
    *out = it->get<double>();
    return Status::Ok();
  }
  Status String(const char* key, size_t max_bytes, std::string* out, bool required = true) const {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return required ? Missing(key) : Status::Ok();
    if (!it->is_string()) return Bad(key, "not a string");
    if (it->get_ref<const std::string&>().size() > max_bytes) {
      return Bad(key, "longer than " + std::to_string(max_bytes) + " bytes");
    }
    *out = it->get<std::string>();
    return Status::Ok();
  }
  // The array at `key`, or nullptr when absent (an error when present but not an array, or
  // with more than `max_items` items, named `items` in the message).
  Result<const json*> Array(const char* key, size_t max_items, const char* items) const {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return static_cast<const json*>(nullptr);
    if (!it->is_array()) return Bad(key, "not an array");
    if (it->size() > max_items) {
      return Bad(key, "more than " + std::to_string(max_items) + " " + items);
    }
    return &*it;
  }
  Status Bad(const char* key, const std::string& what) const {
    return DataError(where_ + "." + key + ": " + what);
  }

 private:
  Status Missing(const char* key) const { return DataError(where_ + "." + key + ": missing"); }
  const json& obj_;
  std::string where_;
};

Status ReadTimeline(const json& j, const std::string& where, const MomentsDocumentLimits& limits,
                    EvidenceTimeline* out);

Result<Moment> ReadMoment(const json& j, const std::string& where,
                          const MomentsDocumentLimits& limits) {
  if (!j.is_object()) return DataError(where + ": not an object");
  MomentFields r(j, where);
  Moment m;
  TimeMs id = 0;
  RETURN_IF_ERROR(r.Int("id", &id));
  if (id < 0 || id > std::numeric_limits<int>::max()) return r.Bad("id", "out of range");
  m.id = static_cast<int>(id);
  RETURN_IF_ERROR(r.Int("start_ms", &m.start_ms));
  RETURN_IF_ERROR(r.Int("end_ms", &m.end_ms));
  m.peak_ms = m.start_ms;
  RETURN_IF_ERROR(r.Int("peak_ms", &m.peak_ms, /*required=*/false));
  RETURN_IF_ERROR(r.Number("score", &m.score, /*required=*/false));
  RETURN_IF_ERROR(r.String("title", limits.max_title_bytes, &m.title, /*required=*/false));
  if (m.start_ms < 0) return r.Bad("start_ms", "negative");
  if (m.end_ms <= m.start_ms) return r.Bad("end_ms", "not after start_ms");

  if (auto it = j.find("evidence"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return r.Bad("evidence", "not an object");
    if (it->size() > limits.max_evidence) {
      return r.Bad("evidence", "more than " + std::to_string(limits.max_evidence) + " signals");
    }
    for (const auto& [signal, value] : it->items()) {
      if (signal.size() > limits.max_signal_name_bytes) {
        return r.Bad("evidence", "a signal name is longer than " +
                                     std::to_string(limits.max_signal_name_bytes) + " bytes");
      }
      if (!value.is_number()) return r.Bad("evidence", "'" + signal + "' is not a number");
      m.evidence[signal] = value.get<double>();
    }
  }
  ASSIGN_OR_RETURN(const json* words, r.Array("words", limits.max_words, "words"));
  if (words != nullptr) {
    for (size_t i = 0; i < words->size(); ++i) {
      const std::string wwhere = where + ".words[" + std::to_string(i) + "]";
      if (!(*words)[i].is_object()) return DataError(wwhere + ": not an object");
      MomentFields wr((*words)[i], wwhere);
      MomentWord w;
      RETURN_IF_ERROR(wr.String("text", limits.max_word_bytes, &w.text));
      RETURN_IF_ERROR(wr.Int("start_ms", &w.start_ms));
      RETURN_IF_ERROR(wr.Int("end_ms", &w.end_ms));
      RETURN_IF_ERROR(wr.Number("confidence", &w.confidence, /*required=*/false));
      m.words.push_back(std::move(w));
    }
  }
  ASSIGN_OR_RETURN(const json* triggers, r.Array("triggers", limits.max_triggers, "triggers"));
  if (triggers != nullptr) {
    for (size_t i = 0; i < triggers->size(); ++i) {
      const std::string twhere = where + ".triggers[" + std::to_string(i) + "]";
      if (!(*triggers)[i].is_object()) return DataError(twhere + ": not an object");
      MomentFields tr((*triggers)[i], twhere);
      MomentTrigger t;
      RETURN_IF_ERROR(tr.String("kind", limits.max_trigger_bytes, &t.kind, /*required=*/false));
      RETURN_IF_ERROR(tr.String("phrase", limits.max_trigger_bytes, &t.text, /*required=*/false));
      RETURN_IF_ERROR(tr.Int("at_ms", &t.time_ms));
      RETURN_IF_ERROR(tr.Number("confidence", &t.confidence, /*required=*/false));
      m.triggers.push_back(std::move(t));
    }
  }
  if (auto it = j.find("timeline"); it != j.end() && !it->is_null()) {
    RETURN_IF_ERROR(ReadTimeline(*it, where + ".timeline", limits, &m.timeline));
  }
  return m;
}

nlohmann::ordered_json TimelineToJson(const EvidenceTimeline& t) {
  nlohmann::ordered_json signals = nlohmann::ordered_json::object();
  for (size_t s = 0; s < t.names.size() && s < t.values.size(); ++s)
    signals[t.names[s]] = t.values[s];
  return {{"start_ms", t.start_ms},
          {"step_ms", t.step_ms},
          {"score", t.score},
          {"signals", std::move(signals)}};
}

// A timeline from outside: bounded (max_timeline_samples, max_timeline_signals), every series
// the same length.
Status ReadTimeline(const json& j, const std::string& where, const MomentsDocumentLimits& limits,
                    EvidenceTimeline* out) {
  if (!j.is_object()) return DataError(where + ": not an object");
  MomentFields r(j, where);
  RETURN_IF_ERROR(r.Int("start_ms", &out->start_ms));
  RETURN_IF_ERROR(r.Int("step_ms", &out->step_ms));
  if (out->start_ms < 0) return r.Bad("start_ms", "negative");
  if (out->step_ms <= 0) return r.Bad("step_ms", "not positive");
  auto numbers = [&](const json& a, const std::string& key, std::vector<double>* v) -> Status {
    if (!a.is_array()) return DataError(where + "." + key + ": not an array");
    if (a.size() > limits.max_timeline_samples) {
      return DataError(where + "." + key + ": more than " +
                       std::to_string(limits.max_timeline_samples) + " samples");
    }
    for (const json& x : a) {
      if (!x.is_number()) return DataError(where + "." + key + ": not all numbers");
      v->push_back(x.get<double>());
    }
    return Status::Ok();
  };
  auto score = j.find("score");
  if (score == j.end()) return r.Bad("score", "missing");
  RETURN_IF_ERROR(numbers(*score, "score", &out->score));
  auto signals = j.find("signals");
  if (signals != j.end() && !signals->is_null()) {
    if (!signals->is_object()) return r.Bad("signals", "not an object");
    if (signals->size() > limits.max_timeline_signals) {
      return r.Bad("signals",
                   "more than " + std::to_string(limits.max_timeline_signals) + " signals");
    }
    for (const auto& [name, series] : signals->items()) {
      if (name.size() > limits.max_signal_name_bytes) {
        return r.Bad("signals", "a signal name is longer than " +
                                    std::to_string(limits.max_signal_name_bytes) + " bytes");
      }
      out->names.push_back(name);
      out->values.emplace_back();
      RETURN_IF_ERROR(numbers(series, "signals." + name, &out->values.back()));
      if (out->values.back().size() != out->score.size()) {
        return r.Bad(("signals." + name).c_str(), "not as long as score");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

nlohmann::ordered_json MomentsToJson(const MomentsDocument& doc) {
  using ojson = nlohmann::ordered_json;
  ojson source = {{"path", doc.source.path}, {"duration_ms", doc.source.duration_ms}};
  if (doc.source.width > 0) source["width"] = doc.source.width;
  if (doc.source.height > 0) source["height"] = doc.source.height;
  if (doc.source.fps > 0) source["fps"] = doc.source.fps;
  source["chat_path"] = doc.source.chat_path.empty() ? ojson(nullptr) : ojson(doc.source.chat_path);

  ojson moments = ojson::array();
  for (const Moment& m : doc.moments) {
    ojson evidence = ojson::object();
    for (const auto& [signal, value] : m.evidence) evidence[signal] = value;
    ojson words = ojson::array();
    for (const MomentWord& w : m.words) {
      words.push_back({{"text", w.text},
                       {"start_ms", w.start_ms},
                       {"end_ms", w.end_ms},
                       {"confidence", w.confidence}});
    }
    ojson triggers = ojson::array();
    for (const MomentTrigger& t : m.triggers) {
      triggers.push_back({{"phrase", t.text},
                          {"at_ms", t.time_ms},
                          {"kind", t.kind},
                          {"confidence", std::round(t.confidence * 100) / 100}});
    }
    ojson moment = {{"id", m.id},
                    {"start_ms", m.start_ms},
                    {"end_ms", m.end_ms},
                    {"peak_ms", m.peak_ms},
                    {"score", m.score},
                    {"title", m.title},
                    {"evidence", std::move(evidence)},
                    {"words", std::move(words)},
                    {"triggers", std::move(triggers)}};
    if (!m.timeline.empty()) moment["timeline"] = TimelineToJson(m.timeline);
    moments.push_back(std::move(moment));
  }
  ojson root = {{"version", kMomentsDocumentVersion},
                {"source", std::move(source)},
                {"moments", std::move(moments)}};
  if (!doc.overview.empty()) root["overview"] = TimelineToJson(doc.overview);
  return root;
}

Result<MomentsDocument> MomentsFromJson(const nlohmann::json& j, std::string_view origin,
                                        const MomentsDocumentLimits& limits) {
  const std::string name(origin);
  if (!j.is_object()) return DataError(name + ": not a moments document (root is not an object)");
  auto version = j.find("version");
  if (version == j.end() || !version->is_number_integer()) {
    return DataError(name + ": not a moments document (no integer version)");
  }
  // Compared as JSON: converted to int first, 4294967297 read as version 1.
  if (*version != kMomentsDocumentVersion) {
    return UnsupportedError(name + ": moments version " + version->dump() +
                            " (this build reads version " +
                            std::to_string(kMomentsDocumentVersion) + ")");
  }
  MomentsDocument doc;
  auto source = j.find("source");
  if (source == j.end() || !source->is_object()) return DataError(name + ": source: missing");
  MomentFields sr(*source, name + ": source");
  RETURN_IF_ERROR(sr.String("path", limits.max_path_bytes, &doc.source.path));
  RETURN_IF_ERROR(sr.Int("duration_ms", &doc.source.duration_ms));
  TimeMs width = 0, height = 0;
  RETURN_IF_ERROR(sr.Int("width", &width, /*required=*/false));
  RETURN_IF_ERROR(sr.Int("height", &height, /*required=*/false));
  // Video sizes: what any codec allows, and what an int holds (the number was truncated once).
  constexpr TimeMs kMaxVideoPx = 65535;
  if (width < 0 || width > kMaxVideoPx) return sr.Bad("width", "outside 0..65535");
  if (height < 0 || height > kMaxVideoPx) return sr.Bad("height", "outside 0..65535");
  doc.source.width = static_cast<int>(width);
  doc.source.height = static_cast<int>(height);
  RETURN_IF_ERROR(sr.Number("fps", &doc.source.fps, /*required=*/false));
  RETURN_IF_ERROR(
      sr.String("chat_path", limits.max_path_bytes, &doc.source.chat_path, /*required=*/false));

  auto moments = j.find("moments");
  if (moments == j.end() || !moments->is_array()) {
    return DataError(name + ": moments: missing or not an array");
  }
  if (moments->size() > limits.max_moments) {
    return DataError(name + ": moments: more than " + std::to_string(limits.max_moments) +
                     " moments");
  }
  for (size_t i = 0; i < moments->size(); ++i) {
    ASSIGN_OR_RETURN(
        Moment m, ReadMoment((*moments)[i], name + ": moments[" + std::to_string(i) + "]", limits));
    doc.moments.push_back(std::move(m));
  }
  if (auto it = j.find("overview"); it != j.end() && !it->is_null()) {
    RETURN_IF_ERROR(ReadTimeline(*it, name + ": overview", limits, &doc.overview));
  }
  return doc;
}

Status WriteMomentsFile(const std::string& path, const MomentsDocument& doc) {
  return WriteFileAtomically(path, MomentsToJson(doc).dump(2) + "\n");
}

Result<MomentsDocument> ReadMomentsFile(const std::string& path,
                                        const MomentsDocumentLimits& limits) {
  Result<json> j = ReadJsonFile(path);
  if (!j.ok()) {
    const Status& s = j.status();
    return s.code() == StatusCode::kInvalidArgument ? DataError(s.message()) : s;
  }
  return MomentsFromJson(*j, path, limits);
}

}  // namespace clipthat::formats
