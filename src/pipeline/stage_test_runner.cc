#include "pipeline/stage_test_runner.h"

namespace clipthat::pipeline {

namespace {
// Borrows a stage owned by the test so the Runner can hold it.
class BorrowedStage final : public Stage {
 public:
  explicit BorrowedStage(Stage& inner) : inner_(inner) {}
  std::string_view name() const override { return inner_.name(); }
  Status run(Context& ctx) override { return inner_.run(ctx); }

 private:
  Stage& inner_;
};
}  // namespace

Status StageTestRunner::Run(Stage& stage, Context& ctx, const CancelToken* cancel) {
  progress_.clear();
  Runner runner;
  runner.Add(std::make_unique<BorrowedStage>(stage));
  runner.set_progress_callback(
      [this](const ProgressEvent& e) { progress_.push_back(e.stage_fraction); });
  auto report = runner.Run(ctx, cancel);
  seconds_ = runner.last_report().timings.empty() ? 0 : runner.last_report().timings[0].seconds;
  return report.status();
}

}  // namespace clipthat::pipeline
