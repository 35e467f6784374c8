// `clipthat transcribe FILE [--from S --to S] [--backend sphinx|remote] [-o words.json]`:
// speech to words with timings (docs/words.md).
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app_env.h"
#include "speech/speech_recognizer.h"
#include "speech/sphinx_recognizer.h"
#include "speech/transcribe_file.h"

namespace clipthat::app {
namespace {

struct TranscribeArgs {
  std::string path;
  double from_s = 0.0;
  double to_s = -1.0;
  std::string backend = "sphinx";
  std::string out;
};

Result<std::unique_ptr<speech::SpeechRecognizer>> MakeRecognizer(const TranscribeArgs& args,
                                                                 const AppEnv& env) {
  if (args.backend == "sphinx") {
    // Built here rather than by the factory so pocketsphinx logs reach our logger.
    ASSIGN_OR_RETURN(auto options, speech::SphinxOptionsFromConfig(env.config));
    ASSIGN_OR_RETURN(auto rec,
                     speech::SphinxRecognizer::Create(options, env.logger.WithModule("sphinx")));
    return std::unique_ptr<speech::SpeechRecognizer>(
        std::make_unique<speech::SphinxRecognizer>(std::move(rec)));
  }
  return speech::MakeSpeechRecognizer(args.backend, env.config);
}

Status Run(const TranscribeArgs& args, const AppEnv& env) {
  if (args.from_s < 0 || (args.to_s >= 0 && args.to_s <= args.from_s)) {
    return InvalidArgumentError(args.path + ": --to must be after --from, both >= 0");
  }
  ASSIGN_OR_RETURN(auto recognizer, MakeRecognizer(args, env));
  speech::TranscribeRange range;
  range.from_ms = SecondsToMs(args.from_s);
  range.to_ms = args.to_s < 0 ? -1 : SecondsToMs(args.to_s);
  ASSIGN_OR_RETURN(auto words, speech::TranscribeFile(args.path, range, *recognizer));
  std::string text = speech::WordsToJson(words).dump(2) + "\n";
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

void RegisterTranscribeCommand(CLI::App& root, AppEnv& env) {
  auto* cmd = root.add_subcommand("transcribe", "Speech to words with timings, as JSON");
  auto args = std::make_shared<TranscribeArgs>();
  cmd->add_option("FILE", args->path, "media file")->required();
  cmd->add_option("--from", args->from_s, "start of the range, seconds (default 0)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--to", args->to_s, "end of the range, seconds (default: end of file)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--backend", args->backend, "sphinx (embedded, default) or remote")
      ->check(CLI::IsMember({"sphinx", "remote"}));
  cmd->add_option("-o,--output", args->out, "words.json to write (default: stdout)");
  cmd->callback([&env, args] {
    Status st = Run(*args, env);
    env.exit_code = st.ok() ? kExitOk : ReportFailure("transcribe", st);
  });
}

}  // namespace clipthat::app
