// The API and the renderer agree on every edit list and brand template: generated documents
// (a valid one with one to three fields changed to values from a pool of edge cases: wrong
// types, out of range, unknown fields, reversed times, past the end of the source, unknown
// layouts, templates, fonts and logos) are checked by the API's checks (api/format_checks.h,
// what its routes call) and read as the worker and the renderer read them (formats parsing,
// then render::PlanClip, the renderer's validation step, on real media). Every document the
// API accepts must pass the renderer, and a sample of them is rendered to the end; every one
// the renderer refuses, the API must refuse, naming the same field.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "api/api_error.h"
#include "api/format_checks.h"
#include "core/files.h"
#include "formats/brand_template.h"
#include "formats/edit_list.h"
#include "render/clip_plan.h"
#include "render/clip_renderer.h"
#include "store/object_store.h"
#include "testing/media_fixtures.h"

namespace clipthat {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::string kTemplatesDir =
    (fs::path(__FILE__).parent_path().parent_path() / "templates").string();
constexpr TimeMs kSourceMs = 6000;
constexpr int kSourceWidth = 640, kSourceHeight = 360;

// The field an error names: "edit_list.end_ms: ..." -> "end_ms" after `prefix`.
std::string FieldOf(const std::string& message, const std::string& prefix) {
  if (message.rfind(prefix, 0) != 0) return "<" + message + ">";
  const std::string rest = message.substr(prefix.size());
  return rest.substr(0, rest.find(": "));
}

struct Decision {
  bool ok = true;
  std::string field;  // when refused
  std::string message;
};

class FormatAgreementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto media = testing::MakeTestMedia(
        dir_.path() / "vod.mp4",
        {.duration_ms = kSourceMs, .width = kSourceWidth, .height = kSourceHeight});
    ASSERT_TRUE(media.ok()) << media.status().ToString();
    media_ = *media;
    auto objects = store::LocalObjectStore::Open((dir_.path() / "objects").string());
    ASSERT_TRUE(objects.ok());
    objects_ = std::move(*objects);
    // The user's logos: one image, one text file under an image's name.
    ASSERT_TRUE(fs::exists(fs::path(kTemplatesDir) / "logo.png"));
    auto logo = ReadFileToString(fs::path(kTemplatesDir) / "logo.png");
    ASSERT_TRUE(logo.ok());
    ASSERT_TRUE(objects_->PutBytes(api::LogoObjectKey("u1", "brand.png"), *logo).ok());
    ASSERT_TRUE(objects_->PutBytes(api::LogoObjectKey("u1", "notes.png"), "plain text").ok());
  }

  // The API's decision, as its routes make it.
  Decision ApiEditList(const json& doc, json* stored) {
    try {
      *stored = api::CheckEditList(
          doc, "edit_list", {{kTemplatesDir}, {"the VOD", kSourceMs, kSourceWidth, kSourceHeight}});
      return {};
    } catch (const api::ApiError& e) {
      return {false, FieldOf(e.what(), "edit_list."), e.what()};
    }
  }

  // The worker's and the renderer's: the job's edit list with the source filled in, parsed,
  // then validated and resolved by PlanClip.
  Decision RendererEditList(const json& doc, formats::EditList* out = nullptr) {
    json job = doc;
    if (job.is_object()) job["source"] = media_;
    Result<formats::EditList> edit = formats::EditListFromJson(job, "job");
    if (!edit.ok())
      return {false, FieldOf(edit.status().message(), "job: "), edit.status().message()};
    Result<render::ClipPlan> plan = render::PlanClip(*edit, "job", {kTemplatesDir});
    if (!plan.ok())
      return {false, FieldOf(plan.status().message(), "job: "), plan.status().message()};
    if (out != nullptr) *out = *edit;
    return {};
  }

  Decision ApiTemplate(const json& doc) {
    try {
      api::CheckTemplateDocument(doc, "document", *objects_, "u1");
      return {};
    } catch (const api::ApiError& e) {
      return {false, FieldOf(e.what(), "document."), e.what()};
    }
  }

  // The worker's: it downloads the logo the document names (404 when the user has none), reads
  // the template by the same rules, writes it for the renderer, and PlanClip loads it.
  Decision RendererTemplate(const json& doc, const std::string& out_name, bool render) {
    const formats::LogoResolver downloaded = [&](const std::string& name) -> Result<fs::path> {
      if (!api::IsLogoName(name)) return NotFoundError("no such logo");
      const std::string key = api::LogoObjectKey("u1", name);
      if (!objects_->Size(key).ok()) return NotFoundError("no such logo");
      auto bytes = objects_->ReadAll(key);
      if (!bytes.ok()) return bytes.status();
      const fs::path file = dir_.path() / (out_name + "-logo");
      RETURN_IF_ERROR(WriteFileAtomically(file, *bytes));
      return file;
    };
    Result<formats::BrandTemplate> brand = formats::ParseBrandTemplate(doc, "template", downloaded);
    if (!brand.ok()) {
      return {false, FieldOf(brand.status().message(), "template."), brand.status().message()};
    }
    const fs::path file = dir_.path() / (out_name + ".json");
    EXPECT_TRUE(WriteFileAtomically(file, formats::BrandTemplateToJson(*brand).dump()).ok());
    formats::EditList edit;
    edit.source = media_;
    edit.start_ms = 1000;
    edit.end_ms = 2500;
    edit.output = {.width = 180, .height = 320, .fps = 30};
    edit.title = "A title";
    edit.template_ref = file.string();
    edit.captions.words = {{"hello", 1200, 1600}};
    Result<render::ClipPlan> plan = render::PlanClip(edit, "job", {kTemplatesDir});
    if (!plan.ok()) {
      return {false, "<" + plan.status().message() + ">", plan.status().message()};
    }
    if (render) {
      const std::string out = (dir_.path() / (out_name + ".mp4")).string();
      render::RenderSettings settings;
      settings.preset = "ultrafast";
      auto rendered = render::RenderClip(edit, "job", out, settings);
      if (!rendered.ok()) return {false, "<render>", rendered.status().message()};
    }
    return {};
  }

  TempDir dir_{"clipthat-formats"};
  std::string media_;
  std::unique_ptr<store::LocalObjectStore> objects_;
};

