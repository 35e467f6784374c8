#include "analysis/stages/transcribe_stage.h"

#include <algorithm>
#include <cctype>

#include "analysis/stages/slots.h"
#include "analysis/stages/trigger_scan_stage.h"
#include "media/audio_decoder.h"

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

}  // namespace

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
  if (recognizer_ == nullptr && spotter_ == nullptr) {
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
  const size_t with_words = recognizer_ == nullptr ? 0
                            : options_.words_for_top > 0
                                ? std::min(count, static_cast<size_t>(options_.words_for_top))
                                : count;
  // With the whole-VOD trigger scan, its triggers come later (the triggers stage): no window
  // is spotted here, and the second instance transcribes what they made worth it.
  const bool scan = ctx.Has(kTriggerScanJobSlot);
  if (options_.triggered_only) {
    if (!scan || !ctx.Has(kTriggersSlot) || recognizer_ == nullptr) return Status::Ok();
  }
  const bool spot_windows = spotter_ != nullptr && !scan && !options_.triggered_only;
  if (!options_.triggered_only) {
    for (Moment& m : *moments) m.words.clear();
  }
  double work = static_cast<double>(count) * (spot_windows ? 1 : 0) +
                static_cast<double>(with_words) * 5;  // the recognizer costs ~5x
  double done = 0;

  // Pass 1: trigger phrases in every candidate.
  for (Moment& m : *moments) {
    if (!spot_windows) break;
    m.triggers.erase(std::remove_if(m.triggers.begin(), m.triggers.end(),
                                    [](const MomentTrigger& t) { return t.kind == "phrase"; }),
                     m.triggers.end());
    const auto window = window_of(m);
    if (ctx.cancelled()) return CancelledError("transcription cancelled");
    auto audio = DecodeWindow(input->vod_path, window.first, window.second);
    if (!audio.ok()) return audio.status().WithPrefix(where_of(window));
    auto hits = spotter_->Spot(*audio);
    if (!hits.ok()) return hits.status().WithPrefix(where_of(window));
    for (const speech::TriggerHit& h : *hits) {
      m.triggers.push_back({"phrase", h.phrase, h.at_ms, h.confidence});
    }
    done += 1;
    ctx.ReportProgress(done / work);
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
  for (size_t k = 0; k < transcribe; ++k) {
    if (ctx.cancelled()) return CancelledError("transcription cancelled");
    Moment& m = (*moments)[order[k]];
    m.words.clear();
    const auto window = window_of(m);
    auto audio = DecodeWindow(input->vod_path, window.first, window.second);
    if (!audio.ok()) return audio.status().WithPrefix(where_of(window));
    auto words = recognizer_->Transcribe(*audio);
    if (!words.ok()) return words.status().WithPrefix(where_of(window));
    for (const speech::Word& w : *words) {
      m.words.push_back({w.text, w.start_ms, w.end_ms, w.confidence});
    }
    // The transcript credits a trigger only when nothing spots them: the embedded
    // recognizer's words are too unreliable ("clip it" heard in "clipboard", words in game
    // noise) to be a trigger without the spotter's check, while a remote backend's are not.
    if (spotter_ == nullptr && !scan) {
      for (MomentTrigger& t : FindTriggerPhrases(m.words, options_.trigger_phrases)) {
        m.triggers.push_back(std::move(t));
      }
    }
    done += 5;
    ctx.ReportProgress(done / work);
  }
  return Status::Ok();
}

}  // namespace clipthat::analysis
