#include "speech/trigger_spotter.h"

#include <pocketsphinx.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "speech/speech_gate.h"

namespace clipthat::speech {
namespace {

constexpr int kRateHz = 16000;
constexpr std::size_t kBlock = 800;  // 50 ms: how often first-pass detections are collected
constexpr TimeMs kKeepMs = 12000;    // audio kept for the verifier

TimeMs SamplesToMs(std::size_t n) { return static_cast<TimeMs>(n * 1000 / kRateHz); }
std::size_t MsToSamples(TimeMs ms) {
  return static_cast<std::size_t>(std::max<TimeMs>(ms, 0)) * kRateHz / 1000;
}

// The start of the quietest 20 ms frame in [lo, hi) (lo when the range is shorter).
std::size_t QuietestPoint(const std::vector<float>& samples, std::size_t lo, std::size_t hi) {
  constexpr std::size_t kFrame = 320;
  std::size_t best = lo;
  double best_energy = -1;
  for (std::size_t at = lo; at + kFrame <= hi; at += kFrame) {
    double e = 0;
    for (std::size_t i = at; i < at + kFrame; ++i)
      e += static_cast<double>(samples[i]) * samples[i];
    if (best_energy < 0 || e < best_energy) {
      best_energy = e;
      best = at;
    }
  }
  return best;
}

// pocketsphinx scores are logs base 1.0001 shifted right by 10 bits; keyword spotting reports
// a detection's phrase / phone-loop score difference less 1500 (its KWS_MAX).
constexpr double kLog10PerScore = 1024.0 * 4.3427276862669e-05;  // log10(1.0001) * 1024
constexpr int kKwsMaxScore = 1500;

struct FirstPassHit {
  std::string phrase;
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
  double log10_ratio = -1e9;  // the best detection's likelihood ratio over the phone loop
};

}  // namespace

struct TriggerSpotter::State {
  State(internal::SphinxDecoder k, TriggerVerifier v, TriggerSpotterOptions o, Logger l)
      : kws(std::move(k)), verifier(std::move(v)), options(std::move(o)), logger(std::move(l)) {}

  internal::SphinxDecoder kws;
  TriggerVerifier verifier;
  TriggerSpotterOptions options;
  Logger logger;
  TriggerSpotterStats stats;

  // Audio of the current stretch: buffer[0] is at buffer_start_ms; the stretch continues at
  // buffer_start_ms + duration of buffer (next_ms).
  std::vector<float> buffer;
  TimeMs buffer_start_ms = 0;
  bool streaming = false;    // a stretch is open
  std::vector<float> block;  // samples waiting to fill a kBlock for the first pass

  // First pass.
  bool in_utterance = false;
  TimeMs utterance_start_ms = 0;
  TimeMs utterance_ms = 0;
  std::uint32_t dither_state = 1;
  int frames_done = 0;  // kws frame numbers count every earlier utterance's frames
  std::vector<std::pair<int, int>> seen;  // detections (start, end frame) of this utterance
  std::vector<FirstPassHit> pending;      // waiting for their audio to be verified

  std::vector<TriggerHit> confirmed;  // not taken yet
  bool have_decoded = false;          // the verifier's last window, reused for nearby hits
  TimeMs decoded_from_ms = 0, decoded_to_ms = 0;
  std::vector<HeardWord> decoded_words;
  WindowLevels decoded_levels;
  TimeMs last_confirmed_ms = -1;  // for merging repeats
  bool have_confirmed = false;

  TimeMs next_ms() const { return buffer_start_ms + SamplesToMs(buffer.size()); }

  // The speech gate: audio waiting to fill a window, and the window before.
  std::vector<float> gate;
  TimeMs gate_start_ms = 0;
  std::vector<float> prev;
  TimeMs prev_start_ms = 0;
  bool have_prev = false, prev_fed = false, prev_speech = false;

