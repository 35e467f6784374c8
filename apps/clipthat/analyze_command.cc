// `clipthat analyze VOD [--chat FILE] -o moments.json [--top N] [--backend sphinx|remote|none]`:
// finds the moments worth clipping and writes them, ranked, to moments.json (docs/moments.md).
// `clipthat analyze --chat FILE -o moments.json [--duration SECONDS]` ranks from the chat
// replay alone (rank a long VOD from its small replay, then fetch only the winning windows).
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
  if (args.request.vod.empty() && args.request.chat.empty()) {
    std::fprintf(stderr, "clipthat analyze: give a VOD, or --chat FILE to rank from chat alone\n");
    return kExitUsage;
  }
  if (!args.request.vod.empty() && args.request.duration_s > 0) {
    std::fprintf(stderr,
                 "clipthat analyze: --duration is for chat-only analysis (the VOD has "
                 "its own length)\n");
    return kExitUsage;
  }
  auto doc = RunAnalysis(env, "analyze", args.request);
  if (!doc.ok()) return ReportFailure("analyze", doc.status());
  Status st = formats::WriteMomentsFile(args.out, *doc);
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
  cmd->add_option(
      "VOD", args->request.vod,
      "stream recording (any format FFmpeg reads); leave out to rank from --chat alone");
  cmd->add_option(
      "--chat", args->request.chat,
      "chat replay: Twitch JSON (TwitchDownloader / v5) or a '[H:MM:SS] user: text' log");
  cmd->add_option("-o,--out", args->out, "where to write moments.json")->required();
  cmd->add_option("--duration", args->request.duration_s,
                  "chat-only: the recording's length in seconds (default: the replay's "
                  "video.length, else its last message)")
      ->check(CLI::Range(1.0, 7 * 24 * 3600.0));
  cmd->add_option("--top", args->request.top, "how many moments to keep (default: analyze.top, 10)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--backend", args->request.backend,
                  "speech recognition: sphinx (embedded), remote or none (default: speech.backend)")
      ->check(CLI::IsMember({"sphinx", "remote", "none"}));
  cmd->callback([&env, args] { env.exit_code = RunAnalyze(env, *args); });
}

}  // namespace clipthat::app
