#include "analysis/rank.h"

#include <algorithm>
#include <numeric>

#include "analysis/exclamations.h"

namespace clipthat::analysis {
namespace {

void ScoreFromEvidence(Moment& m, const std::vector<TimeMs>& requests, const RankOptions& o) {
  m.evidence.erase("trigger_phrase");
  m.evidence.erase("chat_clip_requests");
  m.evidence.erase("exclamations");
  // The streamer exclaiming ("no way", "let's go") in confident words near the peak.
  if (const double x = FindExclamations(m.words, m.peak_ms).score; x > 0) {
    m.evidence["exclamations"] = x;
  }
  // The streamer's trigger counts as sure as its check was: the strongest one inside the clip.
  double said = 0;
  for (const MomentTrigger& t : m.triggers) {
    if (t.kind == "phrase" && t.time_ms >= m.start_ms && t.time_ms < m.end_ms) {
      said = std::max(said, std::clamp(t.confidence, 0.0, 1.0));
    }
  }
  if (said > 0) m.evidence["trigger_phrase"] = o.trigger_phrase_bonus * said;
  const auto lo = std::lower_bound(requests.begin(), requests.end(), m.peak_ms - 2000);
  const auto hi =
      std::upper_bound(requests.begin(), requests.end(), m.peak_ms + o.chat_clip_request_window_ms);
  const double count = static_cast<double>(hi - lo);
  if (count > 0) {
    m.evidence["chat_clip_requests"] =
        std::min(o.chat_clip_request_bonus_max, count * o.chat_clip_request_bonus_per_request);
  }
  m.score = std::accumulate(m.evidence.begin(), m.evidence.end(), 0.0,
                            [](double sum, const auto& kv) { return sum + kv.second; });
}

TimeMs Overlap(const Moment& a, const Moment& b) {
  return std::max<TimeMs>(0, std::min(a.end_ms, b.end_ms) - std::max(a.start_ms, b.start_ms));
}

bool Inside(TimeMs t, const Moment& m) { return t >= m.start_ms && t < m.end_ms; }

// Trims `m` clear of `kept`; false when it cannot keep min_ms and its peak.
bool TrimClear(Moment& m, const Moment& kept, TimeMs min_ms) {
  if (m.peak_ms < kept.start_ms) {
    m.end_ms = std::min(m.end_ms, kept.start_ms);
  } else {
    m.start_ms = std::max(m.start_ms, kept.end_ms);
  }
  return m.end_ms - m.start_ms >= min_ms && Inside(m.peak_ms, m);
}

}  // namespace

std::vector<Moment> RankMoments(std::vector<Moment> moments,
                                const std::vector<TimeMs>& chat_clip_request_times_ms,
                                const RankOptions& options) {
  for (Moment& m : moments) ScoreFromEvidence(m, chat_clip_request_times_ms, options);
  std::stable_sort(moments.begin(), moments.end(),
                   [](const Moment& a, const Moment& b) { return a.score > b.score; });

  std::vector<Moment> kept;
  for (Moment& m : moments) {
    bool keep = true;
    for (Moment& better : kept) {
      const TimeMs overlap = Overlap(m, better);
      if (overlap <= 0) continue;
      const TimeMs shorter = std::max<TimeMs>(1, std::min(m.duration_ms(), better.duration_ms()));
      const bool same = Inside(m.peak_ms, better) ||
                        static_cast<double>(overlap) >
                            options.max_overlap_fraction * static_cast<double>(shorter);
      if (same || !TrimClear(m, better, options.min_ms)) {
        // Merge: what the weaker one heard inside the better clip stays as evidence there.
        for (const MomentTrigger& t : m.triggers) {
          if (Inside(t.time_ms, better)) better.triggers.push_back(t);
        }
        keep = false;
        break;
      }
    }
    if (keep) kept.push_back(std::move(m));
  }
  for (Moment& m : kept) {
    std::sort(m.triggers.begin(), m.triggers.end(),
              [](const MomentTrigger& a, const MomentTrigger& b) { return a.time_ms < b.time_ms; });
    m.triggers.erase(std::unique(m.triggers.begin(), m.triggers.end(),
                                 [](const MomentTrigger& a, const MomentTrigger& b) {
                                   return a.kind == b.kind && a.text == b.text &&
                                          std::llabs(a.time_ms - b.time_ms) < 1000;
                                 }),
                     m.triggers.end());
    // Trimmed clips lose what is now outside them.
    std::erase_if(m.words, [&m](const MomentWord& w) {
      return w.start_ms < m.start_ms || w.end_ms > m.end_ms;
    });
    std::erase_if(m.triggers, [&m](const MomentTrigger& t) { return !Inside(t.time_ms, m); });
    // A merged-in trigger phrase counts for the moment that kept it.
    ScoreFromEvidence(m, chat_clip_request_times_ms, options);
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const Moment& a, const Moment& b) { return a.score > b.score; });
  if (options.top_n > 0 && static_cast<int>(kept.size()) > options.top_n)
    kept.resize(options.top_n);
  for (size_t i = 0; i < kept.size(); ++i) kept[i].id = static_cast<int>(i) + 1;
  return kept;
}

}  // namespace clipthat::analysis