  Status GateWindow(std::vector<float> window, TimeMs start_ms);
  Status FlushGate();
  Status Feed(const float* samples, std::size_t n, TimeMs start_ms);
  Status EndStretch();
  Status FeedBlock(const float* samples, std::size_t n, TimeMs block_start_ms);
  Status EndUtterance();
  void Harvest();
  Status VerifyReady(bool all);
  void Trim();
};

Result<TriggerSpotterOptions> TriggerSpotterOptionsFromConfig(const Config& config) {
  TriggerSpotterOptions options;
  options.model_dir = config.GetString("speech.sphinx.model_dir", options.model_dir);
  options.verify.model_dir = options.model_dir;
  ASSIGN_OR_RETURN(double threshold,
                   config.GetDouble("speech.trigger.kws_threshold", kDefaultTriggerKwsThreshold));
  if (!(threshold > 0)) return InvalidArgumentError("speech.trigger.kws_threshold: must be > 0");
  if (config.Has("speech.trigger.phrases")) {
    auto phrases = ParseKeyphrases(config.GetString("speech.trigger.phrases", ""), threshold);
    if (!phrases.ok()) return phrases.status().WithPrefix("speech.trigger.phrases");
    if (phrases->empty()) return InvalidArgumentError("speech.trigger.phrases: no phrases");
    options.phrases = std::move(*phrases);
  } else {
    for (Keyphrase& k : options.phrases) k.threshold = threshold;
  }
  ASSIGN_OR_RETURN(options.verify.min_confidence, config.GetDouble("speech.trigger.min_confidence",
                                                                   options.verify.min_confidence));
  if (options.verify.min_confidence < 0 || options.verify.min_confidence > 1) {
    return InvalidArgumentError("speech.trigger.min_confidence: must be in 0..1");
  }
  ASSIGN_OR_RETURN(options.verify.pause_drop_db,
                   config.GetDouble("speech.trigger.pause_drop_db", options.verify.pause_drop_db));
  if (!(options.verify.pause_drop_db <= 40)) {
    return InvalidArgumentError("speech.trigger.pause_drop_db: must be at most 40 (0: not asked)");
  }
  const std::string check = config.GetString("speech.trigger.verifier", "sphinx");
  if (check == "remote") {
    // A window is 2-3 s of audio: a server that takes longer than this on one is as good as
    // down (the embedded re-decode decides), and live clipping must not wait a minute on it.
    ASSIGN_OR_RETURN(long long timeout_ms,
                     config.GetInt("speech.trigger.remote_timeout_ms", 10000));
    if (timeout_ms < 100 || timeout_ms > 600000) {
      return InvalidArgumentError("speech.trigger.remote_timeout_ms: must be 100..600000");
    }
    Config remote_config = config;
    remote_config.Set("speech.remote.timeout_ms", std::to_string(timeout_ms));
    auto remote = MakeSpeechRecognizer("remote", remote_config);
    if (!remote.ok()) return remote.status().WithPrefix("speech.trigger.verifier=remote");
    options.verify.remote = std::move(*remote);
  } else if (check != "sphinx") {
    return InvalidArgumentError("speech.trigger.verifier: '" + check + "' is not sphinx or remote");
  }
  return options;
}

Result<TriggerSpotter> TriggerSpotter::Create(const TriggerSpotterOptions& options,
                                              const Logger& logger) {
  if (options.phrases.empty()) return InvalidArgumentError("trigger spotter: no phrases");
  const std::string& dir = options.model_dir;
  std::vector<std::string> phrases;
  for (const Keyphrase& k : options.phrases) phrases.push_back(k.phrase);
  TriggerVerifierOptions verify = options.verify;
  verify.model_dir = dir;
  // The verifier checks the phrase words against the dictionary and names unknown ones.
  ASSIGN_OR_RETURN(auto verifier, TriggerVerifier::Create(phrases, verify, logger));

  std::string path = (std::filesystem::temp_directory_path() / "clipthat-kws-XXXXXX").string();
  int fd = mkstemp(path.data());
  if (fd < 0) return IoError("trigger spotter: cannot create a temporary file");
  std::string text;
  for (const Keyphrase& k : options.phrases) {
    char line[512];
    std::snprintf(line, sizeof line, "%s /%g/\n", k.phrase.c_str(), k.threshold);
    text += line;
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  // -remove_silence no: otherwise frame numbers count only kept frames and drift early.
  auto kws = internal::SphinxDecoder::Create(
      {{"-hmm", dir + "/en-us"},
       {"-dict", dir + "/cmudict-en-us.dict"},
       {"-remove_silence", "no"},
       {"-ds", std::to_string(std::max(1, options.kws_frame_skip))}},
      logger);
  if (!kws.ok()) {
    std::remove(path.c_str());
    return kws.status();
  }
  const bool set = written && ps_set_kws(kws->get(), "triggers", path.c_str()) >= 0 &&
                   ps_set_search(kws->get(), "triggers") >= 0;
  std::remove(path.c_str());
  if (!set) {
    return InvalidArgumentError("trigger spotter: pocketsphinx rejected the phrases: " +
                                internal::LastSphinxError());
  }
  return TriggerSpotter(
      std::make_unique<State>(std::move(*kws), std::move(verifier), options, logger));
}

TriggerSpotter::TriggerSpotter(std::unique_ptr<State> state) : state_(std::move(state)) {}
TriggerSpotter::TriggerSpotter(TriggerSpotter&&) noexcept = default;
TriggerSpotter& TriggerSpotter::operator=(TriggerSpotter&&) noexcept = default;
TriggerSpotter::~TriggerSpotter() = default;

const TriggerSpotterStats& TriggerSpotter::stats() const { return state_->stats; }

void TriggerSpotter::State::Harvest() {
  ps_decoder_t* ps = kws.get();
  if (ps_get_hyp(ps, nullptr) == nullptr) return;
  for (ps_seg_t* seg = ps_seg_iter(ps); seg != nullptr; seg = ps_seg_next(seg)) {
    int sf = 0, ef = 0;
    ps_seg_frames(seg, &sf, &ef);
    if (std::find(seen.begin(), seen.end(), std::pair<int, int>(sf, ef)) != seen.end()) continue;
    seen.emplace_back(sf, ef);
    std::string phrase = ps_seg_word(seg);
    while (!phrase.empty() && phrase.back() == ' ') phrase.pop_back();
    std::int32_t ascr = 0, lscr = 0, lback = 0;
    const double ratio = (ps_seg_prob(seg, &ascr, &lscr, &lback) + kKwsMaxScore) * kLog10PerScore;
    const TimeMs start = utterance_start_ms + static_cast<TimeMs>(sf - frames_done) * 10;
    const TimeMs end = utterance_start_ms + static_cast<TimeMs>(ef - frames_done + 1) * 10;
    // Detections of one stretch of speech (several end frames, both phrases) are one hit.
    auto same = std::find_if(pending.begin(), pending.end(), [&](const FirstPassHit& h) {
      return std::llabs(h.start_ms - start) < 1000;
    });
    if (same != pending.end()) {
      same->end_ms = std::max(same->end_ms, end);
      same->log10_ratio = std::max(same->log10_ratio, ratio);
      continue;
    }
    pending.push_back({std::move(phrase), std::max(utterance_start_ms, start), end, ratio});
    ++stats.first_pass_hits;
    if (options.record_first_pass) stats.first_pass_at_ms.push_back(pending.back().start_ms);
  }
}

Status TriggerSpotter::State::FeedBlock(const float* samples, std::size_t n,
                                        TimeMs block_start_ms) {
  ps_decoder_t* ps = kws.get();
  if (!in_utterance) {
    if (ps_start_utt(ps) < 0) return InternalError("trigger spotter: cannot start an utterance");
    in_utterance = true;
    utterance_start_ms = block_start_ms;
    utterance_ms = 0;
    seen.clear();
  }
  std::vector<std::int16_t> pcm = internal::ToInt16(samples, n);
  internal::Dither(pcm, &dither_state);
  if (ps_process_raw(ps, pcm.data(), pcm.size(), FALSE, FALSE) < 0) {
    return InternalError("trigger spotter: decoding failed at " + FormatClock(block_start_ms));
  }
  utterance_ms += SamplesToMs(n);
  Harvest();
  // Utterances end at a quiet block once long enough, so a phrase is rarely cut.
  double energy = 0;
  for (std::size_t i = 0; i < n; ++i) energy += static_cast<double>(samples[i]) * samples[i];
  const double rms = n > 0 ? std::sqrt(energy / static_cast<double>(n)) : 0.0;
  if ((utterance_ms >= options.min_utterance_ms && rms < 0.01) ||
      utterance_ms >= options.max_utterance_ms) {
    RETURN_IF_ERROR(EndUtterance());
  }
  return Status::Ok();
}

Status TriggerSpotter::State::EndUtterance() {
  if (!in_utterance) return Status::Ok();
  ps_decoder_t* ps = kws.get();
  in_utterance = false;
  if (ps_end_utt(ps) < 0) return InternalError("trigger spotter: cannot end an utterance");
  Harvest();
  frames_done += ps_get_n_frames(ps);
  return Status::Ok();
}

Status TriggerSpotter::State::VerifyReady(bool all) {
  const TimeMs have_ms = next_ms();
  std::vector<FirstPassHit> later;
  for (FirstPassHit& h : pending) {
    if (!options.verify_hits) {
      if (options.record_first_pass) {
        stats.records.push_back({h.phrase, h.start_ms, h.end_ms, h.log10_ratio, false, 0, ""});
      }
      continue;
    }
    const TimeMs from = std::max(buffer_start_ms, h.start_ms - options.window_before_ms);
    const TimeMs to = std::max(h.end_ms, h.start_ms + 800) + options.window_after_ms;
    if (to > have_ms && !all) {
      later.push_back(std::move(h));
      continue;
    }
    // The window's ends move to the quietest 20 ms near them: the verifier decodes whole
    // words best, and a window cut mid-word makes it hear a different one.
    const std::size_t outer_begin = MsToSamples(from - buffer_start_ms);
    const std::size_t outer_end =
        std::min(buffer.size(), MsToSamples(std::min(to, have_ms) - buffer_start_ms));
    if (outer_begin >= outer_end) continue;
    const std::size_t slack = MsToSamples(options.window_trim_ms);
    const std::size_t begin =
        QuietestPoint(buffer, outer_begin, std::min(outer_end, outer_begin + slack));
    const std::size_t end = QuietestPoint(
        buffer, std::max(begin, outer_end > slack ? outer_end - slack : 0), outer_end);
    if (begin >= end) continue;
    // Hits close together (the spotter fires several times on one stretch of speech) share a
    // decode when the window already decoded covers this one with room on both sides.
    const TimeMs window_from = buffer_start_ms + SamplesToMs(begin);
    const TimeMs window_to = buffer_start_ms + SamplesToMs(end);
    Result<Verification> v = Verification{};
    if (have_decoded && h.start_ms - 500 >= decoded_from_ms && h.end_ms + 800 <= decoded_to_ms) {
      v = verifier.Match(decoded_words, decoded_levels, h.start_ms, h.end_ms);
    } else {
      const double cpu = internal::ThreadCpuSeconds();
      // The levels reach past the decoded window to all the audio there is: the pause after a
      // phrase near the window's end is measured there.
      v = verifier.Verify(buffer.data() + begin, end - begin, buffer.size() - begin, window_from,
                          h.start_ms, h.end_ms);
      stats.verify_cpu_seconds += internal::ThreadCpuSeconds() - cpu;
      if (!v.ok()) return v.status();
      ++stats.decoded;
      stats.remote_checked += v->remote ? 1 : 0;
      stats.remote_failed += v->remote_error.empty() ? 0 : 1;
      have_decoded = true;
      decoded_from_ms = window_from;
      decoded_to_ms = window_to;
      decoded_words = v->words;
      decoded_levels = v->levels;
    }
    CT_LOG(logger, kDebug) << "trigger '" << h.phrase << "' at " << FormatClock(h.start_ms) << "-"
                           << FormatClock(h.end_ms) << " window "
                           << FormatClock(buffer_start_ms + SamplesToMs(begin)) << "-"
                           << FormatClock(buffer_start_ms + SamplesToMs(end))
                           << (v->confirmed ? ": confirmed" : ": rejected") << " (confidence "
                           << v->confidence << ", heard \"" << v->heard << "\")";
    if (options.record_first_pass) {
      stats.records.push_back(
          {h.phrase, h.start_ms, h.end_ms, h.log10_ratio, v->confirmed, v->confidence, v->heard});
    }
    if (!v->confirmed) continue;
    ++stats.verified;
    if (have_confirmed && v->at_ms - last_confirmed_ms < options.merge_ms &&
        v->at_ms - last_confirmed_ms > -options.merge_ms) {
      // A repeat of the trigger just confirmed: one spoken phrase counts once. The stronger
      // check wins when it has not been taken yet.
      if (!confirmed.empty() && confirmed.back().at_ms == last_confirmed_ms &&
          v->confidence > confirmed.back().confidence) {
        confirmed.back().confidence = v->confidence;
      }
      continue;
    }
    confirmed.push_back({v->phrase, v->at_ms, v->confidence});
    last_confirmed_ms = v->at_ms;
    have_confirmed = true;
  }
  pending = std::move(later);
  return Status::Ok();
}

void TriggerSpotter::State::Trim() {
  // Keep what pending hits still need, and at least the last kKeepMs.
  TimeMs keep_from = next_ms() - kKeepMs;
  for (const FirstPassHit& h : pending) {
    keep_from = std::min(keep_from, h.start_ms - options.window_before_ms);
  }
  if (keep_from <= buffer_start_ms) return;
  const std::size_t drop = std::min(buffer.size(), MsToSamples(keep_from - buffer_start_ms));
  if (drop < MsToSamples(kKeepMs)) return;  // trim in large steps only
  buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(drop));
  buffer_start_ms += SamplesToMs(drop);
}

Status TriggerSpotter::State::Feed(const float* samples, std::size_t n, TimeMs start_ms) {
  const double cpu = internal::ThreadCpuSeconds();
  const double verify_before = stats.verify_cpu_seconds;
  if (streaming && std::llabs(start_ms - (next_ms() + SamplesToMs(block.size()))) > 20) {
    RETURN_IF_ERROR(EndStretch());  // a gap: the stretch before it is complete
  }
  if (!streaming) {
    // A stream that starts before the last trigger (Spot() on other audio) merges nothing.
    if (have_confirmed && start_ms < last_confirmed_ms) have_confirmed = false;
    streaming = true;
    buffer.clear();
    block.clear();
    buffer_start_ms = start_ms;
  }
  stats.spotted_seconds += static_cast<double>(n) / kRateHz;
  std::size_t at = 0;
  while (at < n) {
    const std::size_t take = std::min(kBlock - block.size(), n - at);
    block.insert(block.end(), samples + at, samples + at + take);
    at += take;
    if (block.size() < kBlock) break;
    const TimeMs block_start = next_ms();
    buffer.insert(buffer.end(), block.begin(), block.end());
    RETURN_IF_ERROR(FeedBlock(block.data(), block.size(), block_start));
    block.clear();
  }
  RETURN_IF_ERROR(VerifyReady(false));
  Trim();
  stats.kws_cpu_seconds +=
      internal::ThreadCpuSeconds() - cpu - (stats.verify_cpu_seconds - verify_before);
  return Status::Ok();
}

Status TriggerSpotter::State::EndStretch() {
  if (!streaming) return Status::Ok();
  if (!block.empty()) {
    const TimeMs block_start = next_ms();
    buffer.insert(buffer.end(), block.begin(), block.end());
    RETURN_IF_ERROR(FeedBlock(block.data(), block.size(), block_start));
    block.clear();
  }
  RETURN_IF_ERROR(EndUtterance());
  RETURN_IF_ERROR(VerifyReady(true));
  streaming = false;
  buffer.clear();
  return Status::Ok();
}

// One gate window: spotted when it sounds like speech, with the window before it (a phrase
// may start there) and the one after it (or end there).
Status TriggerSpotter::State::GateWindow(std::vector<float> window, TimeMs start_ms) {
  const bool speech =
      !options.gate_speech || SoundsLikeSpeech(window.data(), window.size(), options.gate);
  bool fed = false;
  if (speech) {
    if (have_prev && !prev_fed) RETURN_IF_ERROR(Feed(prev.data(), prev.size(), prev_start_ms));
    RETURN_IF_ERROR(Feed(window.data(), window.size(), start_ms));
    fed = true;
  } else if (have_prev && prev_speech) {
    RETURN_IF_ERROR(Feed(window.data(), window.size(), start_ms));
    fed = true;
  }
  prev = std::move(window);
  prev_start_ms = start_ms;
  have_prev = true;
  prev_fed = fed;
  prev_speech = speech;
  return Status::Ok();
}

Status TriggerSpotter::State::FlushGate() {
  if (!gate.empty()) {
    std::vector<float> rest = std::move(gate);
    gate.clear();
    RETURN_IF_ERROR(GateWindow(std::move(rest), gate_start_ms));
  }
  have_prev = false;
  return Status::Ok();
}

Status TriggerSpotter::Push(const media::AudioBuffer& chunk) {
  if (chunk.sample_rate_hz != kRateHz || chunk.channels != 1) {
    return InvalidArgumentError("trigger spotter: audio must be 16000 Hz mono, got " +
                                std::to_string(chunk.sample_rate_hz) + " Hz with " +
                                std::to_string(chunk.channels) + " channels");
  }
  State& s = *state_;
  if (chunk.samples.empty()) return Status::Ok();
  s.stats.audio_seconds += static_cast<double>(chunk.samples.size()) / kRateHz;
  const TimeMs gate_end_ms = s.gate_start_ms + SamplesToMs(s.gate.size());
  if (!s.gate.empty() && std::llabs(chunk.start_ms - gate_end_ms) > 20) {
    RETURN_IF_ERROR(s.FlushGate());  // a gap in the input
  }
  if (s.gate.empty()) s.gate_start_ms = chunk.start_ms;
  const std::size_t window = MsToSamples(s.options.gate_window_ms);
  std::size_t at = 0;
  while (at < chunk.samples.size()) {
    const std::size_t take = std::min(window - s.gate.size(), chunk.samples.size() - at);
    s.gate.insert(s.gate.end(), chunk.samples.begin() + static_cast<std::ptrdiff_t>(at),
                  chunk.samples.begin() + static_cast<std::ptrdiff_t>(at + take));
    at += take;
    if (s.gate.size() < window) break;
    std::vector<float> full = std::move(s.gate);
    s.gate.clear();
    const TimeMs start = s.gate_start_ms;
    s.gate_start_ms = start + SamplesToMs(full.size());
    RETURN_IF_ERROR(s.GateWindow(std::move(full), start));
  }
  return Status::Ok();
}

Status TriggerSpotter::Finish() {
  State& s = *state_;
  RETURN_IF_ERROR(s.FlushGate());
  RETURN_IF_ERROR(s.EndStretch());
  CT_LOG(s.logger, kInfo) << "trigger spotter: " << s.stats.audio_seconds << " s of audio, "
                          << s.stats.spotted_seconds << " s spotted, " << s.stats.first_pass_hits
                          << " first-pass hits, " << s.stats.verified << " confirmed; CPU "
                          << s.stats.kws_cpu_seconds << " s first pass, "
                          << s.stats.verify_cpu_seconds << " s verifying";
  return Status::Ok();
}

std::vector<TriggerHit> TriggerSpotter::TakeTriggers() {
  std::vector<TriggerHit> out = std::move(state_->confirmed);
  state_->confirmed.clear();
  std::stable_sort(out.begin(), out.end(),
                   [](const TriggerHit& a, const TriggerHit& b) { return a.at_ms < b.at_ms; });
  return out;
}

Result<std::vector<TriggerHit>> TriggerSpotter::Spot(const media::AudioBuffer& audio) {
  RETURN_IF_ERROR(Push(audio));
  RETURN_IF_ERROR(Finish());
  return TakeTriggers();
}

}  // namespace clipthat::speech
