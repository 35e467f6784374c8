#include "formats/brand_template.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <system_error>

#include "core/json_document.h"
#include "formats/edit_list.h"
#include "formats/field_reader.h"

namespace clipthat::formats {
namespace {

using nlohmann::json;

constexpr double kBottomSafeFraction = 0.20;  // platforms' buttons cover the bottom fifth

bool ValidId(const std::string& id, std::size_t max_bytes) {
  if (id.empty() || id.size() > max_bytes) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

Status CheckFont(const FieldReader& f, const char* field, const std::string& family) {
  if (family.empty() || captions::FontFamilyInstalled(family)) return Status::Ok();
  return f.Error(field, "no installed font named '" + family + "'");
}

Result<LogoSpec> ParseLogo(const json& object, const std::string& path, const LogoResolver& logos,
                           const BrandTemplateLimits& l) {
  ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open(object, path));
  RETURN_IF_ERROR(f.RejectUnknown({"path", "position", "width_fraction", "opacity", "margin_px"}));
  LogoSpec logo;
  if (!f.Has("path")) return f.Error("path", "missing (a PNG file)");
  std::string document_path;
  RETURN_IF_ERROR(f.String("path", l.max_logo_path_bytes, &document_path, Need::kRequired));
  RETURN_IF_ERROR(f.String("position", 32, &logo.position));
  const auto& positions = LogoPositions();
  if (std::find(positions.begin(), positions.end(), logo.position) == positions.end()) {
    std::string list;
    for (const std::string& p : positions) list += (list.empty() ? "" : ", ") + p;
    return f.Error("position",
                   "unknown position \"" + logo.position + "\" (expected " + list + ")");
  }
  RETURN_IF_ERROR(f.Number("width_fraction", l.min_logo_width_fraction, l.max_logo_width_fraction,
                           &logo.width_fraction));
  RETURN_IF_ERROR(f.Number("opacity", 0.0, 1.0, &logo.opacity));
  RETURN_IF_ERROR(f.Int("margin_px", 0, l.max_logo_margin_px, &logo.margin_px));

  Result<std::filesystem::path> file = logos(document_path);
  if (!file.ok()) return file.status().WithPrefix(f.Path("path"));
  Result<ImageSize> image = CheckLogoImage(*file, l.max_logo_image_px);
  if (!image.ok()) return image.status().WithPrefix(f.Path("path"));
  logo.path = file->string();
  return logo;
}

Result<captions::TitleCard> ParseTitleCard(const json& object, const std::string& path,
                                           const BrandTemplateLimits& l, bool* enabled) {
  ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open(object, path));
  RETURN_IF_ERROR(f.RejectUnknown({"enabled", "duration_ms", "font_family", "font_size_px",
                                   "text_color", "box_color", "position_y_fraction"}));
  captions::TitleCard card;
  card.duration_ms = 2500;
  *enabled = true;
  RETURN_IF_ERROR(f.Bool("enabled", enabled));
  RETURN_IF_ERROR(f.Int("duration_ms", l.min_title_ms, l.max_title_ms, &card.duration_ms));
  RETURN_IF_ERROR(f.String("font_family", 100, &card.font_family, Need::kOptional, true));
  RETURN_IF_ERROR(CheckFont(f, "font_family", card.font_family));
  RETURN_IF_ERROR(
      f.Int("font_size_px", l.min_title_font_px, l.max_title_font_px, &card.font_size_px));
  RETURN_IF_ERROR(f.Color("text_color", &card.text_rgba));
  RETURN_IF_ERROR(f.Color("box_color", &card.box_rgba));
  RETURN_IF_ERROR(f.Number("position_y_fraction", 0.0, l.max_title_position_y_fraction,
                           &card.position_y_fraction));
  return card;
}

Result<AudioSpec> ParseAudio(const json& object, const std::string& path,
                             const BrandTemplateLimits& l) {
  ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open(object, path));
  RETURN_IF_ERROR(f.RejectUnknown({"normalize", "loudness_lufs", "true_peak_dbtp"}));
  AudioSpec audio;
  RETURN_IF_ERROR(f.Bool("normalize", &audio.normalize));
  RETURN_IF_ERROR(
      f.Number("loudness_lufs", l.min_loudness_lufs, l.max_loudness_lufs, &audio.loudness_lufs));
  RETURN_IF_ERROR(f.Number("true_peak_dbtp", l.min_true_peak_dbtp, l.max_true_peak_dbtp,
                           &audio.true_peak_dbtp));
  return audio;
}

}  // namespace

