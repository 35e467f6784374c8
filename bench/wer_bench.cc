// wer_bench: word error rate and CPU cost of the embedded recognizer (pocketsphinx), on the
// librivox sentences of Debian's pocketsphinx-testdata (71 words of read speech) or on the
// start of a generated talk track (bench/talk_track.h: espeak-ng voices over game audio, the
// same tracks triggers_bench uses; hundreds of sentences).
//
//   wer_bench [DIR]
//       DIR defaults to /usr/share/pocketsphinx/test/data/librivox
//   wer_bench --talk DIR --seed N [--minutes M]
//       the first M minutes (default 10) of the track in DIR, made from seed N when absent
//
// Prints per-file (or per-track) and overall WER, and the real-time factor (CPU seconds per
// audio second).
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "media/audio_decoder.h"
#include "speech/sphinx_recognizer.h"
#include "speech/wer.h"
#if CLIPTHAT_WER_BENCH_TALK
#include "talk_track.h"
#endif

namespace {

using namespace clipthat;

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The first `limit_ms` of a file (all of it when limit_ms < 0), 16 kHz mono.
Result<media::AudioBuffer> ReadAudio(const std::string& path, TimeMs limit_ms) {
  ASSIGN_OR_RETURN(auto dec,
                   media::AudioDecoder::Open(path, {.sample_rate_hz = 16000, .channels = 1}));
  const std::size_t limit =
      limit_ms < 0 ? SIZE_MAX : static_cast<std::size_t>(limit_ms) * 16000 / 1000;
  media::AudioBuffer audio, chunk;
  while (audio.samples.size() < limit) {
    ASSIGN_OR_RETURN(bool more, dec.Next(&chunk));
    if (!more) break;
    audio.samples.insert(audio.samples.end(), chunk.samples.begin(), chunk.samples.end());
  }
  if (audio.samples.size() > limit) audio.samples.resize(limit);
  return audio;
}

struct Totals {
  speech::WerCounts words;
  double audio_s = 0;
  double cpu_s = 0;
};

// Transcribes `audio`, scores it against `reference` and prints one line named `id`.
Status Score(speech::SphinxRecognizer& rec, const std::string& id, const media::AudioBuffer& audio,
             const std::string& reference, bool print_hypothesis, Totals* totals) {
  double cpu_start = ProcessCpuSeconds();
  ASSIGN_OR_RETURN(auto words, rec.Transcribe(audio));
  totals->cpu_s += ProcessCpuSeconds() - cpu_start;
  std::string hyp;
  for (const auto& w : words) hyp += (hyp.empty() ? "" : " ") + w.text;
  auto counts =
      speech::CountWordErrors(speech::NormalizeWords(reference), speech::NormalizeWords(hyp));
  totals->words += counts;
  double seconds = static_cast<double>(audio.frame_count()) / 16000.0;
  totals->audio_s += seconds;
  std::printf("%-45s %7.1f %6.3f  %s\n", id.c_str(), seconds, counts.rate(),
              print_hypothesis ? hyp.c_str() : "");
  return Status::Ok();
}

// librivox: "<s> words ... </s> (fileid)" lines in DIR/transcription, DIR/fileid.wav.
Status ScoreLibrivox(speech::SphinxRecognizer& rec, const std::string& dir, Totals* totals) {
  std::ifstream in(dir + "/transcription");
  if (!in) return NotFoundError(dir + "/transcription: cannot read");
  std::map<std::string, std::string> reference;
  for (std::string line; std::getline(in, line);) {
    auto open = line.rfind('('), close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::string text = line.substr(0, open);
    for (const char* marker : {"<s>", "</s>"}) {
      for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker)) {
        text.erase(at, std::string(marker).size());
      }
    }
    reference[line.substr(open + 1, close - open - 1)] = text;
  }
  for (const auto& [id, text] : reference) {
    ASSIGN_OR_RETURN(auto audio, ReadAudio(dir + "/" + id + ".wav", -1));
    RETURN_IF_ERROR(Score(rec, id, audio, text, /*print_hypothesis=*/true, totals));
  }
  return Status::Ok();
}

#if CLIPTHAT_WER_BENCH_TALK
// The sentences that end within the first `minutes` of the track; the audio is cut where the
// first sentence that runs past that starts, so no sentence is cut in half.
Status ScoreTalk(speech::SphinxRecognizer& rec, const std::string& dir, std::uint64_t seed,
                 double minutes, Totals* totals) {
  bench::TalkTrackOptions options;
  options.seed = seed;
  ASSIGN_OR_RETURN(auto track, bench::MakeOrLoadTalkTrack(dir, options));
  const auto limit_ms = static_cast<TimeMs>(minutes * 60000.0);
  TimeMs cut_ms = track.duration_ms;
  std::string reference;
  for (const auto& s : track.sentences) {
    if (s.end_ms > limit_ms) {
      cut_ms = s.start_ms;
      break;
    }
    reference += s.text + " ";
  }
  ASSIGN_OR_RETURN(auto audio, ReadAudio(track.wav.string(), cut_ms));
  return Score(rec, track.wav.string(), audio, reference, /*print_hypothesis=*/false, totals);
}
#endif

int Usage() {
  std::fprintf(stderr,
               "usage: wer_bench [DIR]\n"
               "       wer_bench --talk DIR --seed N [--minutes M]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = "/usr/share/pocketsphinx/test/data/librivox";
  std::string talk_dir;
  std::uint64_t seed = 1;
  double minutes = 10;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--talk" && has_value) {
      talk_dir = argv[++i];
    } else if (arg == "--seed" && has_value) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--minutes" && has_value) {
      minutes = std::atof(argv[++i]);
      if (!(minutes > 0)) return Usage();
    } else if (!arg.empty() && arg[0] != '-') {
      dir = arg;
    } else {
      return Usage();
    }
  }
  auto rec = speech::SphinxRecognizer::Create({}, Logger());
  if (!rec.ok()) {
    std::fprintf(stderr, "wer_bench: %s\n", rec.status().ToString().c_str());
    return 1;
  }
  Totals totals;
  std::printf("%-45s %7s %6s  %s\n", "file", "audio_s", "WER", "hypothesis");
  Status status = Status::Ok();
  if (talk_dir.empty()) {
    status = ScoreLibrivox(*rec, dir, &totals);
  } else {
#if CLIPTHAT_WER_BENCH_TALK
    status = ScoreTalk(*rec, talk_dir, seed, minutes, &totals);
#else
    status = UnsupportedError("--talk needs the sample generator (clipthat_sample)");
#endif
  }
  if (!status.ok()) {
    std::fprintf(stderr, "wer_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  const speech::WerCounts& total = totals.words;
  std::printf("overall: %d reference words, %d substitutions, %d deletions, %d insertions\n",
              total.reference_words, total.substitutions, total.deletions, total.insertions);
  std::printf(
      "overall WER %.3f; real-time factor %.3f CPU s per audio s (%.1f s audio, %.2f s CPU)\n",
      total.rate(), totals.audio_s > 0 ? totals.cpu_s / totals.audio_s : 0.0, totals.audio_s,
      totals.cpu_s);
  return 0;
}
