// AppEnv: what every subcommand gets from main(): the configuration (file + environment +
// flags, loaded once), the root logger, and how to report progress and failures.
//
// Exit codes, for every subcommand: 0 success, 1 failure (one line on stderr naming the input),
// 2 bad usage (CLI11 prints the problem and the help hint).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "core/config.h"
#include "core/log.h"
#include "core/status.h"
#include "pipeline/runner.h"

namespace clipthat::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct AppEnv {
  Config config;
  Logger logger;
  bool stderr_is_terminal = false;
  bool quiet = false;  // --quiet: no progress output
  int exit_code = kExitOk;
};

// Prints "clipthat <command>: <message>" on stderr and returns kExitFailure.
int ReportFailure(std::string_view command, const Status& status);

// A progress callback for a pipeline run: a redrawn bar on a terminal, one line per finished
// stage otherwise; nothing with --quiet. Call FinishProgress() after the run to end the line.
pipeline::ProgressCallback MakeProgressReporter(const AppEnv& env, std::string label);
void FinishProgress(const AppEnv& env);

// One registration function per subcommand file; each adds its subcommand to `root` and sets
// env.exit_code from its callback.
void RegisterProbeCommand(CLI::App& root, AppEnv& env);
void RegisterSampleCommand(CLI::App& root, AppEnv& env);
void RegisterClipCommand(CLI::App& root, AppEnv& env);
void RegisterTranscribeCommand(CLI::App& root, AppEnv& env);
void RegisterTriggersCommand(CLI::App& root, AppEnv& env);
void RegisterAnalyzeCommand(CLI::App& root, AppEnv& env);
void RegisterServeCommand(CLI::App& root, AppEnv& env);
void RegisterRenderCommand(CLI::App& root, AppEnv& env);
void RegisterWorkerCommand(CLI::App& root, AppEnv& env);
void RegisterAdminCommand(CLI::App& root, AppEnv& env);
void RegisterLiveCommand(CLI::App& root, AppEnv& env);

}  // namespace clipthat::app
