#include "analysis/vocal_excitement.h"

#include <algorithm>
#include <cmath>

namespace clipthat::analysis {
namespace {

double Ramp(double x, double lo, double hi) {
  if (hi <= lo) return x >= hi ? 1.0 : 0.0;
  return std::clamp((x - lo) / (hi - lo), 0.0, 1.0);
}

double At(const TimeSeries& s, size_t i) { return i < s.values.size() ? s.values[i] : 0.0; }

double MedianInPlace(std::vector<double>& v) {
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Running median of values[i] over the windows where valid[i], centred, every `hop` windows
// and interpolated; the global median where a neighbourhood has fewer than `min_count`.
// Empty when nothing is valid.
std::vector<double> RunningMedian(const std::vector<double>& values, const std::vector<char>& valid,
                                  size_t half, size_t hop, size_t min_count) {
  const size_t n = values.size();
  std::vector<double> scratch;
  for (size_t i = 0; i < n; ++i)
    if (valid[i]) scratch.push_back(values[i]);
  if (scratch.empty()) return {};
  const double global = MedianInPlace(scratch);
  std::vector<size_t> anchors;
  for (size_t i = 0; i < n; i += hop) anchors.push_back(i);
  if (anchors.back() != n - 1) anchors.push_back(n - 1);
  std::vector<double> at_anchor;
  at_anchor.reserve(anchors.size());
  for (size_t a : anchors) {
    const size_t lo = a >= half ? a - half : 0;
    const size_t hi = std::min(n, a + half + 1);
    scratch.clear();
    for (size_t i = lo; i < hi; ++i)
      if (valid[i]) scratch.push_back(values[i]);
    at_anchor.push_back(scratch.size() >= min_count ? MedianInPlace(scratch) : global);
  }
  std::vector<double> out(n);
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    while (k + 1 < anchors.size() && anchors[k + 1] < i) ++k;
    double v = at_anchor[k];
    if (k + 1 < anchors.size() && anchors[k + 1] > anchors[k]) {
      const double f =
          static_cast<double>(i - anchors[k]) / static_cast<double>(anchors[k + 1] - anchors[k]);
      v += f * (at_anchor[k + 1] - v);
    }
    out[i] = v;
  }
  return out;
}

}  // namespace

VocalExcitement MeasureVocalExcitement(const AudioFeatures& f, const VocalExcitementOptions& o) {
  const size_t n = f.voice.values.size();
  const TimeMs step = std::max<TimeMs>(1, f.voice.step_ms);
  VocalExcitement out;
  for (TimeSeries* s : {&out.voice_loudness_db, &out.voice_pitch_st, &out.voice_range_st,
                        &out.speech_rate, &out.excitement}) {
    s->step_ms = step;
    s->values.assign(n, 0.0);
  }
  if (n == 0) return out;

  std::vector<char> voiced(n, 0);
  std::vector<double> level(n, 0.0), semitones(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const double hz = At(f.pitch_hz, i);
    voiced[i] = At(f.voice, i) >= o.voiced_min && hz > 0;
    level[i] = At(f.speech_level_db, i);
    semitones[i] = hz > 0 ? 12.0 * std::log2(hz) : 0.0;
  }
  // Syllables count where there is voice next to them: an onset opens a voiced stretch, and
  // the game's own onsets between sentences are not talk.
  std::vector<double> syllables(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const bool near_voice = voiced[i] || (i > 0 && voiced[i - 1]) || (i + 1 < n && voiced[i + 1]);
    syllables[i] = near_voice ? At(f.syllables, i) : 0.0;
  }

  const size_t span = std::max<size_t>(1, static_cast<size_t>(o.span_ms / step));
  const double span_s = static_cast<double>(span * step) / 1000.0;
  const auto span_of = [&](size_t i) {
    const size_t lo = i >= span / 2 ? i - span / 2 : 0;
    return std::pair<size_t, size_t>{lo, std::min(n, lo + span)};
  };
  std::vector<double> voiced_prefix(n + 1, 0.0), syllable_prefix(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) {
    voiced_prefix[i + 1] = voiced_prefix[i] + voiced[i];
    syllable_prefix[i + 1] = syllable_prefix[i] + syllables[i];
  }
  std::vector<double> presence(n), rate(n);
  std::vector<char> talking(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const auto [lo, hi] = span_of(i);
    presence[i] = (voiced_prefix[hi] - voiced_prefix[lo]) / static_cast<double>(span);
    rate[i] = (syllable_prefix[hi] - syllable_prefix[lo]) / span_s;
    talking[i] = presence[i] >= o.full_presence;
  }

  const size_t half = std::max<size_t>(1, static_cast<size_t>(o.baseline_window_ms / step / 2));
  const size_t hop = std::max<size_t>(1, static_cast<size_t>(o.baseline_hop_ms / step));
  const size_t min_count =
      std::max<size_t>(1, static_cast<size_t>(o.min_baseline_voiced_ms / step));
  const std::vector<double> base_level = RunningMedian(level, voiced, half, hop, min_count);
  const std::vector<double> base_pitch = RunningMedian(semitones, voiced, half, hop, min_count);
  const std::vector<double> base_rate = RunningMedian(rate, talking, half, hop, min_count);
  if (base_level.empty()) return out;  // no voice anywhere

  const double weight_sum = o.loudness_weight + o.pitch_weight + o.range_weight + o.rate_weight;
  std::vector<double> pitches;
  for (size_t i = 0; i < n; ++i) {
    if (presence[i] < o.min_presence) continue;
    const auto [lo, hi] = span_of(i);
    double level_sum = 0;
    pitches.clear();
    for (size_t k = lo; k < hi; ++k) {
      if (!voiced[k]) continue;
      level_sum += level[k];
      pitches.push_back(semitones[k]);
    }
    const double loudness =
        std::max(0.0, level_sum / static_cast<double>(pitches.size()) - base_level[i]);
    const double pitch = std::max(0.0, MedianInPlace(pitches) - base_pitch[i]);
    double range = 0;
    if (pitches.size() >= 4) {
      std::sort(pitches.begin(), pitches.end());
      const auto q = [&](double p) {
        return pitches[static_cast<size_t>(p * static_cast<double>(pitches.size() - 1))];
      };
      range = q(0.8) - q(0.2);
    }
    const double speed =
        base_rate.empty() || base_rate[i] <= 0 ? 0.0 : std::max(0.0, rate[i] / base_rate[i] - 1);
    out.voice_loudness_db.values[i] = loudness;
    out.voice_pitch_st.values[i] = pitch;
    out.voice_range_st.values[i] = range;
    out.speech_rate.values[i] = speed;
    const double cues =
        o.loudness_weight * Ramp(loudness, o.loudness_normal_db, o.loudness_excited_db) +
        o.pitch_weight * Ramp(pitch, o.pitch_normal_st, o.pitch_excited_st) +
        o.range_weight * Ramp(range, o.range_normal_st, o.range_excited_st) +
        o.rate_weight * Ramp(speed, o.rate_normal, o.rate_excited);
    const double speechiness =
        Ramp(rate[i], o.speech_min_syllables_per_s, o.speech_full_syllables_per_s);
    out.excitement.values[i] = weight_sum > 0 ? Ramp(presence[i], o.min_presence, o.full_presence) *
                                                    speechiness * cues / weight_sum
                                              : 0.0;
  }
  return out;
}

}  // namespace clipthat::analysis