// Case `n`: the n-th change alone while there are changes left, then one to three at random.
// Returns what was changed, for the trace.
std::string ApplyChanges(const std::vector<std::pair<std::string, json>>& changes, int n,
                         std::mt19937& random, json* doc) {
  const bool single = n < static_cast<int>(changes.size());
  const int count = single ? 1 : 1 + static_cast<int>(random() % 3);
  std::string what;
  for (int k = 0; k < count; ++k) {
    const auto& [pointer, value] = single ? changes[n] : changes[random() % changes.size()];
    try {
      (*doc)[json::json_pointer(pointer)] = value;
    } catch (const json::exception&) {
      continue;  // the path goes through a value that is no longer an object
    }
    what += pointer + "=" + value.dump() + " ";
  }
  return what;
}

json BaseEditList() {
  return json::parse(R"({
    "version": 1, "start_ms": 1000, "end_ms": 2500,
    "output": {"width": 180, "height": 320, "fps": 30},
    "layout": {"mode": "fit"},
    "captions": {"enabled": true, "style": {"preset": "bold"},
                 "words": [{"text": "hi", "start_ms": 1200, "end_ms": 1500}]},
    "title": "t"})");
}

// One change to an edit list: a JSON pointer and a value.
std::vector<std::pair<std::string, json>> EditListChanges() {
  const json huge = 10000000000000LL;
  const std::string long_text(301, 'a');
  std::vector<std::pair<std::string, json>> c = {
      {"/version", 2},
      {"/version", "1"},
      {"/version", nullptr},
      {"/start_ms", -1},
      {"/start_ms", 0},
      {"/start_ms", 5999},
      {"/start_ms", 6000},
      {"/start_ms", huge},
      {"/start_ms", "1000"},
      {"/start_ms", 1000.5},
      {"/end_ms", 0},
      {"/end_ms", 1500},
      {"/end_ms", 1999},
      {"/end_ms", 6000},
      {"/end_ms", 6001},
      {"/end_ms", 200000},
      {"/end_ms", huge},
      {"/end_ms", nullptr},
      {"/output/width", 16},
      {"/output/width", 62},
      {"/output/width", 64},
      {"/output/width", 181},
      {"/output/width", 4096},
      {"/output/width", 4098},
      {"/output/width", "180"},
      {"/output/height", 63},
      {"/output/height", 66},
      {"/output/fps", 0},
      {"/output/fps", 1},
      {"/output/fps", 120},
      {"/output/fps", 121},
      {"/output/depth", 8},
      {"/layout", "grid"},
      {"/layout", "split"},
      {"/layout", "fill"},
      {"/layout", 5},
      {"/layout/mode", "grid"},
      {"/layout/mode", "split"},
      {"/layout/extra", true},
      {"/layout/facecam", {{"x", 0}, {"y", 0}, {"width", 160}, {"height", 90}}},
      {"/layout/facecam", {{"x", 600}, {"y", 0}, {"width", 100}, {"height", 90}}},
      {"/layout/facecam", {{"x", -1}, {"y", 0}, {"width", 100}, {"height", 90}}},
      {"/layout/facecam", {{"x", 0}, {"y", 0}, {"width", 0}, {"height", 90}}},
      {"/layout/facecam", {{"x", 0}, {"y", 0}, {"width", 20000}, {"height", 90}}},
      {"/layout/facecam", {{"x", 0}, {"y", 0}, {"width", 100}}},
      {"/layout/gameplay", {{"x", 0}, {"y", 300}, {"width", 640}, {"height", 61}}},
      {"/crop_keyframes", json::array()},
      {"/crop_keyframes", {{{"t_ms", 1000}, {"x", 0}, {"y", 0}, {"width", 202}, {"height", 360}}}},
      {"/crop_keyframes",
       {{{"t_ms", 1000}, {"x", 500}, {"y", 0}, {"width", 202}, {"height", 360}}}},
      {"/crop_keyframes", {{{"t_ms", -5}, {"x", 0}, {"y", 0}, {"width", 202}, {"height", 360}}}},
      {"/crop_keyframes",
       {{{"t_ms", 2000}, {"x", 0}, {"y", 0}, {"width", 202}, {"height", 360}},
        {{"t_ms", 1000}, {"x", 0}, {"y", 0}, {"width", 202}, {"height", 360}}}},
      {"/crop_keyframes", {{{"t_ms", 1000}, {"x", 0}, {"y", 0}, {"width", 0}, {"height", 360}}}},
      {"/crop_keyframes", "none"},
      {"/cuts", json::array()},
      {"/cuts", {{{"start_ms", 1200}, {"end_ms", 1400}}}},
      {"/cuts", {{{"start_ms", 1000}, {"end_ms", 1200}}, {{"start_ms", 2300}, {"end_ms", 2500}}}},
      {"/cuts", {{{"start_ms", 1000}, {"end_ms", 1600}}}},
      {"/cuts", {{{"start_ms", 900}, {"end_ms", 1200}}}},
      {"/cuts", {{{"start_ms", 2400}, {"end_ms", 2600}}}},
      {"/cuts", {{{"start_ms", 1400}, {"end_ms", 1300}}}},
      {"/cuts", {{{"start_ms", 1300}, {"end_ms", 1500}}, {{"start_ms", 1200}, {"end_ms", 1400}}}},
      {"/cuts", {{{"start_ms", 1200}}}},
      {"/cuts", {{{"start_ms", 1200}, {"end_ms", 1300}, {"word", 1}}}},
      {"/cuts", "none"},
      {"/captions/enabled", false},
      {"/captions/enabled", "yes"},
      {"/captions/style", {{"preset", "nope"}}},
      {"/captions/style", {{"font_family", "Comic Foo"}}},
      {"/captions/style", {{"preset", "neon"}, {"font_size_px", 5}}},
      {"/captions/style", {{"preset", "bold"}, {"unknown", 1}}},
      {"/captions/style", "bold"},
      {"/captions/words", json::array()},
      {"/captions/words/0/text", long_text},
      {"/captions/words/0/text", ""},
      {"/captions/words/0/end_ms", 1100},
      {"/captions/words/0/start_ms", -3},
      {"/captions/words/0/confidence", 2},
      {"/captions/words/0/speaker", "a"},
      {"/captions/words", {{{"text", "x"}, {"start_ms", 9000}, {"end_ms", 9100}}}},
      {"/captions/words", "hi"},
      {"/captions/extra", 1},
      {"/title", long_text},
      {"/title", 5},
      {"/title", ""},
      {"/template", "neon"},
      {"/template", "clean"},
      {"/template", "nope"},
      {"/template", "../x"},
      {"/template", "Bold"},
      {"/template", ""},
      {"/template", "default"},
      {"/moment_id", -1},
      {"/moment_id", 3},
      {"/moment_id", 2000000},
      {"/moment_id", "3"},
      {"/source", "/etc/passwd"},
      {"/extra", 1},
  };
  return c;
}

