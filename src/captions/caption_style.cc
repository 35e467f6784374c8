#include "captions/caption_style.h"

#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace clipthat::captions {
namespace {

std::string FieldName(std::string_view prefix, std::string_view field) {
  if (prefix.empty()) return std::string(field);
  std::string name(prefix);
  name += '.';
  name += field;
  return name;
}

CaptionStyle BoldPreset() { return CaptionStyle{}; }

CaptionStyle CleanPreset() {
  CaptionStyle s;
  s.preset = "clean";
  s.font_family = "DejaVu Sans";
  s.bold = true;
  s.font_size_px = 68;
  s.active_rgba = 0x00E5FFFF;
  s.outline_px = 4;
  s.shadow_px = 2;
  s.shadow_rgba = 0x00000099;
  s.uppercase = false;
  s.animation = "none";
  s.active_scale = 1.0;
  s.max_words_per_line = 4;
  return s;
}

CaptionStyle NeonPreset() {
  CaptionStyle s;
  s.preset = "neon";
  s.font_size_px = 84;
  s.active_rgba = 0x39FF14FF;
  s.outline_px = 5;
  s.shadow_px = 0;
  s.shadow_rgba = 0x39FF1466;
  s.blur_px = 3;
  s.active_scale = 1.2;
  s.max_words_per_line = 2;
  return s;
}

CaptionStyle MinimalPreset() {
  CaptionStyle s;
  s.preset = "minimal";
  s.font_family = "Roboto Medium";
  s.bold = false;
  s.font_size_px = 60;
  s.fill_rgba = 0xFFFFFFCC;
  s.active_rgba = 0xFFFFFFFF;
  s.outline_px = 2;
  s.shadow_px = 2;
  s.uppercase = false;
  s.position_y_fraction = 0.70;
  s.animation = "none";
  s.active_scale = 1.0;
  s.max_words_per_line = 4;
  return s;
}

CaptionStyle BoxedPreset() {
  CaptionStyle s;
  s.preset = "boxed";
  s.font_family = "Roboto";
  s.bold = true;
  s.font_size_px = 72;
  s.active_rgba = 0xFFD400FF;
  s.outline_rgba = 0x000000B3;
  s.outline_px = 14;
  s.shadow_px = 0;
  s.box_background = true;
  s.max_lines = 1;
  return s;
}

struct PresetEntry {
  const char* name;
  CaptionStyle (*make)();
};
constexpr PresetEntry kPresets[] = {{"bold", BoldPreset},
                                    {"clean", CleanPreset},
                                    {"neon", NeonPreset},
                                    {"minimal", MinimalPreset},
                                    {"boxed", BoxedPreset}};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads JSON fields into a style, remembering the first error.
class FieldReader {
 public:
  FieldReader(const nlohmann::json& json, std::string_view prefix) : json_(json), prefix_(prefix) {}

  void Number(const char* field, double* out) {
    const nlohmann::json* v = Find(field);
    if (v == nullptr) return;
    if (!v->is_number()) return Fail(field, "expected a number, got " + v->dump());
    *out = v->get<double>();
    if (!std::isfinite(*out)) Fail(field, "expected a finite number");
  }
  template <typename Int>
  void Integer(const char* field, Int* out) {
    const nlohmann::json* v = Find(field);
    if (v == nullptr) return;
    if (!v->is_number_integer()) return Fail(field, "expected an integer, got " + v->dump());
    *out = static_cast<Int>(v->get<std::int64_t>());
  }
  void Bool(const char* field, bool* out) {
    const nlohmann::json* v = Find(field);
    if (v == nullptr) return;
    if (!v->is_boolean()) return Fail(field, "expected true or false, got " + v->dump());
    *out = v->get<bool>();
  }
  void String(const char* field, std::string* out) {
    const nlohmann::json* v = Find(field);
    if (v == nullptr) return;
    if (!v->is_string()) return Fail(field, "expected a string, got " + v->dump());
    *out = v->get<std::string>();
  }
  void Color(const char* field, std::uint32_t* out) {
    const nlohmann::json* v = Find(field);
    if (v == nullptr) return;
    if (v->is_string()) {
      Result<std::uint32_t> color = ParseColor(v->get<std::string>());
      if (color.ok()) {
        *out = *color;
        return;
      }
    }
    Fail(field, "expected #RRGGBB or #RRGGBBAA, got " + v->dump());
  }

  const Status& status() const { return status_; }

 private:
  const nlohmann::json* Find(const char* field) {
    if (!status_.ok()) return nullptr;
    auto it = json_.find(field);
    return it == json_.end() ? nullptr : &*it;
  }
  void Fail(const char* field, const std::string& what) {
    if (status_.ok()) status_ = InvalidArgumentError(FieldName(prefix_, field) + ": " + what);
  }

