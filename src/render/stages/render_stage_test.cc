#include "render/stages/render_stage.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "analysis/stages/slots.h"
#include "core/files.h"
#include "pipeline/stage_test_runner.h"
#include "testing/media_fixtures.h"

namespace clipthat::render {
namespace {

analysis::Moment MomentAt(int id, TimeMs start_ms, TimeMs end_ms) {
  analysis::Moment m;
  m.id = id;
  m.start_ms = start_ms;
  m.end_ms = end_ms;
  m.peak_ms = start_ms;
  return m;
}

class RenderStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto path = testing::MakeTestMedia(dir_.path() / "vod.mp4", {.duration_ms = 3000});
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    vod_ = *path;
  }
  RenderStageOptions Options() {
    RenderStageOptions o;
    o.render.width = 108;
    o.render.height = 192;
    o.render.preset = "ultrafast";
    o.on_clip_done = [this](const ClipResult& r, int index, int count) {
      done_.push_back(r.path);
      EXPECT_LT(index, count);
    };
    return o;
  }
  TempDir dir_;
  std::string vod_;
  std::vector<std::string> done_;
};

TEST_F(RenderStageTest, RendersEveryMomentAndKeepsGoingPastAFailure) {
  pipeline::Context ctx;
  const std::string out_dir = (dir_.path() / "out").string();
  ctx.Set(kRenderInputSlot, {vod_, out_dir});
  ctx.Set(analysis::kMomentsSlot,
          std::vector<analysis::Moment>{MomentAt(1, 0, 1000), MomentAt(2, 9000, 12000),
                                        MomentAt(3, 1500, 2500)});
  RenderStage stage(Options());
  pipeline::StageTestRunner runner;
  Status st = runner.Run(stage, ctx);
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto results = ctx.Get(kClipResultsSlot);
  ASSERT_TRUE(results.ok());
  ASSERT_EQ((*results)->size(), 3u);
  EXPECT_TRUE((**results)[0].status.ok());
  EXPECT_FALSE((**results)[1].status.ok());
  EXPECT_TRUE((**results)[2].status.ok());
  EXPECT_EQ((**results)[2].moment_id, 3);
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out_dir) / "clip-01.mp4"));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(out_dir) / "clip-02.mp4"));
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(out_dir) / "clip-03.mp4"));
  EXPECT_EQ(done_.size(), 3u);
  ASSERT_FALSE(runner.progress().empty());
  EXPECT_DOUBLE_EQ(runner.progress().back(), 1.0);
}

TEST_F(RenderStageTest, AllFailingIsAnError) {
  pipeline::Context ctx;
  ctx.Set(kRenderInputSlot, {vod_, (dir_.path() / "out").string()});
  ctx.Set(analysis::kMomentsSlot, std::vector<analysis::Moment>{MomentAt(1, 9000, 12000)});
  RenderStage stage(Options());
  pipeline::StageTestRunner runner;
  Status st = runner.Run(stage, ctx);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("render"), std::string::npos);
  EXPECT_NE(st.message().find("all 1 clips failed"), std::string::npos) << st.message();
}

TEST_F(RenderStageTest, NoMomentsRendersNothing) {
  pipeline::Context ctx;
  ctx.Set(kRenderInputSlot, {vod_, (dir_.path() / "out").string()});
  ctx.Set(analysis::kMomentsSlot, std::vector<analysis::Moment>{});
  RenderStage stage(Options());
  pipeline::StageTestRunner runner;
  ASSERT_TRUE(runner.Run(stage, ctx).ok());
  EXPECT_TRUE(done_.empty());
}

TEST(RenderStageNames, ClipFileName) {
  EXPECT_EQ(ClipFileName(0), "clip-01.mp4");
  EXPECT_EQ(ClipFileName(11), "clip-12.mp4");
}

}  // namespace
}  // namespace clipthat::render
