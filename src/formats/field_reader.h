// FieldReader: typed reads of one JSON object's fields for the formats' parsers, every error
// naming the field by its path in the document: "logo.opacity: 1.5 is outside 0..1",
// "captions.words[3].end_ms: expected an integer, got \"12\"". A null field counts as absent.
// Errors are InvalidArgument. Callers add where the document came from (a file name, a job)
// with Status::WithPrefix.
//
//   ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open(doc, ""));
//   RETURN_IF_ERROR(f.RejectUnknown({"version", "start_ms"}));
//   RETURN_IF_ERROR(f.Int("start_ms", 0, kMaxSourceMs, &edit.start_ms, Need::kRequired));
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"

namespace clipthat::formats {

enum class Need { kOptional, kRequired };

// "a.b" from "a" and "b"; "b" when `path` is empty.
std::string JoinPath(std::string_view path, std::string_view field);

class FieldReader {
 public:
  // InvalidArgument "<path>: expected an object, got an array" when `value` is not an object.
  static Result<FieldReader> Open(const nlohmann::json& value, std::string path);

  const std::string& path() const { return path_; }
  std::string Path(std::string_view field) const { return JoinPath(path_, field); }
  // The field's value; nullptr when absent or null.
  const nlohmann::json* Find(std::string_view field) const;
  bool Has(std::string_view field) const { return Find(field) != nullptr; }
  Status Error(std::string_view field, std::string_view what) const;

  // "unknown field (expected one of a, b, c)" for the first field not in `known`.
  Status RejectUnknown(std::initializer_list<std::string_view> known) const;

  // Absent optional fields leave *out as it is; a required one is "missing".
  Status Int(std::string_view field, std::int64_t lo, std::int64_t hi, std::int64_t* out,
             Need need = Need::kOptional) const;
  Status Int(std::string_view field, std::int64_t lo, std::int64_t hi, int* out,
             Need need = Need::kOptional) const;
  Status Number(std::string_view field, double lo, double hi, double* out,
                Need need = Need::kOptional) const;
  // At most `max_bytes` bytes of UTF-8 (the parser checked it), no NUL; empty only with
  // `allow_empty`.
  Status String(std::string_view field, std::size_t max_bytes, std::string* out,
                Need need = Need::kOptional, bool allow_empty = false) const;
  Status Bool(std::string_view field, bool* out) const;
  // "#RRGGBB" or "#RRGGBBAA" as 0xRRGGBBAA.
  Status Color(std::string_view field, std::uint32_t* out) const;

 private:
  FieldReader(const nlohmann::json& object, std::string path)
      : object_(&object), path_(std::move(path)) {}
  const nlohmann::json* object_;
  std::string path_;
};

// The JSON type of `value` in words ("an integer", "a string", "null") for messages.
std::string JsonTypeName(const nlohmann::json& value);

}  // namespace clipthat::formats
