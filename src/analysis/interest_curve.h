// Fusion of normalised signals into one interest curve.
//
// Each signal is a z-score series (normalize.h) with a weight. Only excitement counts: a
// signal's contribution is weight * clamp(z, 0, max_abs_z) / (sum of weights), so a quiet
// stretch is neutral rather than a penalty, and the curve stays in z units whichever signals
// are present (a VOD without chat is not scored lower for it). Contributions are kept per
// signal so a moment can say why it was picked.
//
// The sound gate. Signals are of three kinds, by name (SoundGateOptions):
//   sound     something happened in the game or on screen (level, onsets, crowd noise, cuts,
//             flashes): an explosion nobody reacts to is loud too;
//   reaction  a person reacted: the streamer's excited voice or the chat;
//   neutral   everything else, fused as is.
// Sound counts in full only where someone reacts: each sound contribution is multiplied by
//   closed_share + (1 - closed_share) * gate(t),
//   gate(t) = ramp(the highest reaction z within [t - reach_before_ms, t + reach_after_ms],
//                  open_z_low, open_z_high)
// so a loud sound with no vocal or chat reaction keeps only closed_share of its weight and
// ranks below a reaction, while a reaction with a loud sound gets both. Without any reaction
// signal at all (no chat and no audio: only the picture) the gate stays open.
#pragma once

#include <string>
#include <vector>

#include "analysis/time_series.h"
#include "core/result.h"

namespace clipthat::analysis {

struct WeightedSignal {
  std::string name;   // "loudness", "chat_rate", ...
  TimeSeries z;       // on any grid; resampled onto the curve's
  double weight = 1;  // relative; <= 0 leaves the signal out
};

// Names match exactly, or by prefix when the entry ends in '*' ("chat_*").
struct SoundGateOptions {
  bool enabled = true;
  std::vector<std::string> sound = {"loudness",  "loudness_jump", "spectral_flux", "cheer",
                                    "scene_cut", "visual_change", "flash"};
  // Laughter is not among them: its cue (level pulses at 4-8 Hz) also fires on music, and a
  // streamer's real laugh is voiced and syllabic, so vocal_excitement sees it.
  std::vector<std::string> reaction = {"vocal_excitement", "voice_loudness", "voice_pitch",
                                       "speech_rate", "chat_*"};
  // A voice reacts a moment after the sound; chat is already moved back by its reaction
  // delay, give or take a few seconds.
  TimeMs reach_before_ms = 4000;  // a reaction this long before the sound still opens it
  TimeMs reach_after_ms = 6000;   // ... and this long after
  double open_z_low = 1.0;        // reaction z where the gate starts to open
  double open_z_high = 3.0;       // ... and where it is fully open
  double closed_share = 0.4;      // of a sound's contribution kept with no reaction near
};

struct FusionOptions {
  TimeMs step_ms = 500;  // grid of the curve
  SoundGateOptions sound_gate{};
};

struct InterestCurve {
  TimeMs step_ms = 500;
  std::vector<double> score;                       // sum of contributions, per bin
  std::vector<std::string> names;                  // one per contributing signal
  std::vector<std::vector<double>> contributions;  // [signal][bin], after the gate
  std::vector<double> sound_gate;  // per bin, 0..1 (all 1 when the gate is off or unused)

  TimeMs duration_ms() const { return step_ms * static_cast<TimeMs>(score.size()); }
};

enum class SignalKind { kNeutral, kSound, kReaction };

// The kind `name` has under `options` (kNeutral when the gate is disabled).
SignalKind KindOfSignal(const std::string& name, const SoundGateOptions& options);

// InvalidArgument when no signal has a positive weight.
Result<InterestCurve> FuseSignals(const std::vector<WeightedSignal>& signals, TimeMs duration_ms,
                                  const FusionOptions& options = {});

}  // namespace clipthat::analysis
