// Rank: the final order of the moments, from their evidence.
//
// A moment's score is the sum of its evidence: the interest curve's per-signal contributions
// at the peak (candidates), plus bonuses for strong evidence found later:
//   "trigger_phrase"  the streamer said a trigger phrase ("clip that") inside the clip: the
//                     person who knows the stream best asked for this clip. The bonus is
//                     scaled by the trigger's confidence (the verifier's, 0..1; the best
//                     trigger inside the clip counts); a moment with no trigger inside it
//                     gets no trigger evidence at all;
//   "chat_clip_requests"  viewers typed "clip it" around the peak.
// Moments that overlap are de-duplicated best first: one whose peak falls inside a better
// moment's clip (or that shares more than max_overlap_fraction of its length with it) is
// merged into that moment (its triggers move over when they fall inside); one with a smaller
// overlap is trimmed clear of the better one when it can keep min_ms and its peak, dropped
// otherwise. So no two kept clips show the same seconds.
#pragma once

#include <vector>

#include "analysis/moment.h"

namespace clipthat::analysis {

struct RankOptions {
  double trigger_phrase_bonus = 3.0;  // curve units (z), times the trigger's confidence
  double chat_clip_request_bonus_per_request = 0.25;
  double chat_clip_request_bonus_max = 1.5;
  TimeMs chat_clip_request_window_ms = 20000;  // after the peak, where requests count
  double max_overlap_fraction = 0.3;           // of the shorter clip
  TimeMs min_ms = 15000;                       // a trimmed clip must keep this
  int top_n = 10;                              // moments kept; <= 0 keeps all
};

// Scores, de-duplicates and orders `moments` (best first) and renumbers ids 1..N in that
// order. `chat_clip_request_times_ms` (sorted; may be empty) are the (delay-corrected) times of
// chat messages asking for a clip. Evidence keys added: "trigger_phrase",
// "chat_clip_requests". Score = sum of evidence.
std::vector<Moment> RankMoments(std::vector<Moment> moments,
                                const std::vector<TimeMs>& chat_clip_request_times_ms,
                                const RankOptions& options = {});

}  // namespace clipthat::analysis
