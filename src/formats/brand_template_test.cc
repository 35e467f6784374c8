#include "formats/brand_template.h"

#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/files.h"

namespace clipthat::formats {
namespace {

using nlohmann::json;

const std::filesystem::path kTemplatesDir =
    std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "templates";

// A 64x32 logo with alpha: an opaque red left half, a transparent right half.
std::filesystem::path WriteLogo(const std::filesystem::path& dir) {
  cv::Mat logo(32, 64, CV_8UC4, cv::Scalar(0, 0, 0, 0));
  logo(cv::Rect(0, 0, 32, 32)).setTo(cv::Scalar(0, 0, 255, 255));
  const std::filesystem::path path = dir / "logo.png";
  EXPECT_TRUE(cv::imwrite(path.string(), logo));
  return path;
}

json GoodTemplate() {
  return {{"version", 1},
          {"id", "neon-brand"},
          {"name", "Neon brand"},
          {"captions", {{"preset", "neon"}, {"font_size_px", 72}}},
          {"logo",
           {{"path", "logo.png"},
            {"position", "top-left"},
            {"width_fraction", 0.2},
            {"opacity", 0.75},
            {"margin_px", 40}}},
          {"title_card",
           {{"enabled", true},
            {"duration_ms", 3000},
            {"font_family", "DejaVu Sans"},
            {"text_color", "#FFFFFF"},
            {"box_color", "#101010C0"}}},
          {"audio", {{"loudness_lufs", -16}, {"true_peak_dbtp", -2}}},
          {"default_layout", "split"},
          {"accent_color", "#00E5FF"}};
}

// Parses `doc` and expects an InvalidArgument or NotFound error naming `field`.
void ExpectRejected(const json& doc, const std::filesystem::path& dir, const std::string& field,
                    const std::string& also = "") {
  Result<BrandTemplate> brand = ParseBrandTemplate(doc, "", LogoBeside(dir));
  ASSERT_FALSE(brand.ok()) << doc.dump();
  const std::string message = brand.status().message();
  EXPECT_EQ(message.rfind(field + ":", 0), 0u) << message;
  if (!also.empty()) {
    EXPECT_NE(message.find(also), std::string::npos) << message;
  }
}

TEST(BrandTemplateTest, GoodTemplateParsesAndRoundTrips) {
  TempDir dir;
  const std::filesystem::path logo_path = WriteLogo(dir.path());
  Result<BrandTemplate> brand = ParseBrandTemplate(GoodTemplate(), "", LogoBeside(dir.path()));
  ASSERT_TRUE(brand.ok()) << brand.status().ToString();
  EXPECT_EQ(brand->id, "neon-brand");
  EXPECT_EQ(brand->name, "Neon brand");
  EXPECT_EQ(brand->caption_style.preset, "neon");
  EXPECT_EQ(brand->caption_style.font_size_px, 72);
  // The captions do not set an active colour: the brand colour is used.
  EXPECT_EQ(brand->accent_rgba, 0x00E5FFFFu);
  EXPECT_EQ(brand->caption_style.active_rgba, 0x00E5FFFFu);
  ASSERT_TRUE(brand->logo.has_value());
  EXPECT_EQ(std::filesystem::path(brand->logo->path), logo_path);  // resolved
  EXPECT_EQ(brand->logo->position, "top-left");
  EXPECT_DOUBLE_EQ(brand->logo->opacity, 0.75);
  EXPECT_EQ(brand->logo->margin_px, 40);
  ASSERT_TRUE(brand->title_card.has_value());
  EXPECT_EQ(brand->title_card->duration_ms, 3000);
  EXPECT_EQ(brand->title_card->font_family, "DejaVu Sans");
  EXPECT_EQ(brand->title_card->box_rgba, 0x101010C0u);
  EXPECT_TRUE(brand->title_card->text.empty());
  EXPECT_EQ(brand->default_layout, "split");
  EXPECT_TRUE(brand->audio.normalize);  // not given: on
  EXPECT_DOUBLE_EQ(brand->audio.loudness_lufs, -16);
  EXPECT_DOUBLE_EQ(brand->audio.true_peak_dbtp, -2);

  const json written = BrandTemplateToJson(*brand);
  Result<BrandTemplate> again = ParseBrandTemplate(written, "", LogoBeside("/nonexistent"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(BrandTemplateToJson(*again), written);
}

TEST(BrandTemplateTest, CaptionsActiveColourWinsOverTheAccent) {
  json doc = {{"version", 1},
              {"id", "x"},
              {"captions", {{"preset", "bold"}, {"active_color", "#FF0000"}}},
              {"accent_color", "#00FF00"}};
  Result<BrandTemplate> brand = ParseBrandTemplate(doc, "", LogoBeside("."));
  ASSERT_TRUE(brand.ok()) << brand.status().ToString();
  EXPECT_EQ(brand->caption_style.active_rgba, 0xFF0000FFu);
  EXPECT_EQ(brand->accent_rgba, 0x00FF00FFu);
  EXPECT_EQ(brand->name, "x");
  EXPECT_FALSE(brand->logo.has_value());
  EXPECT_FALSE(brand->title_card.has_value());
  EXPECT_EQ(brand->default_layout, "auto");
  // No "audio": the platforms' level.
  EXPECT_TRUE(brand->audio.normalize);
  EXPECT_DOUBLE_EQ(brand->audio.loudness_lufs, -14);
  EXPECT_DOUBLE_EQ(brand->audio.true_peak_dbtp, -1);
}

TEST(BrandTemplateTest, AudioCanKeepTheSourceLevel) {
  json doc = {{"version", 1}, {"id", "x"}, {"audio", {{"normalize", false}}}};
  Result<BrandTemplate> brand = ParseBrandTemplate(doc, "", LogoBeside("."));
  ASSERT_TRUE(brand.ok()) << brand.status().ToString();
  EXPECT_FALSE(brand->audio.normalize);
  EXPECT_EQ(BrandTemplateToJson(*brand)["audio"]["normalize"], false);
}

TEST(BrandTemplateTest, DisabledTitleCardIsNone) {
  json doc = {{"version", 1}, {"id", "x"}, {"title_card", {{"enabled", false}}}};
  Result<BrandTemplate> brand = ParseBrandTemplate(doc, "", LogoBeside("."));
  ASSERT_TRUE(brand.ok()) << brand.status().ToString();
  EXPECT_FALSE(brand->title_card.has_value());
}

TEST(BrandTemplateTest, BadTemplatesNameTheField) {
  TempDir dir;
  WriteLogo(dir.path());
  ASSERT_TRUE(WriteFileAtomically(dir.path() / "notes.png", "this is text, not a picture").ok());
  auto with = [](const char* pointer, json value) {
    json doc = GoodTemplate();
    doc[json::json_pointer(pointer)] = std::move(value);
    return doc;
  };
  ExpectRejected(with("/version", 2), dir.path(), "version", "not supported");
  ExpectRejected(with("/version", "1"), dir.path(), "version");
  ExpectRejected(with("/default_layout", "grid"), dir.path(), "default_layout", "\"grid\"");
  ExpectRejected(with("/captions/font_family", "Comic Foo"), dir.path(), "captions.font_family",
                 "Comic Foo");
  ExpectRejected(with("/title_card/font_family", "Comic Foo"), dir.path(), "title_card.font_family",
                 "Comic Foo");
  ExpectRejected(with("/logo/path", "notes.png"), dir.path(), "logo.path", "is not an image");
  ExpectRejected(with("/logo/path", "missing.png"), dir.path(), "logo.path", "no such file");
  ExpectRejected(with("/logo/opacity", 1.5), dir.path(), "logo.opacity", "outside 0..1");
  ExpectRejected(with("/logo/position", "somewhere"), dir.path(), "logo.position", "somewhere");
  ExpectRejected(with("/logo/colour", "red"), dir.path(), "logo.colour", "unknown field");
  ExpectRejected(with("/extra", 1), dir.path(), "extra", "unknown field");
  ExpectRejected(with("/accent_color", "yellow"), dir.path(), "accent_color");
  ExpectRejected(with("/id", "Has Spaces"), dir.path(), "id");
  ExpectRejected(with("/title_card/duration_ms", 100), dir.path(), "title_card.duration_ms");
  ExpectRejected(with("/captions/position_y_fraction", 0.95), dir.path(),
                 "captions.position_y_fraction");
  ExpectRejected(with("/audio/loudness_lufs", -31), dir.path(), "audio.loudness_lufs",
                 "outside -30..-5");
  ExpectRejected(with("/audio/loudness_lufs", -4.5), dir.path(), "audio.loudness_lufs");
  ExpectRejected(with("/audio/true_peak_dbtp", 0.5), dir.path(), "audio.true_peak_dbtp",
                 "outside -9..0");
  ExpectRejected(with("/audio/normalize", "yes"), dir.path(), "audio.normalize");
  ExpectRejected(with("/audio/gain_db", 3), dir.path(), "audio.gain_db", "unknown field");
  ExpectRejected(with("/audio", "loud"), dir.path(), "audio");

  json no_version = GoodTemplate();
  no_version.erase("version");
  ExpectRejected(no_version, dir.path(), "version", "missing");
  json no_logo_path = GoodTemplate();
  no_logo_path["logo"].erase("path");
  ExpectRejected(no_logo_path, dir.path(), "logo.path", "missing");

  Result<BrandTemplate> missing =
      ParseBrandTemplate(with("/logo/path", "missing.png"), "", LogoBeside(dir.path()));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  Result<BrandTemplate> opacity =
      ParseBrandTemplate(with("/logo/opacity", 1.5), "", LogoBeside(dir.path()));
  EXPECT_EQ(opacity.status().code(), StatusCode::kInvalidArgument);
}

TEST(BrandTemplateTest, LoadErrorsStartWithThePath) {
  TempDir dir;
  const std::filesystem::path path = dir.path() / "brand.json";
  json doc = GoodTemplate();
  doc["logo"]["opacity"] = 2;
  ASSERT_TRUE(WriteFileAtomically(path, doc.dump()).ok());
  Result<BrandTemplate> brand = LoadBrandTemplate(path);
  ASSERT_FALSE(brand.ok());
  EXPECT_EQ(brand.status().message().rfind(path.string() + ": logo.opacity", 0), 0u)
      << brand.status().message();

  ASSERT_TRUE(WriteFileAtomically(path, "{not json").ok());
  brand = LoadBrandTemplate(path);
  ASSERT_FALSE(brand.ok());
  EXPECT_EQ(brand.status().message().rfind(path.string(), 0), 0u);
  EXPECT_NE(brand.status().message().find("not JSON"), std::string::npos);

  brand = LoadBrandTemplate(dir.path() / "absent.json");
  EXPECT_EQ(brand.status().code(), StatusCode::kNotFound);
}

TEST(BrandTemplateTest, LogoPathIsRelativeToTheTemplateFile) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "brand");
  WriteLogo(dir.path() / "brand");
  ASSERT_TRUE(WriteFileAtomically(dir.path() / "brand" / "t.json", GoodTemplate().dump()).ok());
  Result<BrandTemplate> brand = LoadBrandTemplate(dir.path() / "brand" / "t.json");
  ASSERT_TRUE(brand.ok()) << brand.status().ToString();
  EXPECT_EQ(std::filesystem::path(brand->logo->path), dir.path() / "brand" / "logo.png");
}

TEST(BrandTemplateTest, BuiltInTemplatesLoad) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kTemplatesDir)) {
    if (entry.path().extension() != ".json") continue;
    Result<BrandTemplate> brand = LoadBrandTemplate(entry.path());
    ASSERT_TRUE(brand.ok()) << brand.status().ToString();
    EXPECT_EQ(brand->id, entry.path().stem().string());
    ++count;
  }
  EXPECT_GE(count, 2);
  Result<BrandTemplate> default_template = LoadBrandTemplate(kTemplatesDir / "default.json");
  ASSERT_TRUE(default_template.ok());
  EXPECT_EQ(BrandTemplateToJson(*default_template), BrandTemplateToJson(DefaultBrandTemplate()));
}