TEST_F(FormatAgreementTest, EditListsTheApiAcceptsRenderAndTheOnesTheRendererRefusesAreRefused) {
  const auto changes = EditListChanges();
  std::mt19937 random(20261202);
  int accepted = 0, refused = 0, rendered = 0, compared = 0, rendered_with_cuts = 0;
  for (int n = 0; n < 400; ++n) {
    json doc = BaseEditList();
    const std::string what = ApplyChanges(changes, n, random, &doc);
    SCOPED_TRACE(what);
    json stored;
    const Decision api = ApiEditList(doc, &stored);
    const Decision raw = RendererEditList(doc);
    if (!raw.ok) {
      EXPECT_FALSE(api.ok) << "the renderer refuses (" << raw.message << "), the API accepts";
      if (!api.ok) {
        ++compared;
        EXPECT_EQ(api.field, raw.field) << "API: " << api.message << "\nrenderer: " << raw.message;
      }
    }
    if (api.ok) {
      ++accepted;
      formats::EditList edit;
      const Decision as_stored = RendererEditList(stored, &edit);
      EXPECT_TRUE(as_stored.ok) << "the API accepts, the renderer refuses: " << as_stored.message;
      // A sample, and the first with cuts (the render drops what they cover).
      const bool first_cut = !edit.cuts.empty() && rendered_with_cuts == 0;
      if (as_stored.ok && ((rendered < 4 && n % 7 == 0) || first_cut)) {
        rendered_with_cuts += edit.cuts.empty() ? 0 : 1;
        const std::string out = (dir_.path() / ("edit-" + std::to_string(n) + ".mp4")).string();
        render::RenderSettings settings;
        settings.preset = "ultrafast";
        settings.template_dirs = {kTemplatesDir};  // where the API found its template
        auto r = render::RenderClip(edit, "job", out, settings);
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        ++rendered;
      }
    } else {
      ++refused;
    }
  }
  std::printf(
      "edit lists: %d accepted by the API, %d refused (%d by both, the same field), "
      "%d rendered to the end\n",
      accepted, refused, compared, rendered);
  EXPECT_GT(compared, 100);
  EXPECT_GT(accepted, 40);
  EXPECT_GT(refused, 100);
  EXPECT_GE(rendered, 2);
  EXPECT_GE(rendered_with_cuts, 1);
}

