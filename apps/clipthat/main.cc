// clipthat: one binary, one subcommand per job (see `clipthat --help`).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "app_env.h"
#include "core/log.h"
#include "media/ffmpeg_log.h"

extern char** environ;

int main(int argc, char** argv) {
  using namespace clipthat;
  app::AppEnv env;
  env.stderr_is_terminal = ::isatty(STDERR_FILENO) == 1;

  CLI::App root{"ClipThat: turns long stream recordings into short vertical clips.", "clipthat"};
  root.require_subcommand(1);
  root.fallthrough();  // global options (--quiet, --log-level) also work after the subcommand
  std::string config_path, log_level_flag, log_format_flag;
  root.add_option("--config", config_path, "JSON configuration file (also CLIPTHAT_CONFIG)");
  root.add_option("--log-level", log_level_flag,
                  "trace, debug, info, warn, error or off (default warn; CLIPTHAT_LOG_LEVEL)");
  root.add_option("--log-format", log_format_flag, "human or json (default human)");
  root.add_flag("-q,--quiet", env.quiet, "no progress output");
  root.set_version_flag("--version", "clipthat 0.1.0");

  app::RegisterProbeCommand(root, env);
  app::RegisterSampleCommand(root, env);
  app::RegisterClipCommand(root, env);
  app::RegisterTranscribeCommand(root, env);
  app::RegisterTriggersCommand(root, env);
  app::RegisterAnalyzeCommand(root, env);
  app::RegisterServeCommand(root, env);
  app::RegisterRenderCommand(root, env);
  app::RegisterWorkerCommand(root, env);
  app::RegisterAdminCommand(root, env);
  app::RegisterLiveCommand(root, env);

  // Configuration and logging are set up before any subcommand callback runs.
  root.parse_complete_callback([&] {
    env.config.MergeEnvironment(environ);
    std::string file = config_path.empty() ? env.config.GetString("config", "") : config_path;
    if (!file.empty()) {
      Status st = env.config.MergeFile(file);
      if (!st.ok()) throw CLI::ValidationError("--config", st.message());
    }
    if (!log_level_flag.empty()) env.config.Set("log.level", log_level_flag);
    if (!log_format_flag.empty()) env.config.Set("log.format", log_format_flag);
    auto level = ParseLogLevel(env.config.GetString("log.level", "warn"));
    if (!level.ok()) throw CLI::ValidationError("--log-level", level.status().message());
    std::string format = env.config.GetString("log.format", "human");
    if (format != "human" && format != "json") {
      throw CLI::ValidationError("--log-format", "'" + format + "' is not human or json");
    }
    auto sink =
        std::make_shared<StderrSink>(format == "json" ? LogFormat::kJsonLines : LogFormat::kHuman);
    env.logger = Logger(sink, *level);
    media::RouteFfmpegLogs(env.logger.WithModule("ffmpeg"));
  });

  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = root.exit(e);
    // --help and --version are successes; every other parse error is bad usage.
    return code == 0 ? app::kExitOk : app::kExitUsage;
  }
  return env.exit_code;
}