TEST(BrandTemplateTest, DefaultTemplateIsValid) {
  const json doc = BrandTemplateToJson(DefaultBrandTemplate());
  Result<BrandTemplate> brand = ParseBrandTemplate(doc, "", LogoBeside("."));
  ASSERT_TRUE(brand.ok()) << brand.status().ToString();
  EXPECT_EQ(BrandTemplateToJson(*brand), doc);
}

TEST(LogoPlacementTest, WidthFractionOfTheFrameAtItsPosition) {
  LogoSpec spec;
  spec.position = "top-right";
  spec.width_fraction = 0.2;
  spec.margin_px = 40;
  const LogoRect r = LogoPlacement(spec, {200, 100}, 1080, 1920);
  EXPECT_EQ(r.width, 216);
  EXPECT_EQ(r.height, 108);
  EXPECT_EQ(r.x, 1080 - 216 - 40);
  EXPECT_EQ(r.y, 40);
  spec.position = "bottom-left";
  const LogoRect b = LogoPlacement(spec, {200, 100}, 1080, 1920);
  EXPECT_EQ(b.x, 40);
  EXPECT_EQ(b.y + b.height + 40, 1536);  // above the bottom fifth
}

TEST(LogoPlacementTest, WhatWouldNotFitIsShrunkNeverRefused) {
  LogoSpec spec;
  spec.width_fraction = 0.6;
  for (const char* position : {"top-left", "middle-right", "bottom-center"}) {
    spec.position = position;
    for (int margin : {0, 48, 400}) {
      spec.margin_px = margin;
      for (ImageSize image : {ImageSize{10, 4000}, ImageSize{4000, 10}, ImageSize{1, 1}}) {
        for (auto [w, h] : {std::pair{64, 64}, std::pair{1080, 1920}, std::pair{4096, 64}}) {
          const LogoRect r = LogoPlacement(spec, image, w, h);
          SCOPED_TRACE(std::string(position) + " margin " + std::to_string(margin) + " " +
                       std::to_string(w) + "x" + std::to_string(h));
          EXPECT_GE(r.width, 2);
          EXPECT_GE(r.height, 2);
          EXPECT_EQ(r.x % 2, 0);
          EXPECT_EQ(r.y % 2, 0);
          EXPECT_GE(r.x, 0);
          EXPECT_GE(r.y, 0);
          EXPECT_LE(r.x + r.width, w);
          EXPECT_LE(r.y + r.height, h);
        }
      }
    }
  }
}

}  // namespace
}  // namespace clipthat::formats
