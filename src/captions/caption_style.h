// CaptionStyle: how karaoke captions look (font, colours, outline, position, animation, line
// breaking), the built-in presets, JSON conversion and validation.
//
// Sizes are pixels at the reference output size 1080x1920; the ASS writer scales them to the
// actual picture. Colours are 0xRRGGBBAA where AA is opacity (0xFF opaque), the inverse of
// ASS's transparency.
//
// Safe area (TikTok / Shorts / Reels): the bottom 20% of the picture holds the platform's
// caption, music and progress UI, and the right edge holds the like/comment/share buttons.
// ValidateCaptionStyle rejects a style whose caption block would reach into either.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"

namespace clipthat::captions {

// Reference output size the style's pixel values are given at.
inline constexpr int kReferenceWidthPx = 1080;
inline constexpr int kReferenceHeightPx = 1920;
// The bottom fraction of the picture kept free of captions (platform UI).
inline constexpr double kBottomUnsafeFraction = 0.20;
// The smallest left/right margin; the right one keeps clear of the platform's buttons.
inline constexpr double kMinMarginXFraction = 0.08;

struct CaptionStyle {
  std::string preset = "bold";  // the preset it came from (informational)
  // Font family as fontconfig names it ("Roboto Black", "DejaVu Sans", "Liberation Sans").
  std::string font_family = "Roboto Black";
  bool bold = true;
  int font_size_px = 80;  // at 1080x1920

  std::uint32_t fill_rgba = 0xFFFFFFFF;     // words not being spoken
  std::uint32_t active_rgba = 0xFFE500FF;   // the word being spoken
  std::uint32_t outline_rgba = 0x000000FF;  // outline (or the box, when box_background)
  std::uint32_t shadow_rgba = 0x00000080;   // drop shadow
  double outline_px = 6;                    // outline thickness (box padding when boxed)
  double shadow_px = 3;                     // shadow offset down and right
  double blur_px = 0;                       // edge blur of outline and shadow (a glow)
  bool box_background = false;              // an opaque box in outline_rgba behind each line

  bool uppercase = true;  // words shown in upper case

  // Vertical centre of the caption block, from the top (0..1). The whole block (max_lines
  // lines) must end above the bottom 20%.
  double position_y_fraction = 0.62;
  // Left and right margins as a fraction of the width (>= kMinMarginXFraction).
  double margin_x_fraction = 0.08;

  std::string animation = "pop";  // "pop": the active word scales up briefly; "none"
  double active_scale = 1.15;     // peak scale of the pop (1.0 .. 1.5)

  int max_words_per_line = 3;  // words per line (1 .. 8)
  int max_lines = 2;           // lines shown together in one caption block (1 .. 3)
  TimeMs max_gap_ms = 600;     // no line or block spans a pause longer than this
};

// Names of the built-in presets: "bold" (the default), "clean", "neon", "minimal", "boxed".
std::vector<std::string> CaptionPresetNames();

// The preset called `name`; NotFound listing the known names otherwise.
Result<CaptionStyle> CaptionPreset(std::string_view name);

// A style from JSON: {"preset": "bold", then any field overriding the preset}. Fields:
// "font_family", "bold", "font_size_px", "fill_color", "active_color", "outline_color",
// "shadow_color" ("#RRGGBB" or "#RRGGBBAA"), "outline_px", "shadow_px", "blur_px",
// "box_background", "uppercase", "position_y_fraction", "margin_x_fraction", "animation",
// "active_scale", "max_words_per_line", "max_lines", "max_gap_ms". A missing "preset" means
// "bold". Errors (InvalidArgument) name the field with `field_prefix`:
// "captions.style.active_color: expected #RRGGBB or #RRGGBBAA, got \"red\"". Unknown fields
// are errors too. Only types and syntax are checked here; ranges, the safe area and the font
// are checked by ValidateCaptionStyle.
Result<CaptionStyle> CaptionStyleFromJson(const nlohmann::json& json,
                                          std::string_view field_prefix = "style");

// Every field, colours as "#RRGGBBAA"; CaptionStyleFromJson reads it back to an equal style.
nlohmann::json CaptionStyleToJson(const CaptionStyle& style);

// Checks ranges, the safe area and that the font is installed (fontconfig has a font whose
// family is `font_family` itself, not a fallback). Errors (InvalidArgument) name the field
// and value: "style.font_family: no installed font named 'Comic Foo'",
// "style.position_y_fraction: 0.85 puts the caption block into the bottom 20% ...".
Status ValidateCaptionStyle(const CaptionStyle& style, std::string_view field_prefix = "style");

// Whether fontconfig knows a font of family `family` (case-insensitive). Thread-safe. Loads a
// fontconfig configuration for the call (a few milliseconds with the font cache warm).
bool FontFamilyInstalled(const std::string& family);

// "#RRGGBBAA" for 0xRRGGBBAA; ParseColor accepts "#RRGGBB" (opaque) or "#RRGGBBAA".
std::string FormatColor(std::uint32_t rgba);
Result<std::uint32_t> ParseColor(std::string_view text);

}  // namespace clipthat::captions
