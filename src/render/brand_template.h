// BrandTemplate: a user's look for rendered clips (caption style, logo, title card, default
// layout, brand colour), stored as JSON. docs/templates.md describes every field;
// templates/*.json are the built-in ones.
//
//   {"version": 1, "id": "neon", "name": "Neon",
//    "captions": {"preset": "bold", "font_size_px": 72},
//    "logo": {"path": "logo.png", "position": "top-right", "width_fraction": 0.18,
//             "opacity": 0.9, "margin_px": 48},
//    "title_card": {"enabled": true, "duration_ms": 2500, "font_family": "DejaVu Sans",
//                   "text_color": "#FFFFFF", "box_color": "#000000C0"},
//    "default_layout": "auto", "accent_color": "#FFD400"}
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "captions/caption_style.h"
#include "captions/karaoke_ass.h"
#include "core/result.h"

namespace clipthat::render {

// The logo positions LogoSpec::position accepts, in the order docs/templates.md lists them.
const std::vector<std::string>& LogoPositions();

struct LogoSpec {
  // PNG (or any image OpenCV reads), with or without alpha. Absolute, or relative to the
  // template file; ParseBrandTemplate stores it resolved (absolute or base_dir-joined).
  std::string path;
  // top-left, top-center, top-right, middle-left, middle-right, bottom-left, bottom-center,
  // bottom-right. Bottom positions sit above the bottom 20% of the frame (the platforms'
  // buttons and descriptions cover it).
  std::string position = "top-right";
  double width_fraction = 0.18;  // logo width / output width, 0.02..0.6
  double opacity = 0.9;          // 0..1, multiplies the image's own alpha
  int margin_px = 48;            // distance from the frame edges (or the safe area), 0..400
};

struct BrandTemplate {
  int version = 1;   // only 1 is understood
  std::string id;    // [a-z0-9_-]{1,64}
  std::string name;  // shown to the user, 1..100 characters
  // From {"captions": {"preset": "...", ...overrides}} (captions::CaptionStyleFromJson).
  captions::CaptionStyle caption_style;
  std::optional<LogoSpec> logo;
  // From {"title_card": {"enabled": true, "duration_ms": 2500, "font_family": "...",
  // "text_color": "#RRGGBB[AA]", "box_color": "#RRGGBB[AA]", "position_y_fraction": 0.3}};
  // absent or "enabled": false -> none. `text` stays empty: the clip's title fills it at
  // render time.
  std::optional<captions::TitleCard> title_card;
  std::string default_layout = "auto";  // "auto", "fill", "split" or "fit"
  // Brand colour, 0xRRGGBBAA; the active-word colour when "captions" does not set one.
  std::uint32_t accent_rgba = 0xFFD400FF;
};

// Parses and validates a template. Unknown fields are rejected at every level; `base_dir`
// resolves a relative logo path. Every error is InvalidArgument (NotFound for a missing logo
// file) and names the field: `version: 2 is not supported (expected 1)`,
// `logo.path: /x/logo.png is not an image`, `logo.opacity: 1.5 is outside 0..1`,
// `default_layout: unknown layout "grid" (expected auto, fill, split or fit)`,
// `captions.font_family: ...` (fonts are checked by captions::ValidateCaptionStyle, the title
// card's font the same way).
Result<BrandTemplate> ParseBrandTemplate(const nlohmann::json& json,
                                         const std::filesystem::path& base_dir);

// Reads and parses a template file; every error starts with the path
// ("templates/neon.json: logo.opacity: 1.5 is outside 0..1"). NotFound when the file is
// missing, InvalidArgument when it is not JSON.
Result<BrandTemplate> LoadBrandTemplate(const std::filesystem::path& path);

// The template as JSON that ParseBrandTemplate reads back to an equal template (the logo path
// is written as stored, resolved).
nlohmann::json BrandTemplateToJson(const BrandTemplate& brand);

// The built-in default: the "default" caption preset, no logo, no title card, "auto" layout.
BrandTemplate DefaultBrandTemplate();

}  // namespace clipthat::render
