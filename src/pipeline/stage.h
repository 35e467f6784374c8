// Stage: one step of a pipeline (probe, audio scan, render...).
//
// A stage reads its inputs from named Context slots, does its work (usually by calling a plain
// algorithm that knows nothing of pipelines), writes its outputs to slots and returns a Status.
// It never throws. Long stages call ctx.ReportProgress() and poll ctx.cancelled().
#pragma once

#include <string_view>

#include "core/status.h"
#include "pipeline/context.h"

namespace clipthat::pipeline {

class Stage {
 public:
  virtual ~Stage() = default;
  // Short snake_case name, used in progress, timings and error messages.
  virtual std::string_view name() const = 0;
  virtual Status run(Context& ctx) = 0;
  // Relative share of the pipeline's expected time, for the overall progress figure.
  virtual double weight() const { return 1.0; }
};

}  // namespace clipthat::pipeline