  const nlohmann::json& json_;
  std::string_view prefix_;
  Status status_;
};

constexpr const char* kJsonFields[] = {"preset",
                                       "font_family",
                                       "bold",
                                       "font_size_px",
                                       "fill_color",
                                       "active_color",
                                       "outline_color",
                                       "shadow_color",
                                       "outline_px",
                                       "shadow_px",
                                       "blur_px",
                                       "box_background",
                                       "uppercase",
                                       "position_y_fraction",
                                       "margin_x_fraction",
                                       "animation",
                                       "active_scale",
                                       "max_words_per_line",
                                       "max_lines",
                                       "max_gap_ms"};

std::string FormatNumber(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

std::vector<std::string> CaptionPresetNames() {
  std::vector<std::string> names;
  for (const PresetEntry& p : kPresets) names.emplace_back(p.name);
  return names;
}

Result<CaptionStyle> CaptionPreset(std::string_view name) {
  for (const PresetEntry& p : kPresets) {
    if (name == p.name) return p.make();
  }
  std::string known;
  for (const PresetEntry& p : kPresets) {
    if (!known.empty()) known += ", ";
    known += p.name;
  }
  return NotFoundError("no caption preset named '" + std::string(name) + "' (known: " + known +
                       ")");
}

std::string FormatColor(std::uint32_t rgba) {
  char text[10];
  std::snprintf(text, sizeof(text), "#%08X", static_cast<unsigned>(rgba));
  return text;
}

Result<std::uint32_t> ParseColor(std::string_view text) {
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') {
    return InvalidArgumentError("expected #RRGGBB or #RRGGBBAA, got \"" + std::string(text) + "\"");
  }
  std::uint32_t value = 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    int digit = HexDigit(text[i]);
    if (digit < 0) {
      return InvalidArgumentError("expected #RRGGBB or #RRGGBBAA, got \"" + std::string(text) +
                                  "\"");
    }
    value = value * 16 + static_cast<std::uint32_t>(digit);
  }
  if (text.size() == 7) value = value << 8 | 0xFF;
  return value;
}

Result<CaptionStyle> CaptionStyleFromJson(const nlohmann::json& json,
                                          std::string_view field_prefix) {
  if (!json.is_object()) {
    return InvalidArgumentError(std::string(field_prefix.empty() ? "style" : field_prefix) +
                                ": expected an object, got " + json.dump());
  }
  for (const auto& item : json.items()) {
    // A named reference, not a structured binding: lambdas may not capture bindings before
    // C++20 compilers that implement P1091 (clang 16).
    const std::string& key = item.key();
    if (std::find_if(std::begin(kJsonFields), std::end(kJsonFields),
                     [&](const char* f) { return key == f; }) == std::end(kJsonFields)) {
      return InvalidArgumentError(FieldName(field_prefix, key) + ": unknown field");
    }
  }
  std::string preset = "bold";
  FieldReader reader(json, field_prefix);
  reader.String("preset", &preset);
  RETURN_IF_ERROR(reader.status());
  Result<CaptionStyle> base = CaptionPreset(preset);
  if (!base.ok()) {
    return InvalidArgumentError(FieldName(field_prefix, "preset") + ": " + base.status().message());
  }
  CaptionStyle style = *base;
  reader.String("font_family", &style.font_family);
  reader.Bool("bold", &style.bold);
  reader.Integer("font_size_px", &style.font_size_px);
  reader.Color("fill_color", &style.fill_rgba);
  reader.Color("active_color", &style.active_rgba);
  reader.Color("outline_color", &style.outline_rgba);
  reader.Color("shadow_color", &style.shadow_rgba);
  reader.Number("outline_px", &style.outline_px);
  reader.Number("shadow_px", &style.shadow_px);
  reader.Number("blur_px", &style.blur_px);
  reader.Bool("box_background", &style.box_background);
  reader.Bool("uppercase", &style.uppercase);
  reader.Number("position_y_fraction", &style.position_y_fraction);
  reader.Number("margin_x_fraction", &style.margin_x_fraction);
  reader.String("animation", &style.animation);
  reader.Number("active_scale", &style.active_scale);
  reader.Integer("max_words_per_line", &style.max_words_per_line);
  reader.Integer("max_lines", &style.max_lines);
  reader.Integer("max_gap_ms", &style.max_gap_ms);
  RETURN_IF_ERROR(reader.status());
  return style;
}

nlohmann::json CaptionStyleToJson(const CaptionStyle& s) {
  return nlohmann::json{{"preset", s.preset},
                        {"font_family", s.font_family},
                        {"bold", s.bold},
                        {"font_size_px", s.font_size_px},
                        {"fill_color", FormatColor(s.fill_rgba)},
                        {"active_color", FormatColor(s.active_rgba)},
                        {"outline_color", FormatColor(s.outline_rgba)},
                        {"shadow_color", FormatColor(s.shadow_rgba)},
                        {"outline_px", s.outline_px},
                        {"shadow_px", s.shadow_px},
                        {"blur_px", s.blur_px},
                        {"box_background", s.box_background},
                        {"uppercase", s.uppercase},
                        {"position_y_fraction", s.position_y_fraction},
                        {"margin_x_fraction", s.margin_x_fraction},
                        {"animation", s.animation},
                        {"active_scale", s.active_scale},
                        {"max_words_per_line", s.max_words_per_line},
                        {"max_lines", s.max_lines},
                        {"max_gap_ms", s.max_gap_ms}};
}

