#include "captions/caption_style.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace clipthat::captions {
namespace {

TEST(CaptionPreset, EveryPresetExistsAndValidates) {
  const auto names = CaptionPresetNames();
  ASSERT_GE(names.size(), 5u);
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    Result<CaptionStyle> style = CaptionPreset(name);
    ASSERT_TRUE(style.ok()) << style.status().ToString();
    EXPECT_EQ(style->preset, name);
    // Fonts must be installed (fontconfig), safe area respected.
    EXPECT_TRUE(ValidateCaptionStyle(*style).ok()) << ValidateCaptionStyle(*style).ToString();
  }
}

TEST(CaptionPreset, DefaultIsBoldWithABlackWeightFont) {
  const CaptionStyle style = *CaptionPreset("bold");
  EXPECT_EQ(CaptionStyleToJson(style), CaptionStyleToJson(CaptionStyle{}));
  EXPECT_EQ(style.font_family, "Roboto Black");
  EXPECT_TRUE(FontFamilyInstalled(style.font_family));
}

TEST(CaptionPreset, UnknownNameListsTheKnownOnes) {
  Result<CaptionStyle> style = CaptionPreset("sparkle");
  ASSERT_FALSE(style.ok());
  EXPECT_EQ(style.status().code(), StatusCode::kNotFound);
  EXPECT_NE(style.status().message().find("sparkle"), std::string::npos);
  for (const std::string& name : CaptionPresetNames()) {
    EXPECT_NE(style.status().message().find(name), std::string::npos) << name;
  }
}

TEST(CaptionStyleJson, RoundTripsEveryPreset) {
  for (const std::string& name : CaptionPresetNames()) {
    SCOPED_TRACE(name);
    CaptionStyle style = *CaptionPreset(name);
    style.max_gap_ms = 750;
    style.fill_rgba = 0x12345678;
    nlohmann::json json = CaptionStyleToJson(style);
    Result<CaptionStyle> back = CaptionStyleFromJson(json);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(CaptionStyleToJson(*back), json);
    EXPECT_EQ(back->fill_rgba, 0x12345678u);
    // Through text as well.
    back = CaptionStyleFromJson(nlohmann::json::parse(json.dump()));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(CaptionStyleToJson(*back), json);
  }
}

TEST(CaptionStyleJson, FieldsOverrideThePreset) {
  Result<CaptionStyle> style = CaptionStyleFromJson(
      {{"preset", "clean"}, {"active_color", "#FF0000"}, {"max_lines", 1}, {"uppercase", true}});
  ASSERT_TRUE(style.ok()) << style.status().ToString();
  const CaptionStyle clean = *CaptionPreset("clean");
  EXPECT_EQ(style->preset, "clean");
  EXPECT_EQ(style->active_rgba, 0xFF0000FFu);
  EXPECT_EQ(style->max_lines, 1);
  EXPECT_TRUE(style->uppercase);
  EXPECT_EQ(style->font_family, clean.font_family);
  EXPECT_EQ(style->font_size_px, clean.font_size_px);

  style = CaptionStyleFromJson(nlohmann::json::object());  // no preset: bold
  ASSERT_TRUE(style.ok());
  EXPECT_EQ(style->preset, "bold");
  style = CaptionStyleFromJson({{"shadow_color", "#00000040"}});
  ASSERT_TRUE(style.ok());
  EXPECT_EQ(style->shadow_rgba, 0x00000040u);
}

TEST(CaptionStyleJson, ErrorsNameTheField) {
  struct Case {
    nlohmann::json json;
    std::string expected_start;
  };
  const Case cases[] = {
      {{{"active_color", "red"}}, "captions.style.active_color: expected #RRGGBB"},
      {{{"fill_color", "#12345"}}, "captions.style.fill_color: expected #RRGGBB"},
      {{{"outline_color", "#GG0000"}}, "captions.style.outline_color: expected #RRGGBB"},
      {{{"shadow_color", 255}}, "captions.style.shadow_color: expected #RRGGBB"},
      {{{"font_size_px", "big"}}, "captions.style.font_size_px: expected an integer"},
      {{{"font_size_px", 80.5}}, "captions.style.font_size_px: expected an integer"},
      {{{"outline_px", true}}, "captions.style.outline_px: expected a number"},
      {{{"uppercase", "yes"}}, "captions.style.uppercase: expected true or false"},
      {{{"font_family", 3}}, "captions.style.font_family: expected a string"},
      {{{"preset", "sparkle"}}, "captions.style.preset: no caption preset named 'sparkle'"},
      {{{"colour", "#FFFFFF"}}, "captions.style.colour: unknown field"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json.dump());
    Result<CaptionStyle> style = CaptionStyleFromJson(c.json, "captions.style");
    ASSERT_FALSE(style.ok());
    EXPECT_EQ(style.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(style.status().message().rfind(c.expected_start, 0), 0u) << style.status().message();
  }
  Result<CaptionStyle> not_object = CaptionStyleFromJson(nlohmann::json::array());
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.status().message().rfind("style: expected an object", 0), 0u);
}

