#include "analysis/boundaries.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace clipthat::analysis {
namespace {

// A place a clip may start or end. `quality` 0..1: 1 for a sentence end or a long silence.
struct Cut {
  TimeMs start_at_ms = 0;  // where a clip starting here begins (just before the speech)
  TimeMs end_at_ms = 0;    // where a clip ending here ends (just after the speech)
  double quality = 0;
};

bool EndsSentence(const std::string& word) {
  return !word.empty() && (word.back() == '.' || word.back() == '!' || word.back() == '?');
}

std::vector<Cut> CutsFromWords(const std::vector<MomentWord>& words, const BoundaryOptions& o) {
  std::vector<Cut> cuts;
  if (words.empty()) return cuts;
  // Before the first word and after the last: the recogniser heard nothing there.
  cuts.push_back({words.front().start_ms - o.pad_ms, words.front().start_ms - o.pad_ms, 0.6});
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    const TimeMs gap_start = words[i].end_ms, gap_end = words[i + 1].start_ms;
    const TimeMs gap = gap_end - gap_start;
    if (gap < o.min_gap_ms && !EndsSentence(words[i].text)) continue;
    double q = std::min(1.0, static_cast<double>(gap) / static_cast<double>(2 * o.sentence_gap_ms));
    if (gap >= o.sentence_gap_ms || EndsSentence(words[i].text)) q = std::max(q, 0.8);
    const TimeMs pad = std::min(o.pad_ms, std::max<TimeMs>(0, gap / 2));
    cuts.push_back({gap_end - pad, gap_start + pad, q});
  }
  cuts.push_back({words.back().end_ms + o.pad_ms, words.back().end_ms + o.pad_ms, 0.6});
  return cuts;
}

std::vector<Cut> CutsFromSilences(const std::vector<TimeRange>& silences,
                                  const BoundaryOptions& o) {
  std::vector<Cut> cuts;
  for (const TimeRange& s : silences) {
    const TimeMs len = s.end_ms - s.start_ms;
    if (len <= 0) continue;
    const TimeMs pad = std::min(o.pad_ms, len / 2);
    const double q =
        std::min(1.0, static_cast<double>(len) / static_cast<double>(2 * o.sentence_gap_ms));
    cuts.push_back({s.end_ms - pad, s.start_ms + pad, std::max(0.3, q)});
  }
  return cuts;
}

// Moves `t` out of any word it falls inside: into the gap before the word for a start, the gap
// after it for an end (at most pad_ms into the gap, at most half of it).
TimeMs OutsideWords(TimeMs t, const std::vector<MomentWord>& words, bool is_start,
                    const BoundaryOptions& o) {
  for (size_t i = 0; i < words.size(); ++i) {
    const MomentWord& w = words[i];
    if (t <= w.start_ms || t >= w.end_ms) continue;
    if (is_start) {
      const TimeMs gap = i > 0 ? w.start_ms - words[i - 1].end_ms : o.pad_ms * 2;
      return w.start_ms - std::min(o.pad_ms, std::max<TimeMs>(0, gap / 2));
    }
    const TimeMs gap = i + 1 < words.size() ? words[i + 1].start_ms - w.end_ms : o.pad_ms * 2;
    return w.end_ms + std::min(o.pad_ms, std::max<TimeMs>(0, gap / 2));
  }
  return t;
}

// The best cut with its position (start_at or end_at) in [lo, hi], preferring quality and
// closeness to `want`.
std::optional<TimeMs> BestCut(const std::vector<Cut>& cuts, bool is_start, TimeMs lo, TimeMs hi,
                              TimeMs want, TimeMs search_ms) {
  std::optional<TimeMs> best;
  double best_score = -1e9;
  for (const Cut& c : cuts) {
    const TimeMs t = is_start ? c.start_at_ms : c.end_at_ms;
    if (t < lo || t > hi) continue;
    const double distance = static_cast<double>(std::llabs(t - want)) /
                            static_cast<double>(std::max<TimeMs>(1, search_ms));
    const double score = c.quality - 0.5 * distance;
    if (score > best_score) {
      best_score = score;
      best = t;
    }
  }
  return best;
}

}  // namespace

TimeRange SnapBoundaries(const Moment& moment, const std::vector<TimeRange>& silences,
                         TimeMs duration_ms, const BoundaryOptions& o) {
  duration_ms = std::max<TimeMs>(0, duration_ms);
  const TimeMs min_ms = std::max<TimeMs>(1, std::min(o.min_ms, o.max_ms));
  const TimeMs max_ms = std::max(min_ms, o.max_ms);
  if (duration_ms <= min_ms) return {0, duration_ms};
  const TimeMs peak = std::clamp<TimeMs>(moment.peak_ms, 0, duration_ms);
  const double fraction = std::clamp(o.max_peak_fraction, 0.05, 1.0);

  const std::vector<Cut> cuts =
      moment.words.empty() ? CutsFromSilences(silences, o) : CutsFromWords(moment.words, o);

  // Start: near the candidate's start, at least min_lead before the peak.
  const TimeMs want_start = std::clamp<TimeMs>(moment.start_ms, 0, peak);
  const TimeMs start_hi = std::max<TimeMs>(0, peak - std::min(o.min_lead_ms, peak));
  // The earliest start that can still keep the peak in the first third of a max_ms clip.
  const TimeMs start_lo =
      std::max<TimeMs>(0, peak - static_cast<TimeMs>(fraction * static_cast<double>(max_ms)));
  TimeMs start = want_start;
  if (auto c = BestCut(cuts, true, std::max(start_lo, want_start - o.search_ms),
                       std::min(start_hi, want_start + o.search_ms), want_start, o.search_ms)) {
    start = *c;
  } else {
    start = OutsideWords(start, moment.words, true, o);
  }
  start = std::clamp<TimeMs>(start, std::min(start_lo, start_hi), start_hi);
  start = std::clamp<TimeMs>(start, 0, duration_ms);

  // End: the peak within the first third needs end >= start + (peak - start) / fraction.
  const TimeMs need = static_cast<TimeMs>(std::ceil(static_cast<double>(peak - start) / fraction));
  const TimeMs end_lo = std::min(duration_ms, start + std::max(min_ms, need));
  const TimeMs end_hi = std::min(duration_ms, start + max_ms);
  const TimeMs want_end =
      std::clamp<TimeMs>(std::max(moment.end_ms, start + std::clamp(o.target_ms, min_ms, max_ms)),
                         end_lo, std::max(end_lo, end_hi));
  TimeMs end = want_end;
  if (auto c = BestCut(cuts, false, std::max(end_lo, want_end - o.search_ms),
                       std::min(end_hi, want_end + o.search_ms), want_end, o.search_ms)) {
    end = *c;
  } else {
    end = std::min(end_hi, std::max(end_lo, OutsideWords(end, moment.words, false, o)));
  }

  // The source ends too soon: move the start earlier to keep min_ms.
  if (end - start < min_ms) start = std::max<TimeMs>(0, end - min_ms);
  return {start, end};
}

}  // namespace clipthat::analysis