const std::vector<std::string>& LogoPositions() {
  static const std::vector<std::string> kPositions = {
      "top-left",     "top-center",  "top-right",     "middle-left",
      "middle-right", "bottom-left", "bottom-center", "bottom-right"};
  return kPositions;
}

LogoResolver LogoBeside(const std::filesystem::path& base_dir) {
  return [base_dir](const std::string& path) -> Result<std::filesystem::path> {
    std::filesystem::path file(path);
    if (file.is_relative()) file = base_dir / file;
    return file.lexically_normal();
  };
}

Result<BrandTemplate> ParseBrandTemplate(const json& object, std::string_view path,
                                         const LogoResolver& logos,
                                         const BrandTemplateLimits& limits) {
  ASSIGN_OR_RETURN(FieldReader f, FieldReader::Open(object, std::string(path)));
  RETURN_IF_ERROR(f.RejectUnknown({"version", "id", "name", "captions", "logo", "title_card",
                                   "audio", "default_layout", "accent_color"}));
  BrandTemplate brand = DefaultBrandTemplate();

  std::int64_t version = 0;
  if (!f.Has("version")) return f.Error("version", "missing (expected 1)");
  RETURN_IF_ERROR(f.Int("version", 0, 1 << 30, &version, Need::kRequired));
  if (version != kBrandTemplateVersion) {
    return f.Error("version", std::to_string(version) + " is not supported (expected 1)");
  }
  brand.version = kBrandTemplateVersion;

  brand.id = "custom";
  RETURN_IF_ERROR(f.String("id", limits.max_id_bytes, &brand.id));
  if (!ValidId(brand.id, limits.max_id_bytes)) {
    return f.Error("id", "\"" + brand.id + "\" must be 1..64 of a-z, 0-9, '-' and '_'");
  }
  brand.name = brand.id;
  RETURN_IF_ERROR(f.String("name", limits.max_name_bytes, &brand.name));

  const bool has_accent = f.Has("accent_color");
  RETURN_IF_ERROR(f.Color("accent_color", &brand.accent_rgba));

  const json* captions_json = f.Find("captions");
  const json captions_doc = captions_json != nullptr ? *captions_json : json::object();
  const std::string captions_path = f.Path("captions");
  ASSIGN_OR_RETURN(brand.caption_style,
                   captions::CaptionStyleFromJson(captions_doc, captions_path));
  // The brand colour is the active word's colour unless the captions set their own; with no
  // brand colour, the captions' active colour is the brand colour.
  if (!has_accent) {
    brand.accent_rgba = brand.caption_style.active_rgba;
  } else if (!captions_doc.contains("active_color")) {
    brand.caption_style.active_rgba = brand.accent_rgba;
  }
  RETURN_IF_ERROR(captions::ValidateCaptionStyle(brand.caption_style, captions_path));

  if (const json* logo = f.Find("logo")) {
    ASSIGN_OR_RETURN(brand.logo, ParseLogo(*logo, f.Path("logo"), logos, limits));
  }
  if (const json* card = f.Find("title_card")) {
    bool enabled = true;
    ASSIGN_OR_RETURN(captions::TitleCard parsed,
                     ParseTitleCard(*card, f.Path("title_card"), limits, &enabled));
    if (enabled) brand.title_card = parsed;
  }
  if (const json* audio = f.Find("audio")) {
    ASSIGN_OR_RETURN(brand.audio, ParseAudio(*audio, f.Path("audio"), limits));
  }

  RETURN_IF_ERROR(f.String("default_layout", 16, &brand.default_layout));
  if (!ParseLayoutMode(brand.default_layout).ok()) {
    return f.Error("default_layout", "unknown layout \"" + brand.default_layout +
                                         "\" (expected auto, fill, split or fit)");
  }
  return brand;
}

