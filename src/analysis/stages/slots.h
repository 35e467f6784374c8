// Context slots of the analysis pipeline, in the order stages fill them.
//
//   analysis_input (set by the caller) -> probe -> signals (appended by each scan stage)
//   -> candidates -> moments
#pragma once

#include <string>
#include <vector>

#include "analysis/candidates.h"
#include "analysis/moment.h"
#include "media/probe.h"
#include "pipeline/context.h"

namespace clipthat::analysis {

struct AnalysisInput {
  std::string vod_path;   // empty: chat-only analysis (chat_path required)
  std::string chat_path;  // empty: no chat replay
  // Chat-only analysis: the recording's length when known (--duration); 0 takes it from the
  // replay. Ignored with a VOD (the VOD's own duration counts).
  TimeMs duration_ms = 0;
};

inline constexpr pipeline::Slot<AnalysisInput> kAnalysisInputSlot{"analysis_input"};
inline constexpr pipeline::Slot<media::ProbeInfo> kProbeSlot{"probe"};
// Every raw signal found so far; scan stages append theirs.
inline constexpr pipeline::Slot<SignalSet> kSignalsSlot{"signals"};
inline constexpr pipeline::Slot<InterestCurve> kInterestCurveSlot{"interest_curve"};
// Stretches of silence (no speech, low level) found by the audio scan, in time order; the
// boundaries stage snaps clip starts and ends into them. Absent when the VOD has no audio.
inline constexpr pipeline::Slot<std::vector<TimeRange>> kSilencesSlot{"silences"};
// Ranked best first.
inline constexpr pipeline::Slot<std::vector<Moment>> kMomentsSlot{"moments"};

// Appends `signal` to the context's SignalSet, creating it on first use.
inline void AddSignal(pipeline::Context& ctx, AnalysisSignal signal) {
  if (!ctx.Has(kSignalsSlot)) ctx.Set(kSignalsSlot, SignalSet{});
  auto set = ctx.Get(kSignalsSlot);
  if (set.ok()) (*set)->push_back(std::move(signal));
}

}  // namespace clipthat::analysis
