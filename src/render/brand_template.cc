#include "render/brand_template.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <system_error>

#include "core/files.h"
#include "core/json_document.h"
#include "reframe/layout.h"

namespace clipthat::render {
namespace {

using nlohmann::json;

std::string Join(std::string_view prefix, std::string_view field) {
  if (prefix.empty()) return std::string(field);
  return std::string(prefix) + "." + std::string(field);
}

std::string Number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

Status CheckKnownFields(const json& object, std::string_view prefix,
                        std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string expected;
    for (std::string_view k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
    return InvalidArgumentError(Join(prefix, key) + ": unknown field (expected one of " + expected +
                                ")");
  }
  return Status::Ok();
}

// Reads typed fields of one JSON object; absent fields leave the target as it is.
class Fields {
 public:
  Fields(const json& object, std::string_view prefix) : object_(object), prefix_(prefix) {}

  bool Has(const char* field) const { return object_.contains(field); }
  std::string Name(const char* field) const { return Join(prefix_, field); }

  Status String(const char* field, std::string* out) const {
    const json* v = Find(field);
    if (v == nullptr) return Status::Ok();
    if (!v->is_string()) return Error(field, "expected a string, got " + v->dump());
    *out = v->get<std::string>();
    return Status::Ok();
  }
  Status Double(const char* field, double lo, double hi, double* out) const {
    const json* v = Find(field);
    if (v == nullptr) return Status::Ok();
    if (!v->is_number()) return Error(field, "expected a number, got " + v->dump());
    const double d = v->get<double>();
    if (!(d >= lo && d <= hi)) {
      return Error(field, Number(d) + " is outside " + Number(lo) + ".." + Number(hi));
    }
    *out = d;
    return Status::Ok();
  }
  template <typename Int>
  Status Integer(const char* field, std::int64_t lo, std::int64_t hi, Int* out) const {
    const json* v = Find(field);
    if (v == nullptr) return Status::Ok();
    if (!v->is_number_integer()) return Error(field, "expected an integer, got " + v->dump());
    const std::int64_t i = v->get<std::int64_t>();
    if (i < lo || i > hi) {
      return Error(field, std::to_string(i) + " is outside " + std::to_string(lo) + ".." +
                              std::to_string(hi));
    }
    *out = static_cast<Int>(i);
    return Status::Ok();
  }
  Status Bool(const char* field, bool* out) const {
    const json* v = Find(field);
    if (v == nullptr) return Status::Ok();
    if (!v->is_boolean()) return Error(field, "expected true or false, got " + v->dump());
    *out = v->get<bool>();
    return Status::Ok();
  }
  Status Color(const char* field, std::uint32_t* out) const {
    const json* v = Find(field);
    if (v == nullptr) return Status::Ok();
    Result<std::uint32_t> color = v->is_string() ? captions::ParseColor(v->get<std::string>())
                                                 : Result<std::uint32_t>(InvalidArgumentError(""));
    if (!color.ok()) return Error(field, "expected #RRGGBB or #RRGGBBAA, got " + v->dump());
    *out = *color;
    return Status::Ok();
  }
  Status Error(const char* field, const std::string& what) const {
    return InvalidArgumentError(Name(field) + ": " + what);
  }

