#include "speech/trigger_verifier.h"

#include <pocketsphinx.h>
#include <sphinxbase/ngram_model.h>
#include <unistd.h>

#include <algorithm>
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
// sound-alikes without making them appear from nowhere.
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
  return TriggerVerifier(std::move(ref), std::move(decoder), std::move(words), options);
}

Result<Verification> TriggerVerifier::Verify(const float* samples, std::size_t count,
                                             TimeMs start_ms, TimeMs hit_start_ms,
                                             TimeMs hit_end_ms) {
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
    heard.push_back({std::move(word), start_ms + static_cast<TimeMs>(sf) * 10, posterior});
  }
  return Match(heard, hit_start_ms, hit_end_ms);
}

Verification TriggerVerifier::Match(const std::vector<HeardWord>& heard, TimeMs hit_start_ms,
                                    TimeMs hit_end_ms) const {
  Verification v;
  v.words = heard;
  for (const HeardWord& s : heard) {
    char posterior[32];
    std::snprintf(posterior, sizeof posterior, "@%.1f/%.2f", static_cast<double>(s.start_ms) / 1000,
                  s.posterior);
    v.heard += (v.heard.empty() ? "" : " ") + s.word + posterior;
  }
  for (const auto& words : phrases_) {
    for (std::size_t i = 0; i + words.size() <= heard.size(); ++i) {
      bool match = true;
      double confidence = 1.0;
      for (std::size_t k = 0; k < words.size() && match; ++k) {
        match = heard[i + k].word == words[k];
        // Where another phrase shares the words before and differs here ("clip that" and
        // "clip it"), the posterior is split between two triggers: it counts double.
        const bool shared = std::any_of(phrases_.begin(), phrases_.end(), [&](const auto& o) {
          return &o != &words && o.size() > k && o[k] != words[k] &&
                 std::equal(o.begin(), o.begin() + static_cast<std::ptrdiff_t>(k), words.begin());
        });
        const double p = heard[i + k].posterior;
        confidence = std::min(confidence, shared ? std::min(1.0, 2 * p) : p);
      }
      const bool near = heard[i].start_ms >= hit_start_ms - options_.slack_ms &&
                        heard[i].start_ms <= hit_end_ms + options_.slack_ms;
      if (!match || !near) continue;
      // The earliest match counts ("clip it clip it" is asked once, where it was first said).
      if (confidence < options_.min_confidence || v.confirmed) continue;
      v.confirmed = true;
      v.confidence = confidence;
      v.at_ms = heard[i].start_ms;
      v.phrase.clear();
      for (const std::string& w : words) v.phrase += (v.phrase.empty() ? "" : " ") + w;
    }
  }
  return v;
}

}  // namespace clipthat::speech