json BaseTemplate() {
  return json::parse(R"({
    "version": 1, "name": "Mine", "captions": {"preset": "bold"},
    "logo": {"path": "brand.png", "position": "top-right", "width_fraction": 0.2},
    "title_card": {"enabled": true, "duration_ms": 1000},
    "default_layout": "fit", "accent_color": "#FFD400"})");
}

std::vector<std::pair<std::string, json>> TemplateChanges() {
  return {
      {"/version", 2},
      {"/version", nullptr},
      {"/version", "1"},
      {"/id", "my-brand"},
      {"/id", "Has Spaces"},
      {"/id", std::string(65, 'a')},
      {"/name", ""},
      {"/name", std::string(101, 'n')},
      {"/name", 7},
      {"/captions", {{"preset", "neon"}}},
      {"/captions", {{"preset", "nope"}}},
      {"/captions/font_family", "Comic Foo"},
      {"/captions/font_family", "DejaVu Sans"},
      {"/captions/font_size_px", 3},
      {"/captions/position_y_fraction", 0.95},
      {"/captions/active_color", "#00FF00"},
      {"/captions/active_color", "green"},
      {"/captions", "bold"},
      {"/captions/extra", 1},
      {"/logo", nullptr},
      {"/logo/path", "nope.png"},
      {"/logo/path", "notes.png"},
      {"/logo/path", "../../etc/passwd"},
      {"/logo/path", "/etc/passwd"},
      {"/logo/path", ""},
      {"/logo/path", 5},
      {"/logo/position", "bottom-center"},
      {"/logo/position", "somewhere"},
      {"/logo/width_fraction", 0.01},
      {"/logo/width_fraction", 0.6},
      {"/logo/width_fraction", 0.61},
      {"/logo/opacity", 1.5},
      {"/logo/opacity", 0},
      {"/logo/margin_px", 400},
      {"/logo/margin_px", 401},
      {"/logo/margin_px", -1},
      {"/logo/colour", "red"},
      {"/logo", "x"},
      {"/title_card/enabled", false},
      {"/title_card/duration_ms", 100},
      {"/title_card/duration_ms", 15000},
      {"/title_card/duration_ms", 15001},
      {"/title_card/font_family", "Comic Foo"},
      {"/title_card/font_size_px", 15},
      {"/title_card/font_size_px", 200},
      {"/title_card/text_color", "#12345"},
      {"/title_card/box_color", "#000000C0"},
      {"/title_card/position_y_fraction", 0.71},
      {"/title_card/extra", true},
      {"/audio", {{"loudness_lufs", -20}}},
      {"/audio/loudness_lufs", -30},
      {"/audio/loudness_lufs", -31},
      {"/audio/loudness_lufs", "-14"},
      {"/audio/true_peak_dbtp", 0},
      {"/audio/true_peak_dbtp", 0.5},
      {"/audio/normalize", false},
      {"/audio/normalize", 1},
      {"/audio/extra", 1},
      {"/audio", "loud"},
      {"/default_layout", "grid"},
      {"/default_layout", "auto"},
      {"/default_layout", "split"},
      {"/accent_color", "yellow"},
      {"/accent_color", "#FFFFFF"},
      {"/extra", 1},
  };
}

