#include "speech/trigger_rules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace clipthat::speech {
namespace {

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

}  // namespace

std::vector<HeardWord> HeardFromWords(const std::vector<Word>& words) {
  std::vector<HeardWord> heard;
  heard.reserve(words.size());
  for (const Word& w : words) {
    heard.push_back({w.text, w.start_ms, w.end_ms, std::clamp(w.confidence, 0.0, 1.0),
                     w.break_after, w.sentence_end});
  }
  return heard;
}

Result<TriggerRules> TriggerRules::Create(const std::vector<std::string>& phrases,
                                          const TriggerRuleOptions& options) {
  if (phrases.empty()) return InvalidArgumentError("trigger rules: no phrases");
  std::vector<std::vector<std::string>> words;
  for (const std::string& phrase : phrases) {
    words.push_back(Words(phrase));
    if (words.back().empty()) return InvalidArgumentError("trigger rules: an empty phrase");
  }
  std::vector<std::vector<std::string>> tails;
  for (const std::string& tail : options.tail_words) {
    tails.push_back(Words(tail));
    if (tails.back().empty()) tails.pop_back();
  }
  return TriggerRules(std::move(words), std::move(tails), options);
}

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

int TriggerRules::PhraseAt(const std::vector<HeardWord>& heard, std::size_t i) const {
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

int TriggerRules::ClauseEnd(const std::vector<HeardWord>& heard, std::size_t i, int phrase) const {
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

bool TriggerRules::VoiceStops(const WindowLevels& levels, TimeMs from_ms, TimeMs to_ms) const {
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

double TriggerRules::ConfirmAt(const std::vector<HeardWord>& heard, const WindowLevels& levels,
                               std::size_t i, int* phrase, int* last) const {
  *phrase = PhraseAt(heard, i);
  if (*phrase < 0) return -1;
  const auto& words = phrases_[static_cast<std::size_t>(*phrase)];
  double confidence = heard[i].posterior;
  for (std::size_t k = 1; k < words.size(); ++k) {
    confidence =
        std::min(confidence, std::min(1.0, options_.follow_weight * heard[i + k].posterior));
  }
  if (confidence < options_.min_confidence) return -1;
  *last = ClauseEnd(heard, i, *phrase);
  if (*last < 0) return -1;
  // A sentence end the recognizer wrote is the pause: "Clip that! What was that" in one breath.
  const HeardWord& end = heard[static_cast<std::size_t>(*last)];
  if (!end.sentence_end && !VoiceStops(levels, heard[i].start_ms, end.end_ms)) return -1;
  return confidence;
}

namespace {

std::string PhraseText(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& w : words) text += (text.empty() ? "" : " ") + w;
  return text;
}

}  // namespace

Verification TriggerRules::Match(const std::vector<HeardWord>& heard, const WindowLevels& levels,
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
  for (std::size_t i = 0; i < heard.size(); ++i) {
    const bool near = heard[i].start_ms >= hit_start_ms - options_.slack_before_ms &&
                      heard[i].start_ms <= hit_end_ms + options_.slack_after_ms;
    if (!near) continue;
    int phrase = -1, last = -1;
    const double confidence = ConfirmAt(heard, levels, i, &phrase, &last);
    if (confidence < 0) continue;
    v.confirmed = true;
    v.confidence = confidence;
    v.at_ms = heard[i].start_ms;
    v.phrase = PhraseText(phrases_[static_cast<std::size_t>(phrase)]);
    break;
  }
  return v;
}

std::vector<Verification> TriggerRules::FindAll(const std::vector<HeardWord>& heard,
                                                const WindowLevels& levels) const {
  std::vector<Verification> found;
  for (std::size_t i = 0; i < heard.size(); ++i) {
    int phrase = -1, last = -1;
    const double confidence = ConfirmAt(heard, levels, i, &phrase, &last);
    if (confidence < 0) continue;
    Verification v;
    v.confirmed = true;
    v.confidence = confidence;
    v.at_ms = heard[i].start_ms;
    v.phrase = PhraseText(phrases_[static_cast<std::size_t>(phrase)]);
    found.push_back(std::move(v));
    i = static_cast<std::size_t>(last);  // its repeats and tail are part of this one
  }
  return found;
}

}  // namespace clipthat::speech
