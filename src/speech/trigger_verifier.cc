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
  auto rules = TriggerRules::Create(phrases, options);
  if (!rules.ok()) return rules.status().WithPrefix("trigger verifier");
  const std::vector<std::vector<std::string>>& words = rules->phrase_words();
  internal::RouteSphinxLogs(logger);  // the vocabulary's model reading logs too
  const std::string& dir = options.model_dir;
  const std::string dict = dir + "/cmudict-en-us.dict";
  const std::string lm_path = dir + "/en-us.lm.bin";
  ASSIGN_OR_RETURN(std::string vocabulary,
                   internal::CompetingVocabulary(dict, lm_path, words, options.vocabulary_words));
  internal::TempFile dict_file("clipthat-trig-dict");
  RETURN_IF_ERROR(dict_file.Write(vocabulary));
  ASSIGN_OR_RETURN(auto decoder,
                   internal::SphinxDecoder::Create({{"-hmm", dir + "/en-us"},
                                                    {"-dict", dict_file.path()},
                                                    {"-lm", lm_path},
                                                    {"-remove_silence", "no"},
                                                    {"-fwdflat", options.flat_pass ? "yes" : "no"},
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
  return TriggerVerifier(std::move(ref), std::move(decoder), std::move(*rules), options, logger);
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
  // A remote recognizer's words and punctuation decide alone: the level check stands in for
  // the embedded decoder's doubtful words after a phrase, and a remote server's word times
  // (whisper stretches words over the pauses after them) are too loose to place the pause.
  Verification v =
      Match(*heard, remote ? WindowLevels{} : WindowLevels::Measure(samples, measured, start_ms),
            hit_start_ms, hit_end_ms);
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
  return HeardFromWords(words);
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

}  // namespace clipthat::speech
