#include "analysis/stages/transcribe_stage.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "analysis/stages/slots.h"
#include "analysis/stages/trigger_scan_stage.h"
#include "media/audio_decoder.h"
#if defined(CLIPTHAT_HAVE_SPEECH)
#include "speech/trigger_rules.h"
#endif

namespace clipthat::analysis {
namespace {

std::string Normalised(std::string_view w) {
  std::string out;
  for (char c : w) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'') {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::vector<std::string> PhraseWords(const std::string& phrase) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < phrase.size()) {
    size_t end = phrase.find(' ', pos);
    if (end == std::string::npos) end = phrase.size();
    std::string w = Normalised(std::string_view(phrase).substr(pos, end - pos));
    if (!w.empty()) out.push_back(std::move(w));
    pos = end + 1;
  }
  return out;
}

Result<media::AudioBuffer> DecodeWindow(const std::string& path, TimeMs start_ms, TimeMs end_ms) {
  ASSIGN_OR_RETURN(auto decoder, media::AudioDecoder::Open(path, {.sample_rate_hz = 16000,
                                                                  .channels = 1,
                                                                  .chunk_ms = 10000,
                                                                  .start_ms = start_ms,
                                                                  .end_ms = end_ms}));
  media::AudioBuffer all;
  all.start_ms = start_ms;
  media::AudioBuffer chunk;
  bool first = true;
  while (true) {
    ASSIGN_OR_RETURN(bool more, decoder.Next(&chunk));
    if (!more) break;
    if (first) all.start_ms = chunk.start_ms;
    first = false;
    all.samples.insert(all.samples.end(), chunk.samples.begin(), chunk.samples.end());
  }
  return all;
}

// Runs fn(item, worker) for every item in [0, items), one thread per worker (the caller's
// thread is worker 0), each worker on one thread only. Stops at the first error or a cancel,
// and returns it. `done` is called on the caller's thread after each of its items.
Status ForEachOnWorkers(size_t items, size_t workers, const pipeline::Context& ctx,
                        const std::function<Status(size_t item, size_t worker)>& fn,
                        const std::function<void()>& done) {
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  Status first;
  auto fail = [&](Status st) {
    std::lock_guard<std::mutex> lock(mu);
    if (first.ok()) first = std::move(st);
    stop = true;
  };
  auto loop = [&](size_t worker) {
    while (!stop) {
      if (ctx.cancelled()) return fail(CancelledError("transcription cancelled"));
      const size_t i = next++;
      if (i >= items) return;
      Status st = fn(i, worker);
      if (!st.ok()) return fail(std::move(st));
      if (worker == 0) done();
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < std::min(workers, items); ++w) threads.emplace_back(loop, w);
  loop(0);
  for (std::thread& t : threads) t.join();
  return first;
}

}  // namespace

TranscribeStage::TranscribeStage(speech::SpeechRecognizer* recognizer,
                                 speech::KeywordSpotter* spotter, TranscribeOptions options)
    : options_(std::move(options)) {
  if (recognizer != nullptr) models_.recognizers.push_back(recognizer);
  if (spotter != nullptr) models_.spotters.push_back(spotter);
}

std::vector<MomentTrigger> FindTriggerPhrases(const std::vector<MomentWord>& words,
                                              const std::vector<std::string>& phrases) {
  std::vector<std::string> said;
  said.reserve(words.size());
  for (const MomentWord& w : words) said.push_back(Normalised(w.text));
  std::vector<MomentTrigger> hits;
  for (const std::string& phrase : phrases) {
    const std::vector<std::string> parts = PhraseWords(phrase);
    if (parts.empty() || parts.size() > said.size()) continue;
    for (size_t i = 0; i + parts.size() <= said.size(); ++i) {
      if (std::equal(parts.begin(), parts.end(), said.begin() + static_cast<long>(i))) {
        double confidence = 1.0;
        for (size_t k = 0; k < parts.size(); ++k) {
          confidence = std::min(confidence, words[i + k].confidence);
        }
        hits.push_back({"phrase", phrase, words[i].start_ms, confidence});
      }
    }
  }
  return hits;
}

Status TranscribeStage::run(pipeline::Context& ctx) {
  if (models_.recognizers.empty() && models_.spotters.empty()) {
    CT_LOG(ctx.logger(), kInfo) << "no speech recognizer: words and trigger phrases not found";
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(const AnalysisInput* input, ctx.Get(kAnalysisInputSlot));
  ASSIGN_OR_RETURN(const media::ProbeInfo* probe, ctx.Get(kProbeSlot));
  ASSIGN_OR_RETURN(std::vector<Moment> * moments, ctx.Get(kMomentsSlot));
  if (input->vod_path.empty()) return Status::Ok();  // chat-only analysis
  if (probe->audio() == nullptr) {
    CT_LOG(ctx.logger(), kInfo) << input->vod_path << ": no audio stream; nothing to transcribe";
    return Status::Ok();
  }
  auto window_of = [&](const Moment& m) {
    const TimeMs from = std::max<TimeMs>(0, m.start_ms - options_.margin_ms);
    const TimeMs to = std::min(probe->duration_ms, m.end_ms + options_.margin_ms);
    return std::pair<TimeMs, TimeMs>(from, to);
  };
  auto where_of = [&](std::pair<TimeMs, TimeMs> w) {
    return input->vod_path + " " + FormatClock(w.first) + "-" + FormatClock(w.second);
  };
  // Which candidates get words: the best by score, a heard trigger counting as a bonus.
  const size_t count = moments->size();
  const size_t with_words = models_.recognizers.empty() ? 0
                            : options_.words_for_top > 0
                                ? std::min(count, static_cast<size_t>(options_.words_for_top))
                                : count;
  // With the whole-VOD trigger scan, its triggers come later (the triggers stage): no window
  // is spotted here, and the second instance transcribes what they made worth it.
  const bool scan = ctx.Has(kTriggerScanJobSlot);
  if (options_.triggered_only) {
    if (!scan || !ctx.Has(kTriggersSlot) || models_.recognizers.empty()) return Status::Ok();
  }
  const bool spot_windows = !models_.spotters.empty() && !scan && !options_.triggered_only;
  if (!options_.triggered_only) {
    for (Moment& m : *moments) m.words.clear();
  }
  double work = static_cast<double>(count) * (spot_windows ? 1 : 0) +
                static_cast<double>(with_words) * 5;  // the recognizer costs ~5x

  // Pass 1: trigger phrases in every candidate, one window per spotter at a time.
  std::atomic<int> completed{0};
  double base = 0;  // work done before the pass
  auto report = [&](double unit) {
    return [&, unit] { ctx.ReportProgress((base + unit * completed.load()) / work); };
  };
  if (spot_windows) {
    auto spot = [&](size_t i, size_t worker) -> Status {
      Moment& m = (*moments)[i];
      std::erase_if(m.triggers, [](const MomentTrigger& t) { return t.kind == "phrase"; });
      const auto window = window_of(m);
      auto audio = DecodeWindow(input->vod_path, window.first, window.second);
      if (!audio.ok()) return audio.status().WithPrefix(where_of(window));
      auto hits = models_.spotters[worker]->Spot(*audio);
      if (!hits.ok()) return hits.status().WithPrefix(where_of(window));
      for (const speech::TriggerHit& h : *hits) {
        m.triggers.push_back({"phrase", h.phrase, h.at_ms, h.confidence});
      }
      ++completed;
      return Status::Ok();
    };
    RETURN_IF_ERROR(ForEachOnWorkers(count, models_.spotters.size(), ctx, spot, report(1)));
    base = static_cast<double>(count);
    completed = 0;
  }
  if (with_words == 0) return Status::Ok();

  // Pass 2: words for the best candidates.
  std::vector<size_t> order(count);
  for (size_t i = 0; i < count; ++i) order[i] = i;
  auto priority = [&](const Moment& m) {
    const bool heard = std::any_of(m.triggers.begin(), m.triggers.end(),
                                   [](const MomentTrigger& t) { return t.kind == "phrase"; });
    return m.score + (heard ? options_.trigger_priority_bonus : 0.0);
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return priority((*moments)[a]) > priority((*moments)[b]);
  });
  if (options_.triggered_only) {
    // Moments with a scanned trigger and no words yet, best first; the others keep theirs.
    order.erase(std::remove_if(order.begin(), order.end(),
                               [&](size_t i) {
                                 const Moment& m = (*moments)[i];
                                 return !m.words.empty() ||
                                        std::none_of(m.triggers.begin(), m.triggers.end(),
                                                     [](const MomentTrigger& t) {
                                                       return t.kind == "phrase";
                                                     });
                               }),
                order.end());
  }
  const size_t transcribe = options_.triggered_only ? order.size() : with_words;
  if (options_.triggered_only) work = std::max<double>(1, 5.0 * static_cast<double>(transcribe));
  // Words, one window per recognizer at a time. The transcript credits a trigger only when
  // nothing spots them: the embedded recognizer's words are too unreliable ("clip it" heard in
  // "clipboard", words in game noise) to be a trigger without the spotter's check, while a
  // remote backend's are not.
  const bool triggers_from_words = models_.spotters.empty() && !scan;
#if defined(CLIPTHAT_HAVE_SPEECH)
  // Still, the phrase must be a request: the trigger rules (speech/trigger_rules.h) ask that it
  // end its clause, and read the backend's punctuation ("that clip, it was funny" has no "clip
  // it"). The words decide alone, as with the trigger check's remote recognizer.
  std::optional<speech::TriggerRules> rules;
  if (triggers_from_words) {
    auto made = speech::TriggerRules::Create(options_.trigger_phrases, {});
    if (!made.ok()) return made.status().WithPrefix("trigger phrases");
    rules.emplace(std::move(*made));
  }
#endif
  auto transcribe_one = [&](size_t k, size_t worker) -> Status {
    Moment& m = (*moments)[order[k]];
    m.words.clear();
    const auto window = window_of(m);
    auto audio = DecodeWindow(input->vod_path, window.first, window.second);
    if (!audio.ok()) return audio.status().WithPrefix(where_of(window));
    auto words = models_.recognizers[worker]->Transcribe(*audio);
    if (!words.ok()) return words.status().WithPrefix(where_of(window));
    for (const speech::Word& w : *words) {
      m.words.push_back({w.text, w.start_ms, w.end_ms, w.confidence});
    }
    if (triggers_from_words) {
#if defined(CLIPTHAT_HAVE_SPEECH)
      for (const speech::Verification& v :
           rules->FindAll(speech::HeardFromWords(*words), speech::WindowLevels{})) {
        m.triggers.push_back({"phrase", v.phrase, v.at_ms, v.confidence});
      }
#else
      for (MomentTrigger& t : FindTriggerPhrases(m.words, options_.trigger_phrases)) {
        m.triggers.push_back(std::move(t));
      }
#endif
    }
    ++completed;
    return Status::Ok();
  };
  RETURN_IF_ERROR(
      ForEachOnWorkers(transcribe, models_.recognizers.size(), ctx, transcribe_one, report(5)));
  return Status::Ok();
}

}  // namespace clipthat::analysis
