// Trigger phrases over the whole recording: two stages around one background scan.
//
//   trigger_scan      (right after probe) starts decoding the VOD's audio on its own thread
//                     and pushing it through the verified spotter (speech/trigger_spotter.h),
//                     so the slow first pass runs beside the audio and video scans and
//                     candidate transcription instead of after them;
//   triggers          (after transcribe, which works on the other core meanwhile) waits for
//                     the scan, puts every verified trigger in kTriggersSlot and in the
//                     moments whose windows hold it, and proposes a candidate moment for each
//                     trigger that no candidate window covers: a streamer's explicit "clip
//                     that" during a quiet stretch is a moment even when no other signal rises.
//                     A second transcribe stage then gives those moments words.
//
// Stretches of near-digital silence are not spotted (nothing can be said there). Without a
// spotter, or for a VOD without audio or a chat-only analysis, both stages do nothing and
// kTriggersSlot stays unset (the transcribe stage then spots candidate windows itself).
// Cancelling the pipeline, or any stage failing, stops the scan: the scan object's owner (the
// context) stops and joins its thread when it goes away.
#pragma once

#include <memory>
#include <vector>

#include "analysis/moment.h"
#include "pipeline/stage.h"
#include "speech/speech_recognizer.h"

namespace clipthat::analysis {

// Verified trigger phrases of the whole VOD, in time order (kind "phrase", with confidence).
inline constexpr pipeline::Slot<std::vector<MomentTrigger>> kTriggersSlot{"triggers"};

class TriggerScanJob;  // the running scan (trigger_scan_stage.cc)
inline constexpr pipeline::Slot<std::shared_ptr<TriggerScanJob>> kTriggerScanJobSlot{
    "trigger_scan_job"};

struct TriggerScanOptions {
  bool whole_vod = true;        // false: no whole-VOD scan (transcribe spots candidate windows)
  TimeMs chunk_ms = 1000;       // decode granularity; also how often cancel is checked
  double silence_rms = 0.0005;  // chunks quieter than this (about -66 dBFS) are skipped
  // A trigger's moment: the clip asked for happened just before the words.
  TimeMs trigger_lead_ms = 3000;  // peak this long before the trigger
  MomentWindowOptions window{};
  // A trigger within this of a moment's window is the moment's; AddAnalysisStages sets it to
  // TranscribeOptions::margin_ms, the margin of the words transcribed around the window.
  TimeMs attach_margin_ms = 3000;
};

class TriggerScanStage final : public pipeline::Stage {
 public:
  // `spotter` may be null (the stages then do nothing); it must outlive the pipeline run and
  // is used from the scan's thread only while the scan runs. A speech::TriggerSpotter streams
  // (Push/Finish); any other KeywordSpotter is given the audio in 30 s blocks.
  TriggerScanStage(speech::KeywordSpotter* spotter, TriggerScanOptions options = {})
      : spotter_(spotter), options_(options) {}
  std::string_view name() const override { return "trigger_scan"; }
  double weight() const override { return 0.01; }
  // Reads kAnalysisInputSlot, kProbeSlot; sets kTriggerScanJobSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  speech::KeywordSpotter* spotter_;
  TriggerScanOptions options_;
};

class TriggersStage final : public pipeline::Stage {
 public:
  explicit TriggersStage(TriggerScanOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "triggers"; }
  double weight() const override { return 0.5; }
  // Reads kTriggerScanJobSlot (absent: does nothing), kProbeSlot; sets kTriggersSlot; sets the
  // "phrase" triggers of kMomentsSlot's moments and adds moments. Fails with the scan's error
  // (naming the VOD).
  Status run(pipeline::Context& ctx) override;

 private:
  TriggerScanOptions options_;
};

// Candidate moments for the triggers no moment in `moments` covers (a trigger inside a moment,
// or within lead_ms after its end, is covered). Each new moment's window is MomentWindow()
// around a peak lead_ms before the trigger, score 0, no evidence (rank adds the trigger's).
std::vector<Moment> TriggerMoments(const std::vector<MomentTrigger>& triggers,
                                   const std::vector<Moment>& moments, TimeMs duration_ms,
                                   const TriggerScanOptions& options = {});

}  // namespace clipthat::analysis
