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

TEST(EditListTest, CutsAreReadCheckedAndWrittenBack) {
  json j = Good();
  j["cuts"] = json::parse(R"([{"start_ms": 63000, "end_ms": 63400},
                              {"start_ms": 63400, "end_ms": 64000},
                              {"start_ms": 90000, "end_ms": 91000}])");
  auto e = EditListFromJson(j, "edit.json");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  ASSERT_EQ(e->cuts.size(), 3u);
  EXPECT_EQ(e->cuts[1], (EditCut{63400, 64000}));
  EXPECT_EQ(e->duration_ms(), 30000);
  EXPECT_EQ(e->kept_duration_ms(), 28000);
  const nlohmann::ordered_json written = EditListToJson(*e);
  EXPECT_EQ(written["cuts"].size(), 3u);
  EXPECT_EQ(written["cuts"][2]["end_ms"], 91000);
  auto again = EditListFromJson(json::parse(written.dump()), "again");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->cuts, e->cuts);
  // No cuts: none written, as before cuts existed.
  auto plain = EditListFromJson(Good(), "edit.json");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(EditListToJson(*plain).contains("cuts"));
  EXPECT_EQ(plain->kept_duration_ms(), plain->duration_ms());
}

TEST(EditListTest, BadCutsNameTheCut) {
  auto error_with = [](const char* cuts) {
    json j = Good();
    j["cuts"] = json::parse(cuts);
    return ErrorOf(j);
  };
  EXPECT_EQ(error_with(R"([{"start_ms": 60000, "end_ms": 62000}])"),
            "edit.json: cuts[0].start_ms: 60000 is before the clip's start_ms 61000");
  EXPECT_EQ(error_with(R"([{"start_ms": 62000, "end_ms": 62000}])"),
            "edit.json: cuts[0].end_ms: 62000 is not after start_ms 62000");
  EXPECT_EQ(error_with(R"([{"start_ms": 90000, "end_ms": 92000}])"),
            "edit.json: cuts[0].end_ms: 92000 is past the clip's end_ms 91000");
  EXPECT_EQ(error_with(R"([{"start_ms": 70000, "end_ms": 71000},
                          {"start_ms": 62000, "end_ms": 63000},
                          {"start_ms": 64000, "end_ms": 65000}])"),
            "edit.json: cuts[1].start_ms: 62000 is before the end of cuts[0] (71000): cuts are "
            "in order and do not overlap");
  EXPECT_EQ(error_with(R"([{"start_ms": 62000, "end_ms": 63000},
                          {"start_ms": 62500, "end_ms": 64000}])"),
            "edit.json: cuts[1].start_ms: 62500 is before the end of cuts[0] (63000): cuts are "
            "in order and do not overlap");
  EXPECT_EQ(error_with(R"([{"start_ms": 61000, "end_ms": 90500}])"),
            "edit.json: cuts: the clip keeps 500 ms of 30000 after its cuts, shorter than 1000 ms");
  EXPECT_EQ(error_with(R"([{"start_ms": 62000}])"), "edit.json: cuts[0].end_ms: missing");
  EXPECT_NE(
      error_with(R"([{"start_ms": 62000, "end_ms": 63000, "word": 3}])").find("edit.json: cuts[0]"),
      std::string::npos);
  EXPECT_NE(
      error_with(R"([{"start_ms": "62000", "end_ms": 63000}])").find("edit.json: cuts[0].start_ms"),
      std::string::npos);
  EXPECT_EQ(error_with(R"({"start_ms": 62000})"),
            "edit.json: cuts: expected an array, got an object");
  json many = json::array();
  for (int i = 0; i < 1001; ++i)
    many.push_back({{"start_ms", 61000 + i * 10}, {"end_ms", 61005 + i * 10}});
  json j = Good();
  j["cuts"] = many;
  EXPECT_EQ(ErrorOf(j), "edit.json: cuts: 1001 cuts, more than 1000");
}

TEST(EditListTest, LengthLimitsHoldForTheKeptTime) {
  // A 200 s window is too long without cuts, and fine when 30 s of it is cut.
  json j = Good();
  j["end_ms"] = 261000;
  EXPECT_EQ(ErrorOf(j), "edit.json: end_ms: the clip is 200000 ms long, longer than 180000 ms");
  j["cuts"] = json::parse(R"([{"start_ms": 100000, "end_ms": 130000}])");
  EXPECT_EQ(ErrorOf(j), "");
  j["cuts"] = json::parse(R"([{"start_ms": 100000, "end_ms": 110000}])");
  EXPECT_EQ(ErrorOf(j),
            "edit.json: cuts: the clip keeps 190000 ms of 200000 after its cuts, longer than "
            "180000 ms");
  // The window itself is bounded: the renderer decodes all of it.
  j["end_ms"] = 461000;
  j["cuts"] = json::parse(R"([{"start_ms": 100000, "end_ms": 400000}])");
  EXPECT_EQ(ErrorOf(j),
            "edit.json: end_ms: the window is 400000 ms long with its cuts, longer than 360000 ms");
  // In an API body the path prefixes the field.
  json body = Good();
  body["cuts"] = json::parse(R"([{"start_ms": 62000, "end_ms": 61500}])");
  auto e = ParseEditList(body, "edit_list");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(), "edit_list.cuts[0].end_ms: 61500 is not after start_ms 62000");
}

}  // namespace
}  // namespace clipthat::formats
