// BrandTemplate: a user's look for rendered clips (caption style, logo, title card, default
// layout, brand colour), stored as JSON. docs/templates.md describes every field;
// templates/*.json are the built-in ones; users store theirs through the API.
//
//   {"version": 1, "id": "neon", "name": "Neon",
//    "captions": {"preset": "bold", "font_size_px": 72},
//    "logo": {"path": "logo.png", "position": "top-right", "width_fraction": 0.18,
//             "opacity": 0.9, "margin_px": 48},
//    "title_card": {"enabled": true, "duration_ms": 2500, "font_family": "DejaVu Sans",
//                   "text_color": "#FFFFFF", "box_color": "#000000C0"},
//    "audio": {"normalize": true, "loudness_lufs": -14, "true_peak_dbtp": -1},
//    "default_layout": "auto", "accent_color": "#FFD400"}
//
// One parser for every reader (the command line, the API, the worker): what it accepts, the
// renderer renders. Where the logo comes from differs, so the caller says how its path is found
// (LogoResolver): beside the template file, among the user's uploaded logos, or where the
// worker downloaded it. The logo is checked here to be an image (CheckLogoImage); where it goes
// in the frame never fails (LogoPlacement shrinks it to fit).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "captions/caption_style.h"
#include "captions/karaoke_ass.h"
#include "core/result.h"

