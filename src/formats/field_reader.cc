#include "formats/field_reader.h"

#include <cmath>
#include <cstdio>

#include "captions/caption_style.h"

namespace clipthat::formats {
namespace {

std::string Number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

// A short view of a value for messages: a long string or a big object is cut.
std::string Shown(const nlohmann::json& v) {
  std::string text = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

}  // namespace

std::string JoinPath(std::string_view path, std::string_view field) {
  if (path.empty()) return std::string(field);
  if (!field.empty() && field.front() == '[') return std::string(path) + std::string(field);
  return std::string(path) + "." + std::string(field);
}

std::string JsonTypeName(const nlohmann::json& v) {
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

Result<FieldReader> FieldReader::Open(const nlohmann::json& value, std::string path) {
  if (!value.is_object()) {
    return InvalidArgumentError((path.empty() ? std::string("document") : path) +
                                ": expected an object, got " + JsonTypeName(value));
  }
  return FieldReader(value, std::move(path));
}

const nlohmann::json* FieldReader::Find(std::string_view field) const {
  auto it = object_->find(field);
  return it == object_->end() || it->is_null() ? nullptr : &*it;
}

Status FieldReader::Error(std::string_view field, std::string_view what) const {
  return InvalidArgumentError(Path(field) + ": " + std::string(what));
}

Status FieldReader::RejectUnknown(std::initializer_list<std::string_view> known) const {
  for (const auto& [key, value] : object_->items()) {
    bool found = false;
    for (std::string_view k : known) found = found || k == key;
    if (found) continue;
    std::string expected;
    for (std::string_view k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
    return Error(key, "unknown field (expected one of " + expected + ")");
  }
  return Status::Ok();
}

Status FieldReader::Int(std::string_view field, std::int64_t lo, std::int64_t hi, std::int64_t* out,
                        Need need) const {
  const nlohmann::json* v = Find(field);
  if (v == nullptr) return need == Need::kRequired ? Error(field, "missing") : Status::Ok();
  // 5.0 is not an integer here: times and pixels are whole numbers in every format.
  if (!v->is_number_integer()) return Error(field, "expected an integer, got " + Shown(*v));
  if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(hi)) {
    return Error(field,
                 Shown(*v) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  const std::int64_t i = v->get<std::int64_t>();
  if (i < lo || i > hi) {
    return Error(
        field, std::to_string(i) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  *out = i;
  return Status::Ok();
}

Status FieldReader::Int(std::string_view field, std::int64_t lo, std::int64_t hi, int* out,
                        Need need) const {
  std::int64_t wide = *out;
  RETURN_IF_ERROR(Int(field, lo, hi, &wide, need));
  *out = static_cast<int>(wide);  // lo..hi are int ranges at every call
  return Status::Ok();
}

Status FieldReader::Number(std::string_view field, double lo, double hi, double* out,
                           Need need) const {
  const nlohmann::json* v = Find(field);
  if (v == nullptr) return need == Need::kRequired ? Error(field, "missing") : Status::Ok();
  if (!v->is_number()) return Error(field, "expected a number, got " + Shown(*v));
  const double d = v->get<double>();
  if (!std::isfinite(d) || d < lo || d > hi) {
    return Error(field, formats::Number(d) + " is outside " + formats::Number(lo) + ".." +
                            formats::Number(hi));
  }
  *out = d;
  return Status::Ok();
}

Status FieldReader::String(std::string_view field, std::size_t max_bytes, std::string* out,
                           Need need, bool allow_empty) const {
  const nlohmann::json* v = Find(field);
  if (v == nullptr) return need == Need::kRequired ? Error(field, "missing") : Status::Ok();
  if (!v->is_string()) return Error(field, "expected a string, got " + Shown(*v));
  const std::string& s = v->get_ref<const std::string&>();
  if (s.empty() && !allow_empty) return Error(field, "empty");
  if (s.size() > max_bytes) {
    return Error(field,
                 std::to_string(s.size()) + " bytes is longer than " + std::to_string(max_bytes));
  }
  if (s.find('\0') != std::string::npos) return Error(field, "contains a NUL character");
  *out = s;
  return Status::Ok();
}

Status FieldReader::Bool(std::string_view field, bool* out) const {
  const nlohmann::json* v = Find(field);
  if (v == nullptr) return Status::Ok();
  if (!v->is_boolean()) return Error(field, "expected true or false, got " + Shown(*v));
  *out = v->get<bool>();
  return Status::Ok();
}

Status FieldReader::Color(std::string_view field, std::uint32_t* out) const {
  const nlohmann::json* v = Find(field);
  if (v == nullptr) return Status::Ok();
  Result<std::uint32_t> color = v->is_string() && v->get_ref<const std::string&>().size() <= 9
                                    ? captions::ParseColor(v->get<std::string>())
                                    : Result<std::uint32_t>(InvalidArgumentError(""));
  if (!color.ok()) return Error(field, "expected #RRGGBB or #RRGGBBAA, got " + Shown(*v));
  *out = *color;
  return Status::Ok();
}

}  // namespace clipthat::formats