bool FontFamilyInstalled(const std::string& family) {
  if (family.empty()) return false;
  // A private configuration, destroyed after use: fontconfig's process-wide default (FcInit)
  // is never freed, and this keeps the check free of shared state.
  FcConfig* config = FcInitLoadConfigAndFonts();
  if (config == nullptr) return false;
  FcPattern* pattern = FcPatternCreate();
  FcObjectSet* objects = FcObjectSetBuild(FC_FAMILY, nullptr);
  bool found = false;
  if (pattern != nullptr && objects != nullptr) {
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    // FcFontList matches the family against every family name a font lists (case- and
    // blank-insensitive), never a substitute: exactly "is this family installed".
    FcFontSet* fonts = FcFontList(config, pattern, objects);
    found = fonts != nullptr && fonts->nfont > 0;
    if (fonts != nullptr) FcFontSetDestroy(fonts);
  }
  if (objects != nullptr) FcObjectSetDestroy(objects);
  if (pattern != nullptr) FcPatternDestroy(pattern);
  FcConfigDestroy(config);
  return found;
}

Status ValidateCaptionStyle(const CaptionStyle& s, std::string_view prefix) {
  auto bad = [&](const char* field, const std::string& value, const std::string& why) {
    return InvalidArgumentError(FieldName(prefix, field) + ": " + value + " " + why);
  };
  if (s.font_size_px < 16 || s.font_size_px > 300) {
    return bad("font_size_px", std::to_string(s.font_size_px), "is outside 16 .. 300");
  }
  if (!(s.outline_px >= 0 && s.outline_px <= 40)) {
    return bad("outline_px", FormatNumber(s.outline_px), "is outside 0 .. 40");
  }
  if (!(s.shadow_px >= 0 && s.shadow_px <= 40)) {
    return bad("shadow_px", FormatNumber(s.shadow_px), "is outside 0 .. 40");
  }
  if (!(s.blur_px >= 0 && s.blur_px <= 20)) {
    return bad("blur_px", FormatNumber(s.blur_px), "is outside 0 .. 20");
  }
  if (s.animation != "pop" && s.animation != "none") {
    return bad("animation", "'" + s.animation + "'", "is not one of pop, none");
  }
  if (!(s.active_scale >= 1.0 && s.active_scale <= 1.5)) {
    return bad("active_scale", FormatNumber(s.active_scale), "is outside 1.0 .. 1.5");
  }
  if (s.max_words_per_line < 1 || s.max_words_per_line > 8) {
    return bad("max_words_per_line", std::to_string(s.max_words_per_line), "is outside 1 .. 8");
  }
  if (s.max_lines < 1 || s.max_lines > 3) {
    return bad("max_lines", std::to_string(s.max_lines), "is outside 1 .. 3");
  }
  if (s.max_gap_ms < 0 || s.max_gap_ms > 5000) {
    return bad("max_gap_ms", std::to_string(s.max_gap_ms), "is outside 0 .. 5000");
  }
  if (!(s.margin_x_fraction >= kMinMarginXFraction && s.margin_x_fraction <= 0.35)) {
    return bad("margin_x_fraction", FormatNumber(s.margin_x_fraction),
               "is outside 0.08 .. 0.35 (the right margin keeps clear of the platform's "
               "like/comment/share buttons)");
  }
  // The block of max_lines lines (with the pop and the outline) must sit between the top 5%
  // and the bottom 20% of the picture.
  const double line_px = s.font_size_px * 1.25 * std::max(1.0, s.active_scale) + 2 * s.outline_px;
  const double half_block = s.max_lines * line_px / 2 / kReferenceHeightPx;
  if (!(s.position_y_fraction > 0 && s.position_y_fraction < 1)) {
    return bad("position_y_fraction", FormatNumber(s.position_y_fraction), "is outside 0 .. 1");
  }
  if (s.position_y_fraction + half_block > 1.0 - kBottomUnsafeFraction) {
    return bad("position_y_fraction", FormatNumber(s.position_y_fraction),
               "puts the caption block into the bottom 20% of the picture (platform UI); the "
               "block of " +
                   std::to_string(s.max_lines) + " lines must end above " +
                   FormatNumber(1.0 - kBottomUnsafeFraction));
  }
  if (s.position_y_fraction - half_block < 0.05) {
    return bad("position_y_fraction", FormatNumber(s.position_y_fraction),
               "puts the caption block above the top 5% of the picture");
  }
  if (s.font_family.empty()) return bad("font_family", "''", "is empty");
  if (!FontFamilyInstalled(s.font_family)) {
    return InvalidArgumentError(FieldName(prefix, "font_family") + ": no installed font named '" +
                                s.font_family + "'");
  }
  return Status::Ok();
}

}  // namespace clipthat::captions
