// `clipthat sample --out DIR`: writes a synthetic stream (vod.mp4, chat.json, truth.json) for
// tests, benchmarks and demos. See docs/sample.md.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "app_env.h"
#include "sample/sample_generator.h"
#include "sample/sample_options.h"

namespace clipthat::app {
namespace {

// "WxH" with even sides, within what the encoder and the facecam layout handle.
class FrameSizeValidator : public CLI::Validator {
 public:
  FrameSizeValidator() : CLI::Validator("WxH") {
    func_ = [](std::string& text) -> std::string {
      int w = 0, h = 0;
      char x = 0, rest = 0;
      if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &rest) != 3 || (x != 'x' && x != 'X')) {
        return "'" + text + "' is not WxH (e.g. 1920x1080)";
      }
      sample::SampleOptions probe;
      probe.width = w;
      probe.height = h;
      probe.duration_s = sample::kMinDurationSeconds;
      Status st = sample::ValidateSampleOptions(probe);
      if (st.ok()) return std::string();
      // The option name is already in CLI11's message: keep "WxH: what is wrong".
      return text + st.message().substr(st.message().find(':'));
    };
  }
};

std::string FpsCheck(std::string& text) {
  int fps = std::atoi(text.c_str());
  return fps >= 1 && 48000 % fps == 0 ? "" : "must divide 48000 (e.g. 24, 25, 30, 60)";
}

}  // namespace

void RegisterSampleCommand(CLI::App& root, AppEnv& env) {
  auto* cmd = root.add_subcommand(
      "sample", "Write a synthetic stream: DIR/vod.mp4, DIR/chat.json, DIR/truth.json");
  struct Flags {
    std::string out;
    std::string size = "1920x1080";
    std::string facecam_position = "bottom-left";
    bool no_facecam_border = false;
    sample::SampleOptions options;
  };
  auto flags = std::make_shared<Flags>();
  cmd->add_option("--out", flags->out, "output folder (created if missing)")->required();
  cmd->add_option("--duration", flags->options.duration_s, "length in seconds (30..21600)")
      ->check(CLI::Range(sample::kMinDurationSeconds, sample::kMaxDurationSeconds))
      ->capture_default_str();
  cmd->add_option("--size", flags->size, "frame size WxH, both even")
      ->check(FrameSizeValidator())
      ->capture_default_str();
  cmd->add_option("--fps", flags->options.fps, "frames per second (divides 48000)")
      ->check(CLI::Range(1, 120))
      ->check(CLI::Validator(FpsCheck, "FPS"))
      ->capture_default_str();
  cmd->add_option("--moments", flags->options.moments,
                  "planted moments (default: one per ~10 minutes)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", flags->options.seed, "seed; the same seed gives the same stream")
      ->capture_default_str();
  cmd->add_option("--vocal-only-moments", flags->options.vocal_only_moments,
                  "extra moments where only the streamer's voice reacts (no chat, no game sound)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--decoys", flags->options.decoys,
                  "loud game sounds nobody reacts to, listed in truth.json as decoys")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--facecam-position,--facecam-corner", flags->facecam_position,
                  "where the streamer's camera sits: a corner, the middle of an edge, full (a "
                  "\"just chatting\" stream: the camera fills the frame) or none")
      ->check(CLI::IsMember(sample::FacecamPositionNames()))
      ->capture_default_str();
  cmd->add_option("--facecam-width-pct", flags->options.facecam.width_pct,
                  "camera box width in percent of the frame width (4:3 box)")
      ->check(CLI::Range(sample::kMinFacecamWidthPct, sample::kMaxFacecamWidthPct))
      ->capture_default_str();
  cmd->add_flag("--no-facecam-border", flags->no_facecam_border,
                "draw the camera box without its purple border line");
  cmd->add_option("--jobs", flags->options.jobs, "pieces rendered at once (default: cores, max 4)")
      ->check(CLI::NonNegativeNumber);

  cmd->callback([&env, flags] {
    sample::SampleOptions& options = flags->options;
    std::sscanf(flags->size.c_str(), "%dx%d", &options.width, &options.height);
    if (flags->size.find('X') != std::string::npos) {
      std::sscanf(flags->size.c_str(), "%dX%d", &options.width, &options.height);
    }
    auto position = sample::ParseFacecamPosition(flags->facecam_position);
    if (!position.ok()) throw CLI::ValidationError(position.status().message());
    options.facecam.position = *position;
    options.facecam.border = !flags->no_facecam_border;
    // Limits that depend on several flags (moments per duration) are still bad usage.
    Status valid = sample::ValidateSampleOptions(options);
    if (!valid.ok()) throw CLI::ValidationError(valid.message());

    sample::GenerateHooks hooks;
    hooks.logger = env.logger.WithModule("sample");
    if (!env.quiet && env.stderr_is_terminal) {
      auto report = MakeProgressReporter(env, "sample");
      hooks.on_progress = [report](std::string_view step, double fraction) {
        pipeline::ProgressEvent e;
        e.stage = std::string(step);
        e.stage_index = step == "render" ? 0 : step == "join" ? 1 : 2;
        e.stage_count = 3;
        e.overall_fraction = fraction;
        report(e);
      };
    } else if (!env.quiet) {
      // Logs and pipes: a line every 10%.
      hooks.on_progress = [last = -1](std::string_view step, double fraction) mutable {
        int tenth = static_cast<int>(fraction * 10);
        if (tenth == last) return;
        last = tenth;
        std::fprintf(stderr, "clipthat sample: %.*s %d%%\n", static_cast<int>(step.size()),
                     step.data(), tenth * 10);
      };
    }
    Status st = sample::GenerateSample(options, flags->out, hooks);
    FinishProgress(env);
    env.exit_code = st.ok() ? kExitOk : ReportFailure("sample", st);
  });
}

}  // namespace clipthat::app
