// Candidates: from raw signals to ranked moments, as one plain function.
//
//   each signal: resample onto the fusion grid -> smooth -> robust z-score (normalize.h)
//   all signals: weighted fusion into the interest curve (interest_curve.h)
//   curve: peaks with non-maximum suppression, top K (peaks.h) -> windows from the shape of
//          each reaction (reaction_window.h), or fixed-length ones (moment.h)
//
// Scan stages each add their signals (with their own smoothing and normalisation settings)
// to a SignalSet; this function needs to know nothing about where they came from.
#pragma once

#include <string>
#include <vector>

#include "analysis/interest_curve.h"
#include "analysis/moment.h"
#include "analysis/normalize.h"
#include "analysis/peaks.h"
#include "analysis/reaction_delay.h"
#include "analysis/reaction_window.h"
#include "analysis/time_series.h"
#include "core/result.h"

namespace clipthat::analysis {

// How a signal is turned into z: levels (dB, pitch) by the robust z against a rolling
// median and MAD; counts of people or events (chatters, reacting viewers) by the count z,
// whose noise grows with the level and whose strong peaks keep their order (normalize.h).
enum class Normalization { kRobustZ, kCountZ };

struct AnalysisSignal {
  std::string name{};   // "loudness", "chat_rate"; the key in a moment's evidence
  TimeSeries values{};  // raw, in the signal's unit
  double weight = 1.0;
  TimeMs smooth_ms = 2000;  // moving average before normalising
  RobustZOptions normalize{};
  Normalization normalization = Normalization::kRobustZ;
  CountZOptions count_normalize{};  // with kCountZ
  // How far the signal lags what caused it (chat: the viewers' reaction delay); FindMoments
  // moves it earlier by this much (time_series.h ShiftEarlier) before fusing.
  TimeMs lag_ms = 0;
};

using SignalSet = std::vector<AnalysisSignal>;

enum class WindowShape { kReaction, kFixed };

struct CandidateOptions {
  FusionOptions fusion{};
  PeakOptions peaks{};
  MomentWindowOptions window{};  // kFixed; and min_ms/max_ms for kReaction
  WindowShape window_shape = WindowShape::kReaction;
  ReactionWindowOptions reaction{};  // min_ms/max_ms taken from `window`
  // The candidates stage measures the chat's lag against the streamer's voice
  // (reaction_delay.h) and uses it for every signal with a lag; off, or when the measure is
  // unclear, the signals' own lag_ms (chat.reaction_delay_ms) stands.
  bool estimate_reaction_delay = true;
  ReactionDelayOptions reaction_delay{};
};

struct CandidateResult {
  std::vector<Moment> moments;  // best first, ids 1..N in that order
  InterestCurve curve;
};

// The signal's z-score on the fusion grid, before any lag is taken out (what FindMoments
// fuses, shifted by lag_ms).
TimeSeries NormalisedSignal(const AnalysisSignal& signal, TimeMs duration_ms,
                            const FusionOptions& fusion = {});

// InvalidArgument when there is no usable signal. A flat curve gives no moments (not an error).
Result<CandidateResult> FindMoments(const SignalSet& signals, TimeMs duration_ms,
                                    const CandidateOptions& options = {});

}  // namespace clipthat::analysis
