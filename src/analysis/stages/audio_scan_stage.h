// audio_scan: decodes the VOD's audio once, streaming, at 16 kHz mono, and in that one pass
// measures every audio signal (audio_features.h), then the streamer's vocal excitement from
// them (vocal_excitement.h). It adds to kSignalsSlot "loudness", "loudness_jump", "laughter",
// "cheer", "spectral_flux", "voice", "vocal_excitement", "voice_loudness", "voice_pitch" and
// "speech_rate" ("pitch_raise" and "pitch_range" too when given a weight), and sets
// kSilencesSlot. A VOD without audio adds nothing (logged), so chat alone can still find
// moments. The interest curve treats loudness, loudness_jump, spectral_flux and cheer as
// sound and the vocal signals as reactions (interest_curve.h: the sound gate).
#pragma once

#include "analysis/audio_features.h"
#include "analysis/normalize.h"
#include "analysis/vocal_excitement.h"
#include "pipeline/stage.h"

namespace clipthat::analysis {

struct AudioScanOptions {
  int sample_rate_hz = 16000;
  TimeMs chunk_ms = 5000;  // decode granularity; also how often progress and cancel are checked
  AudioFeatureOptions features{};
  VocalExcitementOptions vocal{};
  // Weights are relative to the other scans' (chat_rate 1.0). Excitement cues are strong
  // evidence; flux and voice say little alone (a busy game, a chatty streamer) and only tip
  // the balance. Smoothing: a shout lasts seconds; a single gunshot should not win. The
  // streamer's excited voice is the strongest audio cue: it is a reaction, where level and
  // onsets may be the game alone.
  double vocal_excitement_weight = 1.5;
  TimeMs vocal_excitement_smooth_ms = 2000;
  RobustZOptions vocal_excitement_normalize{.min_spread = 0.1};  // 0..1
  double voice_loudness_weight = 0.25;
  TimeMs voice_loudness_smooth_ms = 2000;
  RobustZOptions voice_loudness_normalize{.min_spread = 2.0};  // dB
  double voice_pitch_weight = 0.25;
  TimeMs voice_pitch_smooth_ms = 2000;
  RobustZOptions voice_pitch_normalize{.min_spread = 1.0};  // semitones
  double speech_rate_weight = 0.25;
  TimeMs speech_rate_smooth_ms = 3000;
  RobustZOptions speech_rate_normalize{.min_spread = 0.1};  // fraction faster than usual
  double loudness_weight = 1.0;
  TimeMs loudness_smooth_ms = 2000;
  RobustZOptions loudness_normalize{.min_spread = 2.0};  // dB
  double loudness_jump_weight = 0.75;
  TimeMs loudness_jump_smooth_ms = 2000;
  RobustZOptions loudness_jump_normalize{.min_spread = 2.0};  // dB
  double laughter_weight = 0.75;
  TimeMs laughter_smooth_ms = 2000;
  RobustZOptions laughter_normalize{.min_spread = 0.1};  // 0..1
  double cheer_weight = 0.75;
  TimeMs cheer_smooth_ms = 2000;
  RobustZOptions cheer_normalize{.min_spread = 0.1};  // 0..1
  // Pitch of anything periodic (game music too): superseded by voice_pitch, off by default.
  double pitch_raise_weight = 0.0;
  TimeMs pitch_raise_smooth_ms = 3000;
  RobustZOptions pitch_raise_normalize{.min_spread = 1.0};  // semitones
  double pitch_range_weight = 0.0;
  TimeMs pitch_range_smooth_ms = 3000;
  RobustZOptions pitch_range_normalize{.min_spread = 1.0};  // semitones
  double spectral_flux_weight = 0.15;
  TimeMs spectral_flux_smooth_ms = 3000;
  RobustZOptions spectral_flux_normalize{.min_spread = 0.5};  // dB
  double voice_weight = 0.1;
  TimeMs voice_smooth_ms = 5000;
  RobustZOptions voice_normalize{.min_spread = 0.1};  // 0..1
};

class AudioScanStage final : public pipeline::Stage {
 public:
  explicit AudioScanStage(AudioScanOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "audio_scan"; }
  double weight() const override { return 1.0; }
  // Reads kAnalysisInputSlot, kProbeSlot; appends to kSignalsSlot; sets kSilencesSlot.
  Status run(pipeline::Context& ctx) override;

 private:
  AudioScanOptions options_;
};

}  // namespace clipthat::analysis
