// Runner: runs a list of stages in order over one Context.
//
// It times each stage, forwards progress (stage name, stage fraction, overall fraction) to a
// callback, checks cancellation before every stage, and stops at the first failing stage with
// an error of the form "stage 'audio_scan': <the stage's message>" (same StatusCode).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "pipeline/stage.h"

namespace clipthat::pipeline {

struct ProgressEvent {
  std::string stage;
  int stage_index = 0;  // 0-based
  int stage_count = 0;
  double stage_fraction = 0;    // 0..1 within the stage
  double overall_fraction = 0;  // 0..1 over the pipeline, by stage weights
};
using ProgressCallback = std::function<void(const ProgressEvent&)>;

struct StageTiming {
  std::string stage;
  double seconds = 0;
};

struct RunReport {
  std::vector<StageTiming> timings;  // one per stage that ran, in order
  double total_seconds = 0;
};

class Runner {
 public:
  Runner() = default;
  Runner& Add(std::unique_ptr<Stage> stage);
  void set_progress_callback(ProgressCallback cb) { progress_ = std::move(cb); }
  size_t stage_count() const { return stages_.size(); }

  // Runs every stage. `cancel` may be null. On failure the report of the stages that completed
  // is available through last_report().
  Result<RunReport> Run(Context& ctx, const CancelToken* cancel = nullptr);
  const RunReport& last_report() const { return report_; }

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
  ProgressCallback progress_;
  RunReport report_;
};

}  // namespace clipthat::pipeline
