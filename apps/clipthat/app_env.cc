#include "app_env.h"

#include <cstdio>
#include <string>

namespace clipthat::app {

int ReportFailure(std::string_view command, const Status& status) {
  std::fprintf(stderr, "clipthat %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               status.message().c_str());
  return kExitFailure;
}

pipeline::ProgressCallback MakeProgressReporter(const AppEnv& env, std::string label) {
  if (env.quiet) return nullptr;
  if (env.stderr_is_terminal) {
    return [label, last_permille = -1](const pipeline::ProgressEvent& e) mutable {
      int permille = static_cast<int>(e.overall_fraction * 1000);
      if (permille == last_permille) return;
      last_permille = permille;
      constexpr int kWidth = 30;
      int filled = static_cast<int>(e.overall_fraction * kWidth);
      std::string bar(filled, '#');
      bar.resize(kWidth, '.');
      std::fprintf(stderr, "\r%s [%s] %5.1f%%  %d/%d %-16s", label.c_str(), bar.c_str(),
                   e.overall_fraction * 100, e.stage_index + 1, e.stage_count, e.stage.c_str());
      std::fflush(stderr);
    };
  }
  // Not a terminal (CI logs, pipes): one line per stage start and end.
  return [label, last_stage = -1](const pipeline::ProgressEvent& e) mutable {
    if (e.stage_index != last_stage) {
      last_stage = e.stage_index;
      std::fprintf(stderr, "%s: [%d/%d] %s\n", label.c_str(), e.stage_index + 1, e.stage_count,
                   e.stage.c_str());
    }
  };
}

void FinishProgress(const AppEnv& env) {
  if (!env.quiet && env.stderr_is_terminal) std::fprintf(stderr, "\n");
}

}  // namespace clipthat::app