namespace clipthat::formats {

inline constexpr int kBrandTemplateVersion = 1;

// The logo positions LogoSpec::position accepts, in the order docs/templates.md lists them.
const std::vector<std::string>& LogoPositions();

struct LogoSpec {
  // As parsed: the file the LogoResolver found for the document's "path".
  std::string path;
  // top-left, top-center, top-right, middle-left, middle-right, bottom-left, bottom-center,
  // bottom-right. Bottom positions sit above the bottom 20% of the frame (the platforms'
  // buttons and descriptions cover it).
  std::string position = "top-right";
  double width_fraction = 0.18;  // logo width / output width, 0.02..0.6
  double opacity = 0.9;          // 0..1, multiplies the image's own alpha
  int margin_px = 48;            // distance from the frame edges (or the safe area), 0..400
};

// How a clip's sound is levelled (render/clip_loudness.h): the whole clip gets one gain that
// brings its integrated loudness (ITU-R BS.1770-4) to `loudness_lufs` without its true peak
// passing `true_peak_dbtp`. The defaults are what YouTube, TikTok, Instagram and Spotify
// normalise to; "normalize": false keeps the source's level.
struct AudioSpec {
  bool normalize = true;
  double loudness_lufs = -14.0;  // integrated loudness target, -30..-5 LUFS
  double true_peak_dbtp = -1.0;  // true-peak ceiling, -9..0 dBTP
};

struct BrandTemplate {
  int version = 1;   // only 1 is understood
  std::string id;    // [a-z0-9_-]{1,64}; "custom" when the document has none
  std::string name;  // shown to the user, 1..100 bytes; the id when absent
  // From {"captions": {"preset": "...", ...overrides}} (captions::CaptionStyleFromJson).
  captions::CaptionStyle caption_style;
  std::optional<LogoSpec> logo;
  // From {"title_card": {"enabled": true, "duration_ms": 2500, "font_family": "...",
  // "font_size_px": 56, "text_color": "#RRGGBB[AA]", "box_color": "#RRGGBB[AA]",
  // "position_y_fraction": 0.3}}; absent or "enabled": false -> none. `text` stays empty: the
  // clip's title fills it at render time.
  std::optional<captions::TitleCard> title_card;
  std::string default_layout = "auto";  // "auto", "fill", "split" or "fit"
  // From {"audio": {"normalize": true, "loudness_lufs": -14, "true_peak_dbtp": -1}}.
  AudioSpec audio;
  // Brand colour, 0xRRGGBBAA; the active-word colour when "captions" does not set one.
  std::uint32_t accent_rgba = 0xFFD400FF;
};

// Bounds on a template, in one place (GET /v1/formats/limits serves them).
struct BrandTemplateLimits {
  std::size_t max_id_bytes = 64;
  std::size_t max_name_bytes = 100;
  std::size_t max_logo_path_bytes = 512;
  double min_logo_width_fraction = 0.02, max_logo_width_fraction = 0.6;
  int max_logo_margin_px = 400;
  int min_title_ms = 500, max_title_ms = 15000;
  int min_title_font_px = 16, max_title_font_px = 200;
  double max_title_position_y_fraction = 0.7;
  int max_logo_image_px = 8192;  // width and height of the logo image
  double min_loudness_lufs = -30, max_loudness_lufs = -5;
  double min_true_peak_dbtp = -9, max_true_peak_dbtp = 0;
};

// Finds the file for a document's logo.path. Errors name what is wrong with the path
// (NotFound "no such file", InvalidArgument for a path the reader refuses); the parser puts
// "logo.path: " in front.
using LogoResolver = std::function<Result<std::filesystem::path>(const std::string& path)>;

// The command line's: absolute, or relative to `base_dir` (the template file's folder).
LogoResolver LogoBeside(const std::filesystem::path& base_dir);

// Parses and validates a template. Unknown fields are rejected at every level. `path` is where
// the document sits in its container ("document" in an API body) and prefixes every field in
// errors; "" for a whole document. Every error is InvalidArgument (NotFound for a missing logo
// file) and names the field: `version: 2 is not supported (expected 1)`,
// `logo.path: /x/logo.png is not an image`, `logo.opacity: 1.5 is outside 0..1`,
// `default_layout: unknown layout "grid" (expected auto, fill, split or fit)`,
// `captions.font_family: ...` (fonts are checked by captions::ValidateCaptionStyle, the title
// card's font the same way), `audio.loudness_lufs: -40 is outside -30..-5`.
Result<BrandTemplate> ParseBrandTemplate(const nlohmann::json& json, std::string_view path,
                                         const LogoResolver& logos,
                                         const BrandTemplateLimits& limits = {});

// Reads and parses a template file (its logo beside it); every error starts with the path
// ("templates/neon.json: logo.opacity: 1.5 is outside 0..1"). NotFound when the file is
// missing, InvalidArgument when it is not JSON.
Result<BrandTemplate> LoadBrandTemplate(const std::filesystem::path& path);

// The file of built-in template `id` ("<dir>/<id>.json" in the first of `dirs` that has it).
// NotFound naming the id and the folders searched.
Result<std::filesystem::path> FindTemplateFile(const std::string& id,
                                               const std::vector<std::string>& dirs);

// The template as JSON that ParseBrandTemplate reads back to an equal template (the logo path
// is written as stored, resolved).
nlohmann::json BrandTemplateToJson(const BrandTemplate& brand);

// The built-in default: the "bold" caption preset, no logo, no title card, "auto" layout.
BrandTemplate DefaultBrandTemplate();

// A logo image's size in pixels.
struct ImageSize {
  int width = 0, height = 0;
};

// Reads `path` as the renderer will (OpenCV, any depth, 1 to 4 channels) and returns its size.
// NotFound "<path>: no such file"; InvalidArgument "<path> is not an image" (also for more
// than 4 channels, or wider or taller than `max_px`).
Result<ImageSize> CheckLogoImage(const std::filesystem::path& path, int max_px = 8192);

// Where a logo of `image` size lands in an out_width x out_height frame, in output pixels
// (even x, y, width, height): spec.width_fraction of the width, aspect kept, at spec.position
// with spec.margin_px (bottom positions above the bottom 20%). A logo that would not fit (a
// tall image, a small frame, a wide margin) is shrunk, and the margin narrowed, until it
// does: a template never makes a clip fail to render. out_width and out_height are at least 4.
struct LogoRect {
  int x = 0, y = 0, width = 0, height = 0;
};
LogoRect LogoPlacement(const LogoSpec& spec, ImageSize image, int out_width, int out_height);

}  // namespace clipthat::formats
