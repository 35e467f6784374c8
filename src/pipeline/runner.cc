#include "pipeline/runner.h"

#include <algorithm>
#include <exception>

#include "core/time_units.h"

namespace clipthat::pipeline {

Runner& Runner::Add(std::unique_ptr<Stage> stage) {
  stages_.push_back(std::move(stage));
  return *this;
}

Result<RunReport> Runner::Run(Context& ctx, const CancelToken* cancel) {
  report_ = RunReport{};
  ctx.set_cancel_token(cancel);
  double total_weight = 0;
  for (const auto& s : stages_) total_weight += std::max(0.0, s->weight());
  if (total_weight <= 0) total_weight = 1;

  Stopwatch total;
  double done_weight = 0;
  const int count = static_cast<int>(stages_.size());
  for (int i = 0; i < count; ++i) {
    Stage& stage = *stages_[i];
    const std::string name(stage.name());
    if (cancel != nullptr && cancel->cancelled()) {
      return CancelledError("cancelled before stage '" + name + "'");
    }
    const double weight = std::max(0.0, stage.weight());
    double last_fraction = -1;
    ctx.set_progress_sink([&](double f) {
      f = std::clamp(f, 0.0, 1.0);
      if (f < last_fraction) f = last_fraction;  // progress never goes backwards
      last_fraction = f;
      if (progress_) {
        progress_({name, i, count, f, (done_weight + weight * f) / total_weight});
      }
    });
    Logger saved = ctx.logger();
    ctx.set_logger(saved.WithStage(name));
    ctx.ReportProgress(0);

    Stopwatch sw;
    Status st;
    try {
      st = stage.run(ctx);
    } catch (const std::exception& e) {
      st = InternalError(std::string("unexpected exception: ") + e.what());
    } catch (...) {
      st = InternalError("unexpected exception");
    }
    const double secs = sw.ElapsedSeconds();
    ctx.set_logger(saved);
    if (!st.ok()) {
      ctx.set_progress_sink(nullptr);
      if (st.code() == StatusCode::kCancelled && cancel != nullptr && cancel->cancelled()) {
        return CancelledError("cancelled during stage '" + name + "'");
      }
      return st.WithPrefix("stage '" + name + "'");
    }
    ctx.ReportProgress(1);
    ctx.set_progress_sink(nullptr);
    report_.timings.push_back({name, secs});
    done_weight += weight;
    CT_LOG(ctx.logger(), kDebug) << "stage " << name << " took " << secs << " s";
  }
  report_.total_seconds = total.ElapsedSeconds();
  return report_;
}

}  // namespace clipthat::pipeline
