// `clipthat probe FILE`: prints what a media file holds as JSON.
#include <cstdio>

#include "app_env.h"
#include "media/probe.h"

namespace clipthat::app {

void RegisterProbeCommand(CLI::App& root, AppEnv& env) {
  auto* cmd =
      root.add_subcommand("probe", "Print a media file's container, streams and timing as JSON");
  auto path = std::make_shared<std::string>();
  cmd->add_option("FILE", *path, "media file")->required();
  cmd->callback([&env, path] {
    auto info = media::Probe(*path);
    if (!info.ok()) {
      env.exit_code = ReportFailure("probe", info.status());
      return;
    }
    std::printf("%s\n", media::ProbeToJson(*info).dump(2).c_str());
    env.exit_code = kExitOk;
  });
}

}  // namespace clipthat::app
