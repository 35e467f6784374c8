#include "api/json_fields.h"

#include "api/api_error.h"
#include "core/json_document.h"
#include "formats/field_reader.h"

namespace clipthat::api {
namespace {
using formats::JsonTypeName;
}  // namespace

nlohmann::json ParseJsonBody(std::string_view body) {
  if (body.empty()) throw BadRequest("body: empty (expected a JSON object)");
  Result<nlohmann::json> doc = ParseJsonDocument(body, "body");
  if (!doc.ok()) throw BadRequest(doc.status().message());
  return std::move(doc).value();
}

void CheckText(std::string_view field, std::string_view value, const StringRules& rules) {
  if (!rules.allow_empty && value.empty())
    throw InvalidField(std::string(field), "must not be empty");
  if (value.size() > rules.max_bytes) {
    throw InvalidField(std::string(field),
                       "longer than " + std::to_string(rules.max_bytes) + " bytes");
  }
  if (value.find('\0') != std::string_view::npos) {
    throw InvalidField(std::string(field), "contains a NUL character");
  }
}

JsonFields::JsonFields(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) {
    throw InvalidField(path_.empty() ? "body" : path_,
                       "expected a JSON object, got " + JsonTypeName(object_));
  }
}

std::string JsonFields::FieldPath(std::string_view name) const {
  return path_.empty() ? std::string(name) : path_ + "." + std::string(name);
}

const nlohmann::json* JsonFields::Find(std::string_view name) {
  seen_.emplace(name);
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonFields::Has(std::string_view name) const {
  auto it = object_.find(name);
  return it != object_.end() && !it->is_null();
}

std::optional<std::string> JsonFields::OptionalString(std::string_view name,
                                                      const StringRules& rules) {
  const nlohmann::json* v = Find(name);
  if (!v) return std::nullopt;
  if (!v->is_string())
    throw InvalidField(FieldPath(name), "expected a string, got " + JsonTypeName(*v));
  const std::string& s = v->get_ref<const std::string&>();
  CheckText(FieldPath(name), s, rules);
  return s;
}

std::string JsonFields::RequiredString(std::string_view name, const StringRules& rules) {
  std::optional<std::string> s = OptionalString(name, rules);
  if (!s) throw InvalidField(FieldPath(name), "required");
  return *s;
}

std::optional<std::int64_t> JsonFields::OptionalInt(std::string_view name, std::int64_t min,
                                                    std::int64_t max) {
  const nlohmann::json* v = Find(name);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    throw InvalidField(FieldPath(name), "expected an integer, got " + JsonTypeName(*v));
  }
  if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    throw InvalidField(FieldPath(name), "must be at most " + std::to_string(max));
  }
  std::int64_t x = v->get<std::int64_t>();
  if (x < min || x > max) {
    throw InvalidField(FieldPath(name), std::to_string(x) + " is outside " + std::to_string(min) +
                                            ".." + std::to_string(max));
  }
  return x;
}

std::int64_t JsonFields::RequiredInt(std::string_view name, std::int64_t min, std::int64_t max) {
  std::optional<std::int64_t> x = OptionalInt(name, min, max);
  if (!x) throw InvalidField(FieldPath(name), "required");
  return *x;
}

std::optional<double> JsonFields::OptionalNumber(std::string_view name, double min, double max) {
  const nlohmann::json* v = Find(name);
  if (!v) return std::nullopt;
  if (!v->is_number())
    throw InvalidField(FieldPath(name), "expected a number, got " + JsonTypeName(*v));
  double x = v->get<double>();
  if (!(x >= min && x <= max)) {
    throw InvalidField(FieldPath(name),
                       "outside " + nlohmann::json(min).dump() + ".." + nlohmann::json(max).dump());
  }
  return x;
}

std::optional<bool> JsonFields::OptionalBool(std::string_view name) {
  const nlohmann::json* v = Find(name);
  if (!v) return std::nullopt;
  if (!v->is_boolean())
    throw InvalidField(FieldPath(name), "expected a boolean, got " + JsonTypeName(*v));
  return v->get<bool>();
}

const nlohmann::json* JsonFields::OptionalObject(std::string_view name) {
  const nlohmann::json* v = Find(name);
  if (v && !v->is_object()) {
    throw InvalidField(FieldPath(name), "expected an object, got " + JsonTypeName(*v));
  }
  return v;
}

const nlohmann::json* JsonFields::OptionalArray(std::string_view name) {
  const nlohmann::json* v = Find(name);
  if (v && !v->is_array())
    throw InvalidField(FieldPath(name), "expected an array, got " + JsonTypeName(*v));
  return v;
}

const nlohmann::json* JsonFields::OptionalAny(std::string_view name) { return Find(name); }

void JsonFields::RejectUnknown() const {
  for (const auto& [key, value] : object_.items()) {
    if (!seen_.contains(key)) {
      // The key itself may be hostile: cap what is echoed back.
      std::string shown = key.size() > 64 ? key.substr(0, 64) + "..." : key;
      throw InvalidField(FieldPath(shown), "unknown field");
    }
  }
}

}  // namespace clipthat::api
