// The analysis half of `clipthat analyze` and `clipthat clip`, set up one way: options from the
// configuration and flags, the speech backend, the pipeline run with progress, and the
// moments document.
//
// Settings (configuration file or CLIPTHAT_* environment; flags win):
//   <command>.top             moments to keep (analyze: 10, clip: 5; --top)
//   analysis.candidates_per_moment  candidates found per moment kept (default 3)
//   analysis.words_for_top    candidates the recognizer transcribes (default 1.5 x top
//                             of the candidates; every candidate is searched for triggers)
//   speech.backend            sphinx, remote or none (default sphinx; --backend)
//   clip.target_ms, clip.min_ms, clip.max_ms, clip.min_separation_ms
//   chat.reaction_delay_ms    how far chat lags the stream (default 6000)
//   analysis.weight.loudness, analysis.weight.chat
//   analysis.weight.vocal     factor on the vocal signals (vocal_excitement, voice_loudness,
//                             voice_pitch, speech_rate; default 1, 0 leaves them out)
//   analysis.weight.pitch     weight of the older pitch_raise/pitch_range signals (default 0)
//   analysis.sound_gate.closed_share  share of a sound signal's contribution kept with no vocal
//                             or chat reaction near it (default 0.4; 1 turns the gate off)
//   llm.base_url, llm.model, llm.api_key   a remote chat model writes titles (optional)
//   analysis.trigger_bonus    score added when the streamer says a trigger phrase (default 3,
//                             times the trigger's confidence)
//   analysis.trigger_spotter  keywords (default: pocketsphinx keyword spotting, as before) or
//                             verified (keyword spotting, then a re-decode confirms each hit:
//                             docs/triggers.md; fewer false triggers, but it also drops real
//                             ones and costs ~0.28 CPU s per audio s: not yet the default)
//   analysis.trigger_scan     candidates (default: only the candidate windows) or whole (the
//                             whole VOD, in the background; with `verified`, ~16x over the
//                             4-hour budget today)
//   speech.trigger.phrases, speech.trigger.kws_threshold, speech.trigger.min_confidence
//                             the verified trigger spotter (docs/triggers.md)
#pragma once

#include <string>

#include "app_env.h"
#include "core/result.h"
#include "formats/moments_document.h"
#include "pipeline/runner.h"

namespace clipthat::app {

struct AnalysisRequest {
  std::string vod;        // empty: chat-only analysis (chat required)
  std::string chat;       // empty: no chat replay
  double duration_s = 0;  // chat-only: the recording's length; 0 takes it from the replay
  int top = 0;            // 0: from <command>.top
  int default_top = 10;   // when neither flag nor configuration says
  std::string backend;    // empty: speech.backend
  // Called with each progress event besides the stderr report (a worker forwards it to the
  // job's progress); may be empty.
  pipeline::ProgressCallback progress;
};

// Runs the analysis pipeline for `command` ("analyze", "clip"): progress on stderr, the result
// ranked best first. Errors name the input (VOD, chat file, configuration key).
Result<formats::MomentsDocument> RunAnalysis(AppEnv& env, std::string_view command,
                                             const AnalysisRequest& request);

}  // namespace clipthat::app
