// JsonFields: reads the fields of a JSON object (a request body, or an object inside one), and
// throws ApiError 422 naming the field for every problem: a wrong type, a value out of range,
// a string too long or holding a NUL character (PostgreSQL text cannot store one, so both
// backends refuse it), an unknown field (RejectUnknown).
//
//   nlohmann::json body = ParseJsonBody(call.body());          // 400 when not JSON
//   JsonFields f(body);                                          // 422 when not an object
//   std::string title = f.RequiredString("title", {.max_bytes = 200});
//   std::optional<std::int64_t> top = f.OptionalInt("top", 1, 50);
//   f.RejectUnknown();
//
// Field names in errors are paths: "edit_list.output.width", "captions.words[3].text".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace clipthat::api {

struct StringRules {
  std::size_t max_bytes = 1000;
  bool allow_empty = false;
};

// Parses a request body; 400 bad_request "body: not JSON: ..." when it is not JSON.
nlohmann::json ParseJsonBody(std::string_view body);

// 422 when `value` is too long, empty (unless allowed) or holds a NUL byte.
void CheckText(std::string_view field, std::string_view value, const StringRules& rules);

class JsonFields {
 public:
  // `path`: how the object is named in errors ("" for the body itself).
  explicit JsonFields(const nlohmann::json& object, std::string path = "");

  bool Has(std::string_view name) const;  // present and not null

  std::string RequiredString(std::string_view name, const StringRules& rules = {});
  std::optional<std::string> OptionalString(std::string_view name, const StringRules& rules = {});
  std::int64_t RequiredInt(std::string_view name, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> OptionalInt(std::string_view name, std::int64_t min,
                                          std::int64_t max);
  std::optional<double> OptionalNumber(std::string_view name, double min, double max);
  std::optional<bool> OptionalBool(std::string_view name);
  // nullptr when absent or null.
  const nlohmann::json* OptionalObject(std::string_view name);
  const nlohmann::json* OptionalArray(std::string_view name);
  // Any JSON value; nullptr when absent.
  const nlohmann::json* OptionalAny(std::string_view name);

  // 422 "<path>.<name>: unknown field" for the first field no getter asked for.
  void RejectUnknown() const;

  // "<path>.<name>" (or "<name>" at the top).
  std::string FieldPath(std::string_view name) const;

 private:
  const nlohmann::json* Find(std::string_view name);

  const nlohmann::json& object_;
  std::string path_;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace clipthat::api
