// Truth: the ground truth of a sample stream (truth.json), what tests and benchmarks score the
// analysis against. Built from the plan plus where the renderer actually placed each spoken line.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/time_units.h"
#include "sample/sample_options.h"
#include "sample/stream_plan.h"

namespace clipthat::sample {

// A line as spoken inside a piece; times are offsets from the piece start.
struct SpokenLine {
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
  std::string text;
  SpeechStyle style = SpeechStyle::kCalm;
};

// {"version":1, "duration_ms", "seed", "options":{...},
//  "moments":[{"start_ms","end_ms","peak_ms","kind":[...],"phrase":str|null,
//              "phrase_start_ms","phrase_end_ms" (null without a phrase),"chat_burst_ms"
//              (null for a vocal-only moment)}],
//  "scenes":[{"start_ms","end_ms","look","piece"}],
//  "speech":[{"start_ms","end_ms","text","excited"}],
//  "decoys":[{"start_ms","peak_ms","end_ms","kind":"explosion"|"sting"}] (only with
//            options.decoys: loud sounds that are not moments)}
// `speech_by_template[i]` is the layout of plan.templates[i] (empty if never rendered).
nlohmann::json BuildTruthJson(const StreamPlan& plan, const SampleOptions& options,
                              const std::vector<std::vector<SpokenLine>>& speech_by_template);

}  // namespace clipthat::sample
