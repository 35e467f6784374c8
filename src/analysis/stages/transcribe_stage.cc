#include "analysis/stages/transcribe_stage.h"

#include <algorithm>
#include <cctype>

#include "analysis/stages/slots.h"
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
        hits.push_back({"phrase", phrase, words[i].start_ms});
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
  if (probe->audio() == nullptr) {
    CT_LOG(ctx.logger(), kInfo) << input->vod_path << ": no audio stream; nothing to transcribe";
    return Status::Ok();
  }
  for (size_t i = 0; i < moments->size(); ++i) {
    if (ctx.cancelled()) return CancelledError("transcription cancelled");
    Moment& m = (*moments)[i];
    const TimeMs from = std::max<TimeMs>(0, m.start_ms - options_.margin_ms);
    const TimeMs to = std::min(probe->duration_ms, m.end_ms + options_.margin_ms);
    const std::string where = input->vod_path + " " + FormatClock(from) + "-" + FormatClock(to);
    auto audio = DecodeWindow(input->vod_path, from, to);
    if (!audio.ok()) return audio.status().WithPrefix(where);
    m.words.clear();
    m.triggers.erase(std::remove_if(m.triggers.begin(), m.triggers.end(),
                                    [](const MomentTrigger& t) { return t.kind == "phrase"; }),
                     m.triggers.end());
    if (recognizer_ != nullptr) {
      auto words = recognizer_->Transcribe(*audio);
      if (!words.ok()) return words.status().WithPrefix(where);
      for (const speech::Word& w : *words) {
        m.words.push_back({w.text, w.start_ms, w.end_ms, w.confidence});
      }
      for (MomentTrigger& t : FindTriggerPhrases(m.words, options_.trigger_phrases)) {
        m.triggers.push_back(std::move(t));
      }
    }
    if (spotter_ != nullptr) {
      auto hits = spotter_->Spot(*audio);
      if (!hits.ok()) return hits.status().WithPrefix(where);
      for (const speech::TriggerHit& h : *hits) m.triggers.push_back({"phrase", h.phrase, h.at_ms});
    }
    ctx.ReportProgress(static_cast<double>(i + 1) / static_cast<double>(moments->size()));
  }
  return Status::Ok();
}

}  // namespace clipthat::analysis