Result<BrandTemplate> LoadBrandTemplate(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(json object, ReadJsonFile(path));  // errors name the path
  Result<BrandTemplate> brand = ParseBrandTemplate(object, "", LogoBeside(path.parent_path()));
  if (!brand.ok()) return brand.status().WithPrefix(path.string());
  return brand;
}

Result<std::filesystem::path> FindTemplateFile(const std::string& id,
                                               const std::vector<std::string>& dirs) {
  std::string searched;
  std::error_code ec;
  if (ValidId(id, BrandTemplateLimits{}.max_id_bytes)) {
    for (const std::string& dir : dirs) {
      const std::filesystem::path candidate = std::filesystem::path(dir) / (id + ".json");
      if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
      searched += (searched.empty() ? "" : ", ") + dir;
    }
  }
  return NotFoundError("no template '" + id.substr(0, 64) + "' (not a file; looked in " +
                       (searched.empty() ? std::string("no template folders") : searched) + ")");
}

json BrandTemplateToJson(const BrandTemplate& brand) {
  json out = {{"version", brand.version},
              {"id", brand.id},
              {"name", brand.name},
              {"captions", captions::CaptionStyleToJson(brand.caption_style)},
              {"audio",
               {{"normalize", brand.audio.normalize},
                {"loudness_lufs", brand.audio.loudness_lufs},
                {"true_peak_dbtp", brand.audio.true_peak_dbtp}}},
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

Result<ImageSize> CheckLogoImage(const std::filesystem::path& path, int max_px) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFoundError(path.string() + ": no such file");
  }
  cv::Mat image;
  try {
    image = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception&) {
    image = cv::Mat();
  }
  if (image.empty() || image.channels() > 4 || image.cols < 1 || image.rows < 1) {
    return InvalidArgumentError(path.string() + " is not an image");
  }
  if (image.cols > max_px || image.rows > max_px) {
    return InvalidArgumentError(path.string() + " is not an image of at most " +
                                std::to_string(max_px) + "x" + std::to_string(max_px) +
                                " pixels (" + std::to_string(image.cols) + "x" +
                                std::to_string(image.rows) + ")");
  }
  return ImageSize{image.cols, image.rows};
}

LogoRect LogoPlacement(const LogoSpec& spec, ImageSize image, int out_width, int out_height) {
  out_width = std::max(out_width, 4);
  out_height = std::max(out_height, 4);
  const std::string& position = spec.position;
  const bool bottom = position.starts_with("bottom-");
  const int floor_y =
      bottom ? static_cast<int>(out_height * (1 - kBottomSafeFraction)) : out_height;
  int margin = std::max(0, spec.margin_px);
  // The margin on both sides must leave room for a 2x2 logo.
  margin = std::min({margin, (out_width - 2) / 2, (floor_y - 2) / 2});
  margin = std::max(margin, 0);
  const int room_w = std::max(2, out_width - 2 * margin);
  const int room_h = std::max(2, floor_y - 2 * margin);
  const double aspect =
      image.width > 0 && image.height > 0 ? static_cast<double>(image.height) / image.width : 1.0;
  double width = std::max(2.0, spec.width_fraction * out_width);
  double height = width * aspect;
  const double shrink = std::min({1.0, room_w / width, room_h / height});
  width *= shrink;
  height *= shrink;
  LogoRect r;
  r.width = std::clamp(static_cast<int>(width) & ~1, 2, room_w & ~1);
  r.height = std::clamp(static_cast<int>(height) & ~1, 2, room_h & ~1);
  r.x = margin;
  r.y = margin;
  if (position.ends_with("-right")) r.x = out_width - r.width - margin;
  if (position.ends_with("-center")) r.x = (out_width - r.width) / 2;
  if (position.starts_with("middle-")) r.y = (out_height - r.height) / 2;
  if (bottom) r.y = floor_y - r.height - margin;
  r.x = std::max(0, r.x) & ~1;
  r.y = std::max(0, r.y) & ~1;
  return r;
}

}  // namespace clipthat::formats
