#include "speech/trigger_verifier.h"

#include <pocketsphinx.h>
#include <sphinxbase/ngram_model.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "speech/sphinx_recognizer.h"
#include "speech/trigger_vocabulary.h"

namespace clipthat::speech {
namespace {

std::vector<std::string> SplitWords(const std::string& phrase) {
  std::vector<std::string> words;
  std::istringstream in(phrase);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

// A tiny ARPA model of the phrases: each phrase likely from the start, its words likely to
// follow each other. Interpolated with the full model it lifts the phrases over their
// sound-alikes without making them appear from nowhere. (Lifting the tail words too, so that
// "clip that please" is heard as said, made the decoder hear "clip that right" in "eclipse
// last night": the tails are left to the full model.)
std::string PhraseArpa(const std::vector<std::vector<std::string>>& phrases) {
  std::set<std::string> unigrams;
  std::set<std::pair<std::string, std::string>> bigrams;
  for (const auto& words : phrases) {
    for (std::size_t i = 0; i < words.size(); ++i) {
      unigrams.insert(words[i]);
      if (i + 1 < words.size()) bigrams.insert({words[i], words[i + 1]});
    }
  }
  std::ostringstream out;
  out << "\\data\\\nngram 1=" << unigrams.size() + 2 << "\nngram 2=" << bigrams.size()
      << "\n\n\\1-grams:\n-99 <s> -0.3\n-1 </s> 0\n";
  for (const std::string& u : unigrams) out << "-1 " << u << " -0.3\n";
  out << "\n\\2-grams:\n";
  for (const auto& [a, b] : bigrams) out << "-0.3 " << a << " " << b << "\n";
  out << "\n\\end\\\n";
  return out.str();
}

}  // namespace

WindowLevels WindowLevels::Measure(const float* samples, std::size_t count, TimeMs start_ms) {
  WindowLevels levels;
  levels.start_ms = start_ms;
  const auto frame = static_cast<std::size_t>(kFrameMs) * 16;  // 16 kHz
  levels.frame_db.reserve(count / frame);
  for (std::size_t at = 0; at + frame <= count; at += frame) {
    double power = 0;
    for (std::size_t k = at; k < at + frame; ++k) {
      power += static_cast<double>(samples[k]) * samples[k];
    }
    // The floor (-90 dB) keeps digital silence finite.
    levels.frame_db.push_back(10.0 * std::log10(power / static_cast<double>(frame) + 1e-9));
  }
  return levels;
}

TriggerVerifier::LmRef& TriggerVerifier::LmRef::operator=(LmRef&& o) noexcept {
  if (this != &o) {
    if (lm != nullptr) ngram_model_free(static_cast<ngram_model_t*>(lm));
    lm = std::exchange(o.lm, nullptr);
  }
  return *this;
}

TriggerVerifier::LmRef::~LmRef() {
  if (lm != nullptr) ngram_model_free(static_cast<ngram_model_t*>(lm));
}

TriggerVerifier::~TriggerVerifier() = default;

Result<TriggerVerifier> TriggerVerifier::Create(const std::vector<std::string>& phrases,
                                                const TriggerVerifierOptions& options,
                                                const Logger& logger) {
  if (phrases.empty()) return InvalidArgumentError("trigger verifier: no phrases");
  internal::RouteSphinxLogs(logger);  // the vocabulary's model reading logs too
  const std::string& dir = options.model_dir;
  const std::string dict = dir + "/cmudict-en-us.dict";
  const std::string lm_path = dir + "/en-us.lm.bin";
  std::vector<std::vector<std::string>> words;
  for (const std::string& phrase : phrases) {
    words.push_back(SplitWords(phrase));
    if (words.back().empty()) return InvalidArgumentError("trigger verifier: an empty phrase");
  }
  ASSIGN_OR_RETURN(std::string vocabulary,
                   internal::CompetingVocabulary(dict, lm_path, words, options.vocabulary_words));
  internal::TempFile dict_file("clipthat-trig-dict");
  RETURN_IF_ERROR(dict_file.Write(vocabulary));
  ASSIGN_OR_RETURN(auto decoder, internal::SphinxDecoder::Create({{"-hmm", dir + "/en-us"},
                                                                  {"-dict", dict_file.path()},
                                                                  {"-lm", lm_path},
                                                                  {"-remove_silence", "no"},
                                                                  {"-bestpath", "yes"}},
                                                                 logger));
  ps_decoder_t* ps = decoder.get();
  // pocketsphinx reads ARPA models from files only.
  internal::TempFile arpa_file("clipthat-trig-lm");
  RETURN_IF_ERROR(arpa_file.Write(PhraseArpa(words)));
  ngram_model_t* phrase_lm =
      ngram_model_read(ps_get_config(ps), arpa_file.path().c_str(), NGRAM_ARPA, ps_get_logmath(ps));
  if (phrase_lm == nullptr) {
    return InternalError("trigger verifier: cannot read the phrase model: " +
                         internal::LastSphinxError());
  }
  ngram_model_t* base = ps_get_lm(ps, "_default");
  if (base == nullptr) {
    ngram_model_free(phrase_lm);
    return InternalError("trigger verifier: the decoder has no language model");
  }
  // ngram_model_set_init retains each model it is given, and ngram_search_init (ps_set_lm)
  // retains the set: every reference taken here is released here, the rest belong to them.
  ngram_model_t* models[2] = {base, phrase_lm};
  char base_name[] = "base";
  char phrase_name[] = "phrases";
  char* names[2] = {base_name, phrase_name};
  const float32 weights[2] = {static_cast<float32>(1.0 - options.boost_weight),
                              static_cast<float32>(options.boost_weight)};
  ngram_model_t* set = ngram_model_set_init(ps_get_config(ps), models, names, weights, 2);
  ngram_model_free(phrase_lm);  // ours from ngram_model_read; the set holds its own
  if (set == nullptr) {
    return InternalError("trigger verifier: cannot interpolate the language models: " +
                         internal::LastSphinxError());
  }
  LmRef ref;
  ref.lm = set;  // ours (from ngram_model_set_init), released after the decoder
  if (ps_set_lm(ps, "trigger_boost", set) < 0 || ps_set_search(ps, "trigger_boost") < 0) {
    return InternalError("trigger verifier: pocketsphinx rejected the language model: " +
                         internal::LastSphinxError());
  }
  std::vector<std::vector<std::string>> tails;
  for (const std::string& tail : options.tail_words) {
    tails.push_back(SplitWords(tail));
    if (tails.back().empty()) tails.pop_back();
  }
  return TriggerVerifier(std::move(ref), std::move(decoder), std::move(words), std::move(tails),
                         options, logger);
}

Result<Verification> TriggerVerifier::Verify(const float* samples, std::size_t count,
                                             std::size_t level_count, TimeMs start_ms,
                                             TimeMs hit_start_ms, TimeMs hit_end_ms) {
  std::string remote_error;
  Result<std::vector<HeardWord>> heard = std::vector<HeardWord>{};
  bool remote = false;
  if (options_.remote != nullptr) {
    heard = HearRemote(samples, count, start_ms);
    remote = heard.ok();
    if (!heard.ok()) {
      remote_error = heard.status().ToString();
      CT_LOG(logger_, kWarn) << "trigger check: the remote recognizer failed on the window at "
                             << FormatClock(start_ms)
                             << ", the embedded decoder decides it: " << remote_error;
    }
  }
  if (!remote) heard = DecodeEmbedded(samples, count, start_ms);
  if (!heard.ok()) return heard.status();
  // The decision looks no further than the pause after the last word heard, which ends inside
  // the decoded window: the levels stop there.
  const std::size_t pause_samples = static_cast<std::size_t>(std::max<TimeMs>(
                                        0, options_.pause_from_ms + options_.pause_span_ms)) *
                                    16;  // 16 kHz
  const std::size_t measured = std::min(std::max(count, level_count), count + pause_samples);
  Verification v =
      Match(*heard, WindowLevels::Measure(samples, measured, start_ms), hit_start_ms, hit_end_ms);
  v.remote = remote;
  v.remote_error = std::move(remote_error);
  return v;
}

Result<std::vector<HeardWord>> TriggerVerifier::HearRemote(const float* samples, std::size_t count,
                                                           TimeMs start_ms) {
  media::AudioBuffer audio;
  audio.start_ms = start_ms;
  audio.samples.assign(samples, samples + count);
  ASSIGN_OR_RETURN(std::vector<Word> words, options_.remote->Transcribe(audio));
  std::vector<HeardWord> heard;
  heard.reserve(words.size());
  for (Word& w : words) {
    heard.push_back({std::move(w.text), w.start_ms, w.end_ms, std::clamp(w.confidence, 0.0, 1.0),
                     w.break_after, w.sentence_end});
  }
  return heard;
}

Result<std::vector<HeardWord>> TriggerVerifier::DecodeEmbedded(const float* samples,
                                                               std::size_t count, TimeMs start_ms) {
  ps_decoder_t* ps = decoder_.get();
  std::vector<std::int16_t> pcm = internal::ToInt16(samples, count);
  std::uint32_t dither_state = static_cast<std::uint32_t>(start_ms) | 1u;  // reproducible
  internal::Dither(pcm, &dither_state);
  if (ps_start_utt(ps) < 0) return InternalError("trigger verifier: cannot start an utterance");
  const int rc = ps_process_raw(ps, pcm.data(), pcm.size(), FALSE, TRUE);
  if (ps_end_utt(ps) < 0 || rc < 0) {
    return InternalError("trigger verifier: decoding failed at " + FormatClock(start_ms) + ": " +
                         internal::LastSphinxError());
  }
  std::vector<HeardWord> heard;
  logmath_t* lmath = ps_get_logmath(ps);
  for (ps_seg_t* seg = ps_seg_iter(ps); seg != nullptr; seg = ps_seg_next(seg)) {
    std::string word = CleanSphinxWord(ps_seg_word(seg));
    if (word.empty()) continue;
    int sf = 0, ef = 0;
    ps_seg_frames(seg, &sf, &ef);
    int32 ascr = 0, lscr = 0, lback = 0;
    const double posterior =
        std::clamp(logmath_exp(lmath, ps_seg_prob(seg, &ascr, &lscr, &lback)), 0.0, 1.0);
    heard.push_back({std::move(word), start_ms + static_cast<TimeMs>(sf) * 10,
                     start_ms + static_cast<TimeMs>(ef + 1) * 10, posterior});
  }
  return heard;
}

int TriggerVerifier::PhraseAt(const std::vector<HeardWord>& heard, std::size_t i) const {
  for (std::size_t p = 0; p < phrases_.size(); ++p) {
    const auto& words = phrases_[p];
    if (i + words.size() > heard.size()) continue;
    bool match = true;
    for (std::size_t k = 0; k < words.size() && match; ++k) {
      // Not across punctuation: "that clip, it was funny" has no "clip it".
      match = heard[i + k].word == words[k] && (k + 1 == words.size() || !heard[i + k].break_after);
    }
    if (match) return static_cast<int>(p);
  }
  return -1;
}

int TriggerVerifier::ClauseEnd(const std::vector<HeardWord>& heard, std::size_t i,
                               int phrase) const {
  // Repeats ("clip it clip it") are followed to the last one; a window holds few words.
  for (std::size_t guard = 0; guard < heard.size(); ++guard) {
    const std::size_t last = i + phrases_[static_cast<std::size_t>(phrase)].size() - 1;
    if (heard[last].sentence_end) return static_cast<int>(last);  // "Clip that!"
    std::size_t next = last + 1;
    while (next < heard.size() && heard[next].posterior < options_.clause_min_posterior) ++next;
    if (next >= heard.size() ||
        heard[next].start_ms - heard[last].end_ms >= options_.clause_pause_ms) {
      return static_cast<int>(last);  // a pause, or only doubtful words, after the phrase
    }
    const int repeat = PhraseAt(heard, next);
    if (repeat >= 0) {
      i = next;
      phrase = repeat;
      continue;
    }
    for (const std::vector<std::string>& tail : tails_) {
      if (next + tail.size() > heard.size()) continue;
      bool match = true;
      for (std::size_t k = 0; k < tail.size() && match; ++k) {
        match = heard[next + k].word == tail[k] &&
                heard[next + k].posterior >= options_.tail_min_posterior;
      }
      if (match) return static_cast<int>(next + tail.size() - 1);
    }
    return -1;
  }
  return -1;
}

bool TriggerVerifier::VoiceStops(const WindowLevels& levels, TimeMs from_ms, TimeMs to_ms) const {
  if (options_.pause_drop_db <= 0 || levels.frame_db.empty()) return true;
  const auto frames = static_cast<std::ptrdiff_t>(levels.frame_db.size());
  auto frame_at = [&](TimeMs t) {
    return std::clamp<std::ptrdiff_t>((t - levels.start_ms) / WindowLevels::kFrameMs, 0, frames);
  };
  // The phrase's level: the median of its frames.
  const std::ptrdiff_t said_from = frame_at(from_ms);
  const std::ptrdiff_t said_to = std::min(frames, frame_at(to_ms) + 1);
  if (said_from >= said_to) return true;  // the phrase is outside the levels: nothing to ask
  std::vector<double> said(levels.frame_db.begin() + said_from, levels.frame_db.begin() + said_to);
  std::nth_element(said.begin(), said.begin() + static_cast<std::ptrdiff_t>(said.size() / 2),
                   said.end());
  const double level_db = said[said.size() / 2];
  const std::ptrdiff_t gap_from = frame_at(to_ms) + options_.pause_from_ms / WindowLevels::kFrameMs;
  const std::ptrdiff_t gap_to =
      std::min(frames, frame_at(to_ms) + (options_.pause_from_ms + options_.pause_span_ms) /
                                             WindowLevels::kFrameMs);
  constexpr std::ptrdiff_t kMinGapFrames = 100 / WindowLevels::kFrameMs;
  if (gap_to - gap_from < kMinGapFrames) return true;  // the audio stops here
  double sum = 0;
  for (std::ptrdiff_t f = gap_from; f < gap_to; ++f) {
    sum += levels.frame_db[static_cast<std::size_t>(f)];
  }
  return sum / static_cast<double>(gap_to - gap_from) <= level_db - options_.pause_drop_db;
}

Verification TriggerVerifier::Match(const std::vector<HeardWord>& heard, const WindowLevels& levels,
                                    TimeMs hit_start_ms, TimeMs hit_end_ms) const {
  Verification v;
  v.words = heard;
  v.levels = levels;
  for (const HeardWord& s : heard) {
    char posterior[32];
    std::snprintf(posterior, sizeof posterior, "@%.2f-%.2f/%.2f",
                  static_cast<double>(s.start_ms) / 1000, static_cast<double>(s.end_ms) / 1000,
                  s.posterior);
    v.heard += (v.heard.empty() ? "" : " ") + s.word + posterior;
  }
  // The earliest match counts ("clip it clip it" is asked once, where it was first said).
  for (std::size_t i = 0; i < heard.size() && !v.confirmed; ++i) {
    const int phrase = PhraseAt(heard, i);
    if (phrase < 0) continue;
    const bool near = heard[i].start_ms >= hit_start_ms - options_.slack_before_ms &&
                      heard[i].start_ms <= hit_end_ms + options_.slack_after_ms;
    if (!near) continue;
    const auto& words = phrases_[static_cast<std::size_t>(phrase)];
    double confidence = heard[i].posterior;
    for (std::size_t k = 1; k < words.size(); ++k) {
      confidence =
          std::min(confidence, std::min(1.0, options_.follow_weight * heard[i + k].posterior));
    }
    if (confidence < options_.min_confidence) continue;
    const int end = ClauseEnd(heard, i, phrase);
    if (end < 0) continue;
    // A sentence end the recognizer wrote is the pause: "Clip that! What was that" in one breath.
    const HeardWord& last = heard[static_cast<std::size_t>(end)];
    if (!last.sentence_end && !VoiceStops(levels, heard[i].start_ms, last.end_ms)) continue;
    v.confirmed = true;
    v.confidence = confidence;
    v.at_ms = heard[i].start_ms;
    for (const std::string& w : words) v.phrase += (v.phrase.empty() ? "" : " ") + w;
  }
  return v;
}

}  // namespace clipthat::speech
