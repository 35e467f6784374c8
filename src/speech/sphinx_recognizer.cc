#include "speech/sphinx_recognizer.h"

#include <pocketsphinx.h>

#include <algorithm>
#include <cctype>

#include "speech/speech_gate.h"

namespace clipthat::speech {

Result<SphinxOptions> SphinxOptionsFromConfig(const Config& config) {
  SphinxOptions options;
  options.model_dir = config.GetString("speech.sphinx.model_dir", options.model_dir);
  ASSIGN_OR_RETURN(options.split.min_utterance_ms,
                   config.GetInt("speech.sphinx.min_utterance_ms", options.split.min_utterance_ms));
  ASSIGN_OR_RETURN(options.split.max_utterance_ms,
                   config.GetInt("speech.sphinx.max_utterance_ms", options.split.max_utterance_ms));
  if (options.split.min_utterance_ms <= 0 ||
      options.split.max_utterance_ms < options.split.min_utterance_ms) {
    return InvalidArgumentError(
        "speech.sphinx.min_utterance_ms and max_utterance_ms: need 0 < min <= max");
  }
  return options;
}

std::string CleanSphinxWord(std::string_view word) {
  if (word.empty() || word.front() == '<' || word.front() == '[' || word.front() == '+') return "";
  if (auto paren = word.find('('); paren != std::string_view::npos && paren > 0) {
    word = word.substr(0, paren);
  }
  std::string out(word);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Result<SphinxRecognizer> SphinxRecognizer::Create(const SphinxOptions& options,
                                                  const Logger& logger) {
  const std::string& dir = options.model_dir;
  // -remove_silence no: the default drops silent frames before the search, and segment frame
  // numbers then count only the kept frames, so word times drift earlier after every pause.
  ASSIGN_OR_RETURN(auto decoder,
                   internal::SphinxDecoder::Create({{"-hmm", dir + "/en-us"},
                                                    {"-dict", dir + "/cmudict-en-us.dict"},
                                                    {"-lm", dir + "/en-us.lm.bin"},
                                                    {"-remove_silence", "no"}},
                                                   logger));
  return SphinxRecognizer(std::move(decoder), options, logger);
}

Result<std::vector<Word>> SphinxRecognizer::Transcribe(const media::AudioBuffer& audio) {
  if (audio.sample_rate_hz != 16000 || audio.channels != 1) {
    return InvalidArgumentError("sphinx: audio must be 16000 Hz mono, got " +
                                std::to_string(audio.sample_rate_hz) + " Hz with " +
                                std::to_string(audio.channels) + " channels");
  }
  double cpu_start = internal::ThreadCpuSeconds();
  std::vector<Word> words;
  for (const SampleRange& r : SplitAtQuietPoints(audio.samples.data(), audio.samples.size(),
                                                 audio.sample_rate_hz, options_.split)) {
    TimeMs offset_ms =
        audio.start_ms + static_cast<TimeMs>(r.begin * 1000 / static_cast<std::size_t>(16000));
    RETURN_IF_ERROR(
        DecodeUtterance(audio.samples.data() + r.begin, r.end - r.begin, offset_ms, &words));
  }
  double cpu = internal::ThreadCpuSeconds() - cpu_start;
  double seconds = static_cast<double>(audio.frame_count()) / audio.sample_rate_hz;
  cpu_seconds_ += cpu;
  audio_seconds_ += seconds;
  CT_LOG(logger_, kDebug) << "sphinx: " << words.size() << " words from " << seconds
                          << " s of audio in " << cpu << " s CPU";
  return words;
}

Status SphinxRecognizer::DecodeUtterance(const float* samples, std::size_t count, TimeMs offset_ms,
                                         std::vector<Word>* words) {
  ps_decoder_t* ps = decoder_.get();
  // No voice anywhere in the utterance (silence, game audio, music): nothing to decode.
  constexpr std::size_t kSecond = 16000;
  bool any_speech = false;
  for (std::size_t at = 0; at < count && !any_speech; at += kSecond / 2) {
    any_speech = SoundsLikeSpeech(samples + at, std::min(kSecond, count - at), options_.gate);
  }
  if (!any_speech) return Status::Ok();
  std::vector<std::int16_t> pcm = internal::ToInt16(samples, count);
  if (ps_start_utt(ps) < 0) return InternalError("sphinx: cannot start an utterance");
  // full_utt: the whole utterance at once, so cepstral mean normalisation sees all of it.
  int rc = ps_process_raw(ps, pcm.data(), pcm.size(), FALSE, TRUE);
  if (ps_end_utt(ps) < 0 || rc < 0) {
    return InternalError("sphinx: decoding failed at " + FormatClock(offset_ms) + ": " +
                         internal::LastSphinxError());
  }
  logmath_t* lmath = ps_get_logmath(ps);
  // Iterating to the end frees the iterator.
  for (ps_seg_t* seg = ps_seg_iter(ps); seg != nullptr; seg = ps_seg_next(seg)) {
    std::string text = CleanSphinxWord(ps_seg_word(seg));
    if (text.empty()) continue;
    int start_frame = 0, end_frame = 0;
    ps_seg_frames(seg, &start_frame, &end_frame);
    int32 ascr = 0, lscr = 0, lback = 0;
    int32 log_posterior = ps_seg_prob(seg, &ascr, &lscr, &lback);
    // Words only where there is a voice: the second of audio around the word must sound like
    // speech, and the word itself be above the level floor.
    const std::size_t word_begin = std::min(count, static_cast<std::size_t>(start_frame) * 160);
    const std::size_t word_end = std::min(count, static_cast<std::size_t>(end_frame + 1) * 160);
    const std::size_t middle = (word_begin + word_end) / 2;
    const std::size_t ctx_begin = middle > kSecond / 2 ? middle - kSecond / 2 : 0;
    const std::size_t ctx_end = std::min(count, ctx_begin + kSecond);
    if (word_end <= word_begin ||
        Rms(samples + word_begin, word_end - word_begin) < options_.gate.min_rms ||
        !SoundsLikeSpeech(samples + ctx_begin, ctx_end - ctx_begin, options_.gate)) {
      continue;
    }
    Word w;
    w.text = std::move(text);
    w.start_ms = offset_ms + static_cast<TimeMs>(start_frame) * 1000 / internal::kFramesPerSecond;
    // Frames are inclusive: the word ends where its last frame ends.
    w.end_ms = offset_ms + static_cast<TimeMs>(end_frame + 1) * 1000 / internal::kFramesPerSecond;
    w.confidence = std::clamp(logmath_exp(lmath, log_posterior), 0.0, 1.0);
    if (w.confidence < options_.min_word_confidence) continue;
    words->push_back(std::move(w));
  }
  return Status::Ok();
}

}  // namespace clipthat::speech
