// triggers_bench: false triggers per hour and planted triggers found, on at least an hour of
// generated non-trigger talk (many voices, near misses such as "clipboard", "flip that", "keep
// that", "eclipse", game audio and music under it) with 10 planted triggers. Runs the path of
// `clipthat triggers` (speech::SpotTriggersInFile) and, as the baseline measured in the same
// run, the keyword spotter's first pass alone (what ClipThat used before verification).
//
//   build/bench/triggers_bench [--dir bench-data/triggers] [--minutes 60] [--seed 1]
//     [--dump hits.tsv] (every first-pass hit, its scores and the truth, for tuning)
//     [--first-pass-only] [--frame-skip N] [--min-confidence C] [--kws-threshold T]
//   The speech.trigger.* and speech.remote.* keys are read from CLIPTHAT_* variables
//   (CLIPTHAT_SPEECH_TRIGGER_VERIFIER=remote: a transcription server is the second check).
//
// The track is generated once into --dir (about two minutes) and reused.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/config.h"
#include "speech/sphinx_decoder.h"
#include "speech/trigger_file.h"
#include "talk_track.h"

extern char** environ;

using namespace clipthat;

namespace {

struct Score {
  int found = 0;
  int planted = 0;
  int false_hits = 0;
};

// A planted trigger is found by a hit within 1.5 s of where its phrase was said; every hit
// that is not near a planted phrase is false.
Score ScoreHits(const std::vector<TimeMs>& hits, const bench::TalkTrack& track) {
  Score s;
  std::vector<TimeMs> planted;
  for (const auto& sentence : track.sentences) {
    if (sentence.kind == bench::SpokenSentence::Kind::kTrigger)
      planted.push_back(sentence.trigger_ms);
  }
  s.planted = static_cast<int>(planted.size());
  for (TimeMs p : planted) {
    for (TimeMs h : hits) {
      if (std::llabs(h - p) <= 1500) {
        ++s.found;
        break;
      }
    }
  }
  for (TimeMs h : hits) {
    bool near = false;
    for (TimeMs p : planted) near = near || std::llabs(h - p) <= 1500;
    if (!near) ++s.false_hits;
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "bench-data/triggers";
  bench::TalkTrackOptions options;
  bool verbose = false;
  bool make_only = false;
  bool first_pass_only = false;
  int frame_skip = 0;          // 0: the spotter's default
  std::string dump;            // every first-pass hit with its scores and the truth, for tuning
  double min_confidence = -1;  // < 0: the spotter's default
  double kws_threshold = -1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "--minutes" && i + 1 < argc) {
      options.duration_ms = static_cast<TimeMs>(std::atof(argv[++i]) * 60000);
    } else if (a == "--seed" && i + 1 < argc) {
      options.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--min-confidence" && i + 1 < argc) {
      min_confidence = std::atof(argv[++i]);
    } else if (a == "--kws-threshold" && i + 1 < argc) {
      kws_threshold = std::atof(argv[++i]);
    } else if (a == "--first-pass-only") {
      first_pass_only = true;
    } else if (a == "--frame-skip" && i + 1 < argc) {
      frame_skip = std::atoi(argv[++i]);
    } else if (a == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else if (a == "--make-only") {
      make_only = true;
    } else {
      std::fprintf(
          stderr,
          "usage: triggers_bench [--dir DIR] [--minutes N] [--seed S] [--verbose] [--make-only]\n"
          "  [--min-confidence C] [--kws-threshold T] [--dump FILE.tsv]\n"
          "  [--first-pass-only] [--frame-skip N]\n");
      return 2;
    }
  }
  std::fprintf(stderr, "triggers_bench: making or loading the talk track in %s\n", dir.c_str());
  auto track = bench::MakeOrLoadTalkTrack(dir, options);
  if (!track.ok()) {
    std::fprintf(stderr, "triggers_bench: %s\n", track.status().ToString().c_str());
    return 1;
  }
  if (make_only) return 0;
  int near_misses = 0;
  for (const auto& s : track->sentences) {
    near_misses += s.kind == bench::SpokenSentence::Kind::kNearMiss ? 1 : 0;
  }
  // The speech.trigger.* and speech.remote.* keys from CLIPTHAT_* variables, as the app reads
  // them: CLIPTHAT_SPEECH_TRIGGER_VERIFIER=remote measures a transcription server as the check.
  Config config;
  config.MergeEnvironment(environ);
  auto from_config = speech::TriggerSpotterOptionsFromConfig(config);
  if (!from_config.ok()) {
    std::fprintf(stderr, "triggers_bench: %s\n", from_config.status().ToString().c_str());
    return 1;
  }
  speech::TriggerSpotterOptions spotter_options = std::move(*from_config);
  spotter_options.record_first_pass = true;
  spotter_options.verify_hits = !first_pass_only;
  if (frame_skip > 0) spotter_options.kws_frame_skip = frame_skip;
  if (min_confidence >= 0) spotter_options.verify.min_confidence = min_confidence;
  if (kws_threshold > 0) {
    for (auto& k : spotter_options.phrases) k.threshold = kws_threshold;
  }
  Logger logger;
  if (verbose) logger = Logger(std::make_shared<StderrSink>(LogFormat::kHuman), LogLevel::kDebug);
  auto spotter = speech::TriggerSpotter::Create(spotter_options, logger);
  if (!spotter.ok()) {
    std::fprintf(stderr, "triggers_bench: %s\n", spotter.status().ToString().c_str());
    return 1;
  }
  const double cpu0 = speech::internal::ThreadCpuSeconds();
  auto triggers = speech::SpotTriggersInFile(track->wav.string(), *spotter);
  const double cpu = speech::internal::ThreadCpuSeconds() - cpu0;
  if (!triggers.ok()) {
    std::fprintf(stderr, "triggers_bench: %s\n", triggers.status().ToString().c_str());
    return 1;
  }
  std::vector<TimeMs> verified;
  for (const auto& t : *triggers) verified.push_back(t.at_ms);
  const Score v = ScoreHits(verified, *track);
  const Score first = ScoreHits(spotter->stats().first_pass_at_ms, *track);
  const double hours = static_cast<double>(track->duration_ms) / 3600000.0;
  const double audio_s = static_cast<double>(track->duration_ms) / 1000.0;
  std::printf(
      "triggers_bench: %.1f min of generated talk, %zu sentences (%d near misses), %d planted\n",
      audio_s / 60, track->sentences.size(), near_misses, v.planted);
  std::printf(
      "  verified (clipthat triggers): planted found %d/%d, false triggers %d = %.2f per hour"
      " (targets: >= 9/10, <= 1 per hour)\n",
      v.found, v.planted, v.false_hits, v.false_hits / hours);
  std::printf(
      "  baseline, first pass alone:   planted found %d/%d, false triggers %d = %.1f per hour\n",
      first.found, first.planted, first.false_hits, first.false_hits / hours);
  std::printf("  false triggers per hour, verified / first pass: %.3f\n",
              first.false_hits > 0 ? static_cast<double>(v.false_hits) / first.false_hits : 0.0);
  const auto& st = spotter->stats();
  std::printf(
      "  cost: %.3f CPU s per audio s (first pass %.3f, verifying %d hits in %d decodes %.3f)\n",
      cpu / audio_s, st.kws_cpu_seconds / audio_s, st.first_pass_hits, st.decoded,
      st.verify_cpu_seconds / audio_s);
  if (spotter_options.verify.remote != nullptr) {
    std::printf("  remote check: %d decodes decided by the server, %d failed (embedded instead)\n",
                st.remote_checked, st.remote_failed);
  }
  if (!dump.empty()) {
    std::FILE* f = std::fopen(dump.c_str(), "w");
    if (f == nullptr) {
      std::fprintf(stderr, "triggers_bench: cannot write %s\n", dump.c_str());
      return 1;
    }
    std::fprintf(f,
                 "start_ms\tend_ms\tphrase\tlog10_ratio\tconfirmed\tconfidence\tplanted\tkind\t"
                 "heard\tsaid\n");
    for (const auto& r : st.records) {
      bool planted = false;
      const bench::SpokenSentence* said = nullptr;
      for (const auto& s : track->sentences) {
        if (s.kind == bench::SpokenSentence::Kind::kTrigger &&
            std::llabs(r.start_ms - s.trigger_ms) <= 1500)
          planted = true;
        if (r.start_ms >= s.start_ms - 500 && r.start_ms < s.end_ms + 500) said = &s;
      }
      const char* kind = said == nullptr                                        ? "none"
                         : said->kind == bench::SpokenSentence::Kind::kTrigger  ? "trigger"
                         : said->kind == bench::SpokenSentence::Kind::kNearMiss ? "near_miss"
                                                                                : "ordinary";
      std::fprintf(f, "%lld\t%lld\t%s\t%.2f\t%d\t%.3f\t%d\t%s\t%s\t%s\n",
                   static_cast<long long>(r.start_ms), static_cast<long long>(r.end_ms),
                   r.phrase.c_str(), r.log10_ratio, r.confirmed ? 1 : 0, r.confidence,
                   planted ? 1 : 0, kind, r.heard.c_str(), said ? said->text.c_str() : "");
    }
    std::fclose(f);
  }
  if (verbose) {
    for (const auto& t : *triggers) {
      std::printf("  trigger '%s' at %s confidence %.2f\n", t.phrase.c_str(),
                  FormatClock(t.at_ms).c_str(), t.confidence);
    }
  }
  return 0;
}
