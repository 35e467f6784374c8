#include "render/stages/render_stage.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/files.h"
#include "pipeline/stage_test_runner.h"
#include "render/testing/small_edit_list.h"
#include "testing/media_fixtures.h"

namespace clipthat::render {
namespace {

formats::EditList Small(const std::string& vod, TimeMs start_ms, TimeMs end_ms) {
  return SmallFitEditList(vod, start_ms, end_ms, 108, 192);
}

TEST(RenderStageTest, RendersEveryEditListAndKeepsGoingPastAFailure) {
  testing::QuietLibavLogs();
  TempDir dir;
  auto vod = testing::MakeTestMedia(dir.path() / "vod.mp4", {.duration_ms = 3000});
  ASSERT_TRUE(vod.ok()) << vod.status().ToString();
  pipeline::Context ctx;
  const std::string out_dir = (dir.path() / "out").string();
  ctx.Set(kRenderInputSlot, {out_dir});
  ctx.Set(kEditListsSlot,
          std::vector<formats::EditList>{Small(*vod, 0, 1000), Small(*vod, 9000, 12000),
                                         Small(*vod, 1500, 2500)});
  RenderStageOptions options;
  options.settings.preset = "ultrafast";
  std::vector<int> done;
  options.on_clip_done = [&](const ClipResult& r, int count) {
    EXPECT_EQ(count, 3);
    done.push_back(r.index);
  };
  RenderStage stage(options);
  pipeline::StageTestRunner runner;
  Status st = runner.Run(stage, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto results = ctx.Get(kClipResultsSlot);
  ASSERT_TRUE(results.ok());
  ASSERT_EQ((*results)->size(), 3u);
  const auto& r = **results;
  EXPECT_TRUE(r[0].status.ok()) << r[0].status.ToString();
  EXPECT_FALSE(r[1].status.ok());
  EXPECT_NE(r[1].status.message().find("clip-02: start_ms"), std::string::npos)
      << r[1].status.message();
  EXPECT_TRUE(r[2].status.ok());
  EXPECT_EQ(r[2].path, (std::filesystem::path(out_dir) / "clip-03.mp4").string());
  EXPECT_TRUE(std::filesystem::exists(r[2].path));
  EXPECT_FALSE(std::filesystem::exists(r[1].path));
  EXPECT_EQ(done.size(), 3u);
  EXPECT_FALSE(runner.progress().empty());
}

TEST(RenderStageTest, FailsWhenEveryClipFails) {
  TempDir dir;
  pipeline::Context ctx;
  ctx.Set(kRenderInputSlot, {(dir.path() / "out").string()});
  ctx.Set(kEditListsSlot, std::vector<formats::EditList>{Small("/nonexistent.mp4", 0, 1000)});
  RenderStage stage;
  pipeline::StageTestRunner runner;
  Status st = runner.Run(stage, ctx);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("all 1 clips failed"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace clipthat::render
