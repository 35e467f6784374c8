#include "formats/edit_list.h"

#include <gtest/gtest.h>

namespace clipthat::formats {
namespace {

using json = nlohmann::json;

json Good() {
  return json::parse(R"({
    "version": 1, "source": "vod.mp4", "start_ms": 61000, "end_ms": 91000,
    "output": {"width": 1080, "height": 1920, "fps": 30},
    "layout": {"mode": "split", "facecam": {"x": 0, "y": 700, "width": 480, "height": 360}},
    "crop_keyframes": [{"t_ms": 61000, "x": 100, "y": 0, "width": 608, "height": 1080},
                       {"t_ms": 70000, "x": 900, "y": 0, "width": 608, "height": 1080}],
    "captions": {"enabled": true, "style": {"preset": "bold"},
                 "words": [{"text": "late", "start_ms": 62000, "end_ms": 62400},
                           {"text": "early", "start_ms": 60500, "end_ms": 61200},
                           {"text": "after", "start_ms": 95000, "end_ms": 95500}]},
    "title": "No way", "template": "neon", "moment_id": 3})");
}

// The message of the error for `doc`, or "" when it parses.
std::string ErrorOf(const json& doc) {
  auto e = EditListFromJson(doc, "edit.json");
  if (e.ok()) return "";
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  return e.status().message();
}

TEST(EditListTest, ReadsEveryFieldAndWritesItBack) {
  auto e = EditListFromJson(Good(), "edit.json");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->source, "vod.mp4");
  EXPECT_EQ(e->duration_ms(), 30000);
  EXPECT_EQ(e->layout, LayoutMode::kSplit);
  ASSERT_TRUE(e->facecam.has_value());
  EXPECT_EQ(e->facecam->y, 700);
  EXPECT_FALSE(e->gameplay.has_value());
  ASSERT_EQ(e->crop_keyframes.size(), 2u);
  EXPECT_EQ(e->crop_keyframes[1].x, 900);
  ASSERT_EQ(e->captions.words.size(), 3u);
  EXPECT_EQ(e->captions.words[0].text, "early");  // sorted by time
  EXPECT_EQ(e->template_ref, "neon");
  EXPECT_EQ(e->moment_id, 3);

  auto again = EditListFromJson(json::parse(EditListToJson(*e).dump()), "again");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(EditListToJson(*again), EditListToJson(*e));
}

TEST(EditListTest, WordsAreClippedToTheClip) {
  auto e = EditListFromJson(Good(), "edit.json");
  ASSERT_TRUE(e.ok());
  const std::vector<EditWord> words = WordsInClip(*e);
  ASSERT_EQ(words.size(), 2u);  // "after" is past the end
  EXPECT_EQ(words[0].text, "early");
  EXPECT_EQ(words[0].start_ms, 61000);  // clipped to the start
  EXPECT_EQ(words[0].end_ms, 61200);
}

TEST(EditListTest, BadValuesNameTheField) {
  json j = Good();
  j["start_ms"] = -5;
  EXPECT_NE(ErrorOf(j).find("edit.json: start_ms"), std::string::npos) << ErrorOf(j);
  j = Good();
  j["end_ms"] = 50000;
  EXPECT_NE(ErrorOf(j).find("end_ms: 50000 is not after start_ms"), std::string::npos);
  j = Good();
  j["end_ms"] = 61500;  // too short
  EXPECT_NE(ErrorOf(j).find("end_ms: the clip is 500 ms long"), std::string::npos);
  j = Good();
  j["layout"]["mode"] = "grid";
  EXPECT_NE(ErrorOf(j).find("layout.mode: layout 'grid'"), std::string::npos) << ErrorOf(j);
  j = Good();
  j["version"] = 2;
  EXPECT_NE(ErrorOf(j).find("version"), std::string::npos);
  j = Good();
  j["output"]["width"] = 1081;
  EXPECT_NE(ErrorOf(j).find("output.width"), std::string::npos);
  j = Good();
  j["crop_keyframes"][1]["t_ms"] = 60000;  // not after the first
  EXPECT_NE(ErrorOf(j).find("crop_keyframes[1].t_ms"), std::string::npos) << ErrorOf(j);
  j = Good();
  j["captions"]["words"][0]["end_ms"] = 1;
  EXPECT_NE(ErrorOf(j).find("captions.words[0].end_ms"), std::string::npos) << ErrorOf(j);
  j = Good();
  j["layout"]["facecam"]["width"] = 0;
  EXPECT_NE(ErrorOf(j).find("layout.facecam.width"), std::string::npos) << ErrorOf(j);
  j = Good();
  j.erase("start_ms");
  EXPECT_NE(ErrorOf(j).find("start_ms: missing"), std::string::npos);
}

TEST(EditListTest, AgainstTheSourceDuration) {
  auto e = EditListFromJson(Good(), "edit.json");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(CheckEditListAgainstSource(*e, {"vod.mp4", 91000}, "edit.json").ok());
  Status st = CheckEditListAgainstSource(*e, {"vod.mp4", 90000}, "edit.json");
  EXPECT_NE(st.message().find("edit.json: end_ms: 91000 is past the end of vod.mp4"),
            std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace clipthat::formats