 private:
  const json* Find(const char* field) const {
    auto it = object_.find(field);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  const json& object_;
  std::string prefix_;
};

Status CheckFont(const Fields& fields, const char* field, const std::string& family) {
  if (family.empty() || captions::FontFamilyInstalled(family)) return Status::Ok();
  return fields.Error(field, "no installed font named '" + family + "'");
}

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

Result<LogoSpec> ParseLogo(const json& object, const std::filesystem::path& base_dir) {
  if (!object.is_object()) {
    return InvalidArgumentError("logo: expected an object, got " + object.dump());
  }
  RETURN_IF_ERROR(CheckKnownFields(object, "logo",
                                   {"path", "position", "width_fraction", "opacity", "margin_px"}));
  Fields fields(object, "logo");
  LogoSpec logo;
  if (!fields.Has("path")) return fields.Error("path", "missing (a PNG file)");
  RETURN_IF_ERROR(fields.String("path", &logo.path));
  if (logo.path.empty()) return fields.Error("path", "empty");
  RETURN_IF_ERROR(fields.String("position", &logo.position));
  const auto& positions = LogoPositions();
  if (std::find(positions.begin(), positions.end(), logo.position) == positions.end()) {
    std::string list;
    for (const std::string& p : positions) list += (list.empty() ? "" : ", ") + p;
    return fields.Error("position",
                        "unknown position \"" + logo.position + "\" (expected " + list + ")");
  }
  RETURN_IF_ERROR(fields.Double("width_fraction", 0.02, 0.6, &logo.width_fraction));
  RETURN_IF_ERROR(fields.Double("opacity", 0.0, 1.0, &logo.opacity));
  RETURN_IF_ERROR(fields.Integer("margin_px", 0, 400, &logo.margin_px));

  std::filesystem::path path(logo.path);
  if (path.is_relative()) path = base_dir / path;
  logo.path = path.lexically_normal().string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status(StatusCode::kNotFound, "logo.path: " + logo.path + ": no such file");
  }
  cv::Mat image;
  try {
    image = cv::imread(logo.path, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception&) {
    image = cv::Mat();
  }
  if (image.empty()) return fields.Error("path", logo.path + " is not an image");
  return logo;
}

Result<captions::TitleCard> ParseTitleCard(const json& object, bool* enabled) {
  if (!object.is_object()) {
    return InvalidArgumentError("title_card: expected an object, got " + object.dump());
  }
  RETURN_IF_ERROR(CheckKnownFields(object, "title_card",
                                   {"enabled", "duration_ms", "font_family", "font_size_px",
                                    "text_color", "box_color", "position_y_fraction"}));
  Fields fields(object, "title_card");
  captions::TitleCard card;
  card.duration_ms = 2500;
  *enabled = true;
  RETURN_IF_ERROR(fields.Bool("enabled", enabled));
  RETURN_IF_ERROR(fields.Integer("duration_ms", 500, 15000, &card.duration_ms));
  RETURN_IF_ERROR(fields.String("font_family", &card.font_family));
  RETURN_IF_ERROR(CheckFont(fields, "font_family", card.font_family));
  RETURN_IF_ERROR(fields.Integer("font_size_px", 16, 200, &card.font_size_px));
  RETURN_IF_ERROR(fields.Color("text_color", &card.text_rgba));
  RETURN_IF_ERROR(fields.Color("box_color", &card.box_rgba));
  RETURN_IF_ERROR(fields.Double("position_y_fraction", 0.0, 0.7, &card.position_y_fraction));
  return card;
}

}  // namespace

const std::vector<std::string>& LogoPositions() {
  static const std::vector<std::string> kPositions = {
      "top-left",     "top-center",  "top-right",     "middle-left",
      "middle-right", "bottom-left", "bottom-center", "bottom-right"};
  return kPositions;
}

Result<BrandTemplate> ParseBrandTemplate(const json& object,
                                         const std::filesystem::path& base_dir) {
  if (!object.is_object()) {
    return InvalidArgumentError("template: expected a JSON object, got " +
                                std::string(object.type_name()));
  }
  RETURN_IF_ERROR(CheckKnownFields(object, "",
                                   {"version", "id", "name", "captions", "logo", "title_card",
                                    "default_layout", "accent_color"}));
  Fields fields(object, "");
  BrandTemplate brand = DefaultBrandTemplate();

  if (!fields.Has("version")) return fields.Error("version", "missing (expected 1)");
  const json& version = object["version"];
  if (!version.is_number_integer()) {
    return fields.Error("version", "expected an integer, got " + version.dump());
  }
  if (version.get<std::int64_t>() != 1) {
    return fields.Error("version", version.dump() + " is not supported (expected 1)");
  }
  brand.version = 1;

  if (!fields.Has("id")) return fields.Error("id", "missing");
  RETURN_IF_ERROR(fields.String("id", &brand.id));
  if (!ValidId(brand.id)) {
    return fields.Error("id", "\"" + brand.id + "\" must be 1..64 of a-z, 0-9, '-' and '_'");
  }
  brand.name = brand.id;
  RETURN_IF_ERROR(fields.String("name", &brand.name));
  if (brand.name.empty() || brand.name.size() > 100) {
    return fields.Error("name", "must be 1..100 characters");
  }

  const bool has_accent = fields.Has("accent_color");
  RETURN_IF_ERROR(fields.Color("accent_color", &brand.accent_rgba));

  const json captions_json = object.contains("captions") && !object["captions"].is_null()
                                 ? object["captions"]
                                 : json::object();
  ASSIGN_OR_RETURN(brand.caption_style, captions::CaptionStyleFromJson(captions_json, "captions"));
  // The brand colour is the active word's colour unless the captions set their own; with no
  // brand colour, the captions' active colour is the brand colour.
  if (!has_accent) {
    brand.accent_rgba = brand.caption_style.active_rgba;
  } else if (!captions_json.contains("active_color")) {
    brand.caption_style.active_rgba = brand.accent_rgba;
  }
  RETURN_IF_ERROR(captions::ValidateCaptionStyle(brand.caption_style, "captions"));

  if (object.contains("logo") && !object["logo"].is_null()) {
    ASSIGN_OR_RETURN(brand.logo, ParseLogo(object["logo"], base_dir));
  }
  if (object.contains("title_card") && !object["title_card"].is_null()) {
    bool enabled = true;
    ASSIGN_OR_RETURN(captions::TitleCard card, ParseTitleCard(object["title_card"], &enabled));
    if (enabled) brand.title_card = card;
  }

  RETURN_IF_ERROR(fields.String("default_layout", &brand.default_layout));
  if (brand.default_layout != "auto" && !reframe::ParseLayout(brand.default_layout).ok()) {
    return fields.Error("default_layout", "unknown layout \"" + brand.default_layout +
                                              "\" (expected auto, fill, split or fit)");
  }
  return brand;
}

Result<BrandTemplate> LoadBrandTemplate(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(json object, ReadJsonFile(path));  // errors name the path
  Result<BrandTemplate> brand = ParseBrandTemplate(object, path.parent_path());
  if (!brand.ok()) return brand.status().WithPrefix(path.string());
  return brand;
}

json BrandTemplateToJson(const BrandTemplate& brand) {
  json out = {{"version", brand.version},
              {"id", brand.id},
              {"name", brand.name},
              {"captions", captions::CaptionStyleToJson(brand.caption_style)},
              {"default_layout", brand.default_layout},
              {"accent_color", captions::FormatColor(brand.accent_rgba)}};
  if (brand.logo) {
    out["logo"] = {{"path", brand.logo->path},
                   {"position", brand.logo->position},
                   {"width_fraction", brand.logo->width_fraction},
                   {"opacity", brand.logo->opacity},
                   {"margin_px", brand.logo->margin_px}};
  }
  if (brand.title_card) {
    const captions::TitleCard& card = *brand.title_card;
    out["title_card"] = {{"enabled", true},
                         {"duration_ms", card.duration_ms},
                         {"font_family", card.font_family},
                         {"font_size_px", card.font_size_px},
                         {"text_color", captions::FormatColor(card.text_rgba)},
                         {"box_color", captions::FormatColor(card.box_rgba)},
                         {"position_y_fraction", card.position_y_fraction}};
  }
  return out;
}

BrandTemplate DefaultBrandTemplate() {
  BrandTemplate brand;
  brand.id = "default";
  brand.name = "Default";
  Result<captions::CaptionStyle> style = captions::CaptionPreset("bold");
  if (style.ok()) brand.caption_style = *style;
  brand.accent_rgba = brand.caption_style.active_rgba;
  return brand;
}

}  // namespace clipthat::render
