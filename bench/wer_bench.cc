// wer_bench: word error rate and CPU cost of the embedded recognizer (pocketsphinx) on the
// librivox sentences of Debian's pocketsphinx-testdata.
//
//   wer_bench [DIR]   (default /usr/share/pocketsphinx/test/data/librivox)
//
// Prints per-file and overall WER, and the real-time factor (CPU seconds per audio second).
#include <time.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "media/audio_decoder.h"
#include "speech/sphinx_recognizer.h"
#include "speech/wer.h"

namespace {

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace clipthat;
  std::string dir = argc > 1 ? argv[1] : "/usr/share/pocketsphinx/test/data/librivox";
  // transcription lines: "<s> words ... </s> (fileid)"
  std::ifstream in(dir + "/transcription");
  if (!in) {
    std::fprintf(stderr, "wer_bench: %s/transcription: cannot read\n", dir.c_str());
    return 1;
  }
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

  auto rec = speech::SphinxRecognizer::Create({}, Logger());
  if (!rec.ok()) {
    std::fprintf(stderr, "wer_bench: %s\n", rec.status().ToString().c_str());
    return 1;
  }
  speech::WerCounts total;
  double audio_s = 0, cpu_s = 0;
  std::printf("%-45s %6s %6s  %s\n", "file", "audio_s", "WER", "hypothesis");
  for (const auto& [id, text] : reference) {
    std::string path = dir + "/" + id + ".wav";
    auto dec = media::AudioDecoder::Open(path, {.sample_rate_hz = 16000, .channels = 1});
    if (!dec.ok()) {
      std::fprintf(stderr, "wer_bench: %s\n", dec.status().ToString().c_str());
      return 1;
    }
    media::AudioBuffer audio, chunk;
    while (true) {
      auto more = dec->Next(&chunk);
      if (!more.ok()) {
        std::fprintf(stderr, "wer_bench: %s\n", more.status().ToString().c_str());
        return 1;
      }
      if (!*more) break;
      audio.samples.insert(audio.samples.end(), chunk.samples.begin(), chunk.samples.end());
    }
    double cpu_start = ProcessCpuSeconds();
    auto words = rec->Transcribe(audio);
    cpu_s += ProcessCpuSeconds() - cpu_start;
    if (!words.ok()) {
      std::fprintf(stderr, "wer_bench: %s: %s\n", path.c_str(), words.status().ToString().c_str());
      return 1;
    }
    std::string hyp;
    for (const auto& w : *words) hyp += (hyp.empty() ? "" : " ") + w.text;
    auto counts =
        speech::CountWordErrors(speech::NormalizeWords(text), speech::NormalizeWords(hyp));
    total += counts;
    double seconds = static_cast<double>(audio.frame_count()) / 16000.0;
    audio_s += seconds;
    std::printf("%-45s %6.2f %6.3f  %s\n", id.c_str(), seconds, counts.rate(), hyp.c_str());
  }
  std::printf("overall: %d reference words, %d substitutions, %d deletions, %d insertions\n",
              total.reference_words, total.substitutions, total.deletions, total.insertions);
  std::printf(
      "overall WER %.3f; real-time factor %.3f CPU s per audio s (%.1f s audio, %.2f s CPU)\n",
      total.rate(), audio_s > 0 ? cpu_s / audio_s : 0.0, audio_s, cpu_s);
  return 0;
}
