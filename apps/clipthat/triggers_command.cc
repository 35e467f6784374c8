// `clipthat triggers FILE [-o triggers.json] [--phrases "clip that,clip it"]`: every verified
// trigger phrase of a recording, as JSON (docs/triggers.md). The same spotter the analysis
// runs over the whole VOD, and live clipping will run on a stream.
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app_env.h"
#include "speech/trigger_file.h"
#include "speech/trigger_spotter.h"

namespace clipthat::app {
namespace {

struct TriggersArgs {
  std::string path;
  std::string out;
  std::string phrases;  // empty: speech.trigger.phrases or the defaults
};

Status Run(const TriggersArgs& args, const AppEnv& env) {
  ASSIGN_OR_RETURN(speech::TriggerSpotterOptions options,
                   speech::TriggerSpotterOptionsFromConfig(env.config));
  if (!args.phrases.empty()) {
    const double threshold = options.phrases.empty() ? speech::kDefaultTriggerKwsThreshold
                                                     : options.phrases.front().threshold;
    auto phrases = speech::ParseKeyphrases(args.phrases, threshold);
    if (!phrases.ok()) return phrases.status().WithPrefix("--phrases");
    if (phrases->empty()) return InvalidArgumentError("--phrases: no phrases");
    options.phrases = std::move(*phrases);
  }
  auto spotter = speech::TriggerSpotter::Create(options, env.logger.WithModule("speech"));
  if (!spotter.ok()) return spotter.status().WithPrefix("--phrases");
  pipeline::ProgressCallback progress = MakeProgressReporter(env, "triggers");
  speech::TriggerProgress report;
  if (progress) {
    report = [&progress](double fraction) {
      progress({.stage = "spot",
                .stage_index = 0,
                .stage_count = 1,
                .stage_fraction = fraction,
                .overall_fraction = fraction});
      return true;
    };
  }
  auto triggers = speech::SpotTriggersInFile(args.path, *spotter, report);
  FinishProgress(env);
  if (!triggers.ok()) return triggers.status();
  // With speech.trigger.verifier=remote, say how much the server decided.
  const speech::TriggerSpotterStats& stats = spotter->stats();
  if (stats.remote_failed > 0) {
    CT_LOG(env.logger, kWarn) << "the remote trigger check failed on " << stats.remote_failed
                              << " of " << stats.decoded
                              << " windows; the embedded re-decode decided those";
  } else if (stats.remote_checked > 0) {
    CT_LOG(env.logger, kInfo) << "the remote trigger check decided all " << stats.remote_checked
                              << " windows";
  }
  const std::string text = speech::TriggersToJson(*triggers).dump(2) + "\n";
  if (args.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return Status::Ok();
  }
  std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return IoError(args.out + ": cannot write");
  return Status::Ok();
}

}  // namespace

void RegisterTriggersCommand(CLI::App& root, AppEnv& env) {
  auto* cmd = root.add_subcommand(
      "triggers", "Every verified trigger phrase (\"clip that\") of a recording, as JSON");
  auto args = std::make_shared<TriggersArgs>();
  cmd->add_option("FILE", args->path, "media file")->required();
  cmd->add_option("-o,--output", args->out, "triggers.json to write (default: stdout)");
  cmd->add_option("--phrases", args->phrases,
                  "comma-separated trigger phrases (default \"clip that, clip it\")");
  cmd->callback([&env, args] {
    Status st = Run(*args, env);
    env.exit_code = st.ok() ? kExitOk : ReportFailure("triggers", st);
  });
}

}  // namespace clipthat::app