TEST_F(FormatAgreementTest, TemplatesTheApiAcceptsRenderAndTheOnesTheRendererRefusesAreRefused) {
  const auto changes = TemplateChanges();
  std::mt19937 random(1202);
  int accepted = 0, refused = 0, rendered = 0, compared = 0;
  for (int n = 0; n < 200; ++n) {
    json doc = BaseTemplate();
    const std::string what = ApplyChanges(changes, n, random, &doc);
    SCOPED_TRACE(what);
    const Decision api = ApiTemplate(doc);
    const bool render = api.ok && rendered < 3 && n % 5 == 0;
    const Decision worker = RendererTemplate(doc, "t" + std::to_string(n), render);
    if (render && worker.ok) ++rendered;
    if (!worker.ok) {
      EXPECT_FALSE(api.ok) << "the renderer refuses (" << worker.message << "), the API accepts";
      if (!api.ok) {
        ++compared;
        EXPECT_EQ(api.field, worker.field)
            << "API: " << api.message << "\nworker: " << worker.message;
      }
    }
    if (api.ok) {
      ++accepted;
      EXPECT_TRUE(worker.ok) << "the API accepts, the renderer refuses: " << worker.message;
    } else {
      ++refused;
    }
  }
  std::printf(
      "templates: %d accepted by the API, %d refused (%d by both, the same field), "
      "%d rendered to the end\n",
      accepted, refused, compared, rendered);
  EXPECT_GT(compared, 50);
  EXPECT_GT(accepted, 20);
  EXPECT_GT(refused, 50);
  EXPECT_GE(rendered, 2);
}

}  // namespace
}  // namespace clipthat