TEST(CaptionColor, ParsesAndFormats) {
  EXPECT_EQ(*ParseColor("#00E5FF"), 0x00E5FFFFu);
  EXPECT_EQ(*ParseColor("#00e5ff80"), 0x00E5FF80u);
  EXPECT_EQ(FormatColor(0x00E5FF80), "#00E5FF80");
  EXPECT_FALSE(ParseColor("00E5FF").ok());
  EXPECT_FALSE(ParseColor("#00E5F").ok());
}

TEST(ValidateCaptionStyle, RejectsAMissingFontByName) {
  CaptionStyle style;
  style.font_family = "Comic Foo";
  Status status = ValidateCaptionStyle(style, "captions.style");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "captions.style.font_family: no installed font named 'Comic Foo'");
  // Families that are installed, not matched through a fallback.
  EXPECT_TRUE(FontFamilyInstalled("DejaVu Sans"));
  EXPECT_TRUE(FontFamilyInstalled("Liberation Sans"));
  EXPECT_TRUE(FontFamilyInstalled("roboto"));
  EXPECT_FALSE(FontFamilyInstalled("Comic Foo"));
  EXPECT_FALSE(FontFamilyInstalled(""));
}

TEST(ValidateCaptionStyle, RejectsTheBottomTwentyPercent) {
  CaptionStyle style;
  EXPECT_TRUE(ValidateCaptionStyle(style).ok());
  style.position_y_fraction = 0.85;
  Status status = ValidateCaptionStyle(style);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message().rfind("style.position_y_fraction: 0.85 ", 0), 0u) << status.message();
  EXPECT_NE(status.message().find("bottom 20%"), std::string::npos);
  // The block's lower edge counts, not only its centre: 0.76 with two big lines reaches 0.8.
  style.position_y_fraction = 0.76;
  EXPECT_FALSE(ValidateCaptionStyle(style).ok());
  style.max_lines = 1;
  style.font_size_px = 40;
  EXPECT_TRUE(ValidateCaptionStyle(style).ok());
}

TEST(ValidateCaptionStyle, ChecksRanges) {
  auto message = [](auto mutate) {
    CaptionStyle style;
    mutate(style);
    return ValidateCaptionStyle(style).message();
  };
  EXPECT_EQ(message([](CaptionStyle& s) {
              s.margin_x_fraction = 0.02;
            }).rfind("style.margin_x_fraction: 0.02 ", 0),
            0u);
  EXPECT_EQ(message([](CaptionStyle& s) { s.animation = "spin"; }).rfind("style.animation: ", 0),
            0u);
  EXPECT_EQ(message([](CaptionStyle& s) { s.font_size_px = 4; }).rfind("style.font_size_px: 4 ", 0),
            0u);
  EXPECT_EQ(message([](CaptionStyle& s) {
              s.max_words_per_line = 0;
            }).rfind("style.max_words_per_line: 0 ", 0),
            0u);
  EXPECT_EQ(message([](CaptionStyle& s) { s.max_lines = 9; }).rfind("style.max_lines: 9 ", 0), 0u);
  EXPECT_EQ(message([](CaptionStyle& s) { s.active_scale = 3; }).rfind("style.active_scale: 3 ", 0),
            0u);
  EXPECT_EQ(message([](CaptionStyle& s) { s.outline_px = -1; }).rfind("style.outline_px: -1 ", 0),
            0u);
  EXPECT_EQ(message([](CaptionStyle& s) {
              s.position_y_fraction = 0.01;
            }).rfind("style.position_y_fraction: 0.01 ", 0),
            0u);
}

}  // namespace
}  // namespace clipthat::captions
