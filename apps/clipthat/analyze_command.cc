// `clipthat analyze VOD [--chat FILE] -o moments.json [--top N] [--backend sphinx|remote|none]`:
// finds the moments worth clipping and writes them, ranked, to moments.json (docs/moments.md).
// Settings: see analysis_setup.h (analyze.top, default 10).
#include <cstdio>
#include <memory>

#include "analysis_setup.h"
#include "app_env.h"

namespace clipthat::app {
namespace {

struct AnalyzeArgs {
  AnalysisRequest request;
  std::string out;
};

int RunAnalyze(AppEnv& env, const AnalyzeArgs& args) {
  auto doc = RunAnalysis(env, "analyze", args.request);
  if (!doc.ok()) return ReportFailure("analyze", doc.status());
  Status st = analysis::WriteMomentsFile(args.out, *doc);
  if (!st.ok()) return ReportFailure("analyze", st);
  if (!env.quiet) {
    std::fprintf(stderr, "clipthat analyze: %zu moments -> %s\n", doc->moments.size(),
                 args.out.c_str());
  }
  return kExitOk;
}

}  // namespace

void RegisterAnalyzeCommand(CLI::App& root, AppEnv& env) {
  auto* cmd = root.add_subcommand(
      "analyze", "Find the moments worth clipping in a stream recording; write moments.json");
  auto args = std::make_shared<AnalyzeArgs>();
  cmd->add_option("VOD", args->request.vod, "stream recording (any format FFmpeg reads)")
      ->required();
  cmd->add_option(
      "--chat", args->request.chat,
      "chat replay: Twitch JSON (TwitchDownloader / v5) or a '[H:MM:SS] user: text' log");
  cmd->add_option("-o,--out", args->out, "where to write moments.json")->required();
  cmd->add_option("--top", args->request.top, "how many moments to keep (default: analyze.top, 10)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--backend", args->request.backend,
                  "speech recognition: sphinx (embedded), remote or none (default: speech.backend)")
      ->check(CLI::IsMember({"sphinx", "remote", "none"}));
  cmd->callback([&env, args] { env.exit_code = RunAnalyze(env, *args); });
}

}  // namespace clipthat::app
