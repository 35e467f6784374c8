#include "render/render_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/files.h"
#include "testing/media_fixtures.h"

namespace clipthat::render {
namespace {

TEST(RunBoundedTest, RunsEveryIndexOnceWithBoundedConcurrency) {
  std::atomic<int> running{0}, peak{0};
  std::vector<std::atomic<int>> runs(9);
  RunBounded(9, 3, [&](int i) {
    const int now = ++running;
    int p = peak.load();
    while (now > p && !peak.compare_exchange_weak(p, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ++runs[i];
    --running;
  });
  for (auto& r : runs) EXPECT_EQ(r.load(), 1);
  EXPECT_LE(peak.load(), 3);
  EXPECT_GE(peak.load(), 2);  // they did overlap
}

TEST(RenderPoolTest, AFailingClipDoesNotStopTheOthersAndResultsKeepTheirOrder) {
  testing::QuietLibavLogs();
  TempDir dir;
  auto src = testing::MakeTestMedia(dir.path() / "src.mp4", {.duration_ms = 4000});
  ASSERT_TRUE(src.ok()) << src.status().ToString();
  std::vector<RenderJob> jobs;
  for (int i = 0; i < 3; ++i) {
    formats::EditList e;
    e.source = *src;
    e.start_ms = 1000 * i;
    e.end_ms = e.start_ms + 1000;
    e.output = {.width = 108, .height = 192, .fps = 30};
    e.layout = formats::LayoutMode::kFit;
    jobs.push_back(
        {e, "clip-" + std::to_string(i), (dir.path() / (std::to_string(i) + ".mp4")).string()});
  }
  jobs[1].edit.end_ms = 9000;  // past the end of the source
  RenderSettings settings;
  settings.preset = "ultrafast";
  std::vector<int> done;
  std::vector<double> last_progress(3, 0);
  auto results =
      RenderAll(jobs, settings, {.jobs = 2},
                {.progress = [&](int i, double f) { last_progress[i] = f; },
                 .on_done = [&](int i, const Result<RenderResult>&) { done.push_back(i); }});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok()) << results[0].status().ToString();
  ASSERT_FALSE(results[1].ok());
  EXPECT_NE(results[1].status().message().find("clip-1: end_ms"), std::string::npos)
      << results[1].status().message();
  EXPECT_TRUE(results[2].ok()) << results[2].status().ToString();
  EXPECT_EQ(results[2]->path, jobs[2].out_path);
  EXPECT_EQ(done.size(), 3u);
  EXPECT_DOUBLE_EQ(last_progress[0], 1.0);
  EXPECT_DOUBLE_EQ(last_progress[2], 1.0);
  EXPECT_FALSE(std::filesystem::exists(jobs[1].out_path));
  EXPECT_TRUE(std::filesystem::exists(jobs[2].out_path));
}

TEST(RenderPoolTest, CancelledBeforeStartRendersNothing) {
  std::vector<RenderJob> jobs(2);
  auto results = RenderAll(jobs, {}, {}, {.cancelled = [] { return true; }});
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace clipthat::render
