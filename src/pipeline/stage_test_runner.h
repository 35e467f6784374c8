// StageTestRunner: runs one stage on a prepared Context, recording its progress reports, so a
// unit test can check a stage without assembling a pipeline.
//
//   pipeline::Context ctx;
//   ctx.Set(kProbeSlot, probe);
//   pipeline::StageTestRunner runner;
//   ASSERT_TRUE(runner.Run(stage, ctx).ok());
//   EXPECT_FALSE(runner.progress().empty());
#pragma once

#include <vector>

#include "pipeline/runner.h"

namespace clipthat::pipeline {

class StageTestRunner {
 public:
  // Runs `stage` once; the Status carries the runner's "stage '<name>'" prefix on failure.
  Status Run(Stage& stage, Context& ctx, const CancelToken* cancel = nullptr);
  // Stage fractions reported during the last Run, in order.
  const std::vector<double>& progress() const { return progress_; }
  double seconds() const { return seconds_; }

 private:
  std::vector<double> progress_;
  double seconds_ = 0;
};

}  // namespace clipthat::pipeline
