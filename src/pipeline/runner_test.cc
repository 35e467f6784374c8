#include "pipeline/runner.h"

#include <gtest/gtest.h>

#include <thread>

#include "pipeline/stage_test_runner.h"

namespace clipthat::pipeline {
namespace {

constexpr Slot<int> kCount{"count"};
constexpr Slot<std::vector<std::string>> kTrace{"trace"};

// Appends its name to the trace slot, reports progress in steps, sleeps a little.
class StepStage final : public Stage {
 public:
  StepStage(std::string name, int steps, std::chrono::milliseconds sleep = {})
      : name_(std::move(name)), steps_(steps), sleep_(sleep) {}
  std::string_view name() const override { return name_; }
  Status run(Context& ctx) override {
    if (!ctx.Has(kTrace)) ctx.Set(kTrace, std::vector<std::string>{});
    ASSIGN_OR_RETURN(auto* trace, ctx.Get(kTrace));
    trace->push_back(name_);
    for (int i = 1; i <= steps_; ++i) {
      if (ctx.cancelled()) return CancelledError("stopped");
      std::this_thread::sleep_for(sleep_);
      ctx.ReportProgress(static_cast<double>(i) / steps_);
    }
    return Status::Ok();
  }

 private:
  std::string name_;
  int steps_;
  std::chrono::milliseconds sleep_;
};

class FailingStage final : public Stage {
 public:
  std::string_view name() const override { return "chat_scan"; }
  Status run(Context&) override { return DataError("chat.json: not JSON"); }
};

class ReadsMissingSlotStage final : public Stage {
 public:
  std::string_view name() const override { return "needs_count"; }
  Status run(Context& ctx) override {
    ASSIGN_OR_RETURN(int* count, ctx.Get(kCount));
    return *count > 0 ? Status::Ok() : InvalidArgumentError("zero");
  }
};

class ThrowingStage final : public Stage {
 public:
  std::string_view name() const override { return "thrower"; }
  Status run(Context&) override { throw std::runtime_error("boom"); }
};

TEST(RunnerTest, RunsStagesInOrderAndTimesEach) {
  Runner runner;
  runner.Add(std::make_unique<StepStage>("a", 2, std::chrono::milliseconds(20)))
      .Add(std::make_unique<StepStage>("b", 1));
  Context ctx;
  auto report = runner.Run(ctx);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->timings.size(), 2u);
  EXPECT_EQ(report->timings[0].stage, "a");
  EXPECT_EQ(report->timings[1].stage, "b");
  EXPECT_GE(report->timings[0].seconds, 0.035);  // slept 2 x 20 ms
  EXPECT_GE(report->total_seconds, report->timings[0].seconds);
  EXPECT_EQ(**ctx.Get(kTrace), (std::vector<std::string>{"a", "b"}));
}

TEST(RunnerTest, ReportsMonotonicProgressPerStageAndOverall) {
  Runner runner;
  runner.Add(std::make_unique<StepStage>("a", 4)).Add(std::make_unique<StepStage>("b", 4));
  std::vector<ProgressEvent> events;
  std::vector<std::string> names;
  runner.set_progress_callback([&](const ProgressEvent& e) {
    events.push_back(e);
    names.emplace_back(e.stage);
  });
  Context ctx;
  ASSERT_TRUE(runner.Run(ctx).ok());
  ASSERT_FALSE(events.empty());
  double last = -1;
  for (const auto& e : events) {
    EXPECT_GE(e.overall_fraction, last);
    last = e.overall_fraction;
    EXPECT_EQ(e.stage_count, 2);
  }
  EXPECT_DOUBLE_EQ(events.back().overall_fraction, 1.0);
  EXPECT_EQ(names.front(), "a");
  EXPECT_EQ(names.back(), "b");
  // Halfway through "a" is a quarter of the pipeline.
  bool saw_quarter = false;
  for (const auto& e : events) {
    if (e.stage == "a" && e.stage_fraction == 0.5) {
      EXPECT_DOUBLE_EQ(e.overall_fraction, 0.25);
      saw_quarter = true;
    }
  }
  EXPECT_TRUE(saw_quarter);
}

TEST(RunnerTest, NamesTheFailingStageAndStops) {
  Runner runner;
  runner.Add(std::make_unique<StepStage>("audio_scan", 1))
      .Add(std::make_unique<FailingStage>())
      .Add(std::make_unique<StepStage>("never", 1));
  Context ctx;
  auto report = runner.Run(ctx);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kDataError);
  EXPECT_EQ(report.status().message(), "stage 'chat_scan': chat.json: not JSON");
  EXPECT_EQ(**ctx.Get(kTrace), (std::vector<std::string>{"audio_scan"}));
  ASSERT_EQ(runner.last_report().timings.size(), 1u);
}

TEST(RunnerTest, MissingSlotIsAClearError) {
  Runner runner;
  runner.Add(std::make_unique<ReadsMissingSlotStage>());
  Context ctx;
  auto report = runner.Run(ctx);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().message(), "stage 'needs_count': context slot 'count' is not set");
}

TEST(RunnerTest, ExceptionsBecomeInternalErrors) {
  Runner runner;
  runner.Add(std::make_unique<ThrowingStage>());
  Context ctx;
  auto report = runner.Run(ctx);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInternal);
  EXPECT_NE(report.status().message().find("thrower"), std::string::npos);
}

TEST(RunnerTest, HonoursCancellationBeforeAndDuringStages) {
  CancelToken cancel;
  cancel.Cancel();
  {
    Runner runner;
    runner.Add(std::make_unique<StepStage>("a", 1));
    Context ctx;
    auto report = runner.Run(ctx, &cancel);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().code(), StatusCode::kCancelled);
    EXPECT_FALSE(ctx.Has(kTrace));  // never started
  }
  {
    CancelToken mid;
    Runner runner;
    runner.Add(std::make_unique<StepStage>("slow", 1000, std::chrono::milliseconds(2)))
        .Add(std::make_unique<StepStage>("after", 1));
    runner.set_progress_callback([&](const ProgressEvent& e) {
      if (e.stage_fraction >= 0.01) mid.Cancel();
    });
    Context ctx;
    auto report = runner.Run(ctx, &mid);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().code(), StatusCode::kCancelled);
    EXPECT_EQ(report.status().message(), "cancelled during stage 'slow'");
    EXPECT_EQ(**ctx.Get(kTrace), (std::vector<std::string>{"slow"}));
  }
}

TEST(StageTestRunnerTest, RunsOneStageAndRecordsProgress) {
  StepStage stage("one", 4);
  Context ctx;
  StageTestRunner runner;
  ASSERT_TRUE(runner.Run(stage, ctx).ok());
  EXPECT_EQ(runner.progress().front(), 0.0);
  EXPECT_EQ(runner.progress().back(), 1.0);
  EXPECT_GE(runner.progress().size(), 5u);
}

}  // namespace
}  // namespace clipthat::pipeline
