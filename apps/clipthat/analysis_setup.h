// The analysis half of `clipthat analyze` and `clipthat clip`, set up one way: options from the
// configuration and flags, the speech backend, the pipeline run with progress, and the
// moments document.
//
// Settings (configuration file or CLIPTHAT_* environment; flags win):
//   <command>.top             moments to keep (analyze: 10, clip: 5; --top)
//   analysis.candidates_per_moment  candidates found per moment kept (default 3)
//   analysis.words_for_top    candidates the recognizer transcribes (default 1.5 x top; all
//                             candidates are searched for trigger phrases)
//   speech.backend            sphinx, remote or none (default sphinx; --backend)
//   clip.target_ms, clip.min_ms, clip.max_ms, clip.min_separation_ms
//   chat.reaction_delay_ms    how far chat lags the stream (default 6000)
//   analysis.weight.loudness, analysis.weight.chat
//   llm.base_url, llm.model, llm.api_key   a remote chat model writes titles (optional)
//   analysis.trigger_bonus    score added when the streamer says a trigger phrase (default 3)
#pragma once

#include <string>

#include "analysis/moments_file.h"
#include "app_env.h"
#include "core/result.h"

namespace clipthat::app {

struct AnalysisRequest {
  std::string vod;
  std::string chat;      // empty: no chat replay
  int top = 0;           // 0: from <command>.top
  int default_top = 10;  // when neither flag nor configuration says
  std::string backend;   // empty: speech.backend
};

// Runs the analysis pipeline for `command` ("analyze", "clip"): progress on stderr, the result
// ranked best first. Errors name the input (VOD, chat file, configuration key).
Result<analysis::MomentsDocument> RunAnalysis(AppEnv& env, std::string_view command,
                                              const AnalysisRequest& request);

}  // namespace clipthat::app
