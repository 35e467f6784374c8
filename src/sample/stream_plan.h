// StreamPlan: the whole synthetic stream decided up front from the options and the seed, with
// no media work: which short pieces exist, the order they repeat in, where the planted moments
// are, and what the streamer says in each piece.
//
// A multi-hour stream is a sequence of a few distinct pieces (rendered once each) repeated in a
// seeded order. Every piece but the last lasts a whole multiple of kPieceGridMs, so its audio is
// a whole number of AAC frames and audio and video stay aligned across the joins.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"
#include "sample/sample_options.h"

namespace clipthat::sample {

// 8 s = 384000 samples at 48 kHz = 375 AAC frames of 1024 samples.
inline constexpr TimeMs kPieceGridMs = 8000;
inline constexpr TimeMs kMomentPieceMs = 3 * kPieceGridMs;
inline constexpr int kLookCount = 6;  // distinct gameplay looks (see scene_painter.h)

// kDecoy: a loud game sound (DecoyScript) nobody reacts to.
enum class PieceKind { kOrdinary, kMoment, kTail, kDecoy };

enum class SpeechStyle { kCalm, kExcited };

struct SpeechLine {
  std::string text;
  SpeechStyle style = SpeechStyle::kCalm;
};

// The excited reaction inside a moment piece; times are offsets from the piece start.
struct MomentScript {
  TimeMs start_ms = 0;
  TimeMs peak_ms = 0;
  TimeMs end_ms = 0;
  bool laughter = false;
  bool cheer = false;
  bool loudness_jump = true;          // the whole mix (game too) rises from start_ms to end_ms
  bool visual = true;                 // explosions and flashes in the picture, an excited facecam
  std::optional<std::string> phrase;  // "clip that" / "clip it" when spoken
  std::vector<SpeechLine> excited_lines;  // spoken from start_ms, one holds the phrase
};

// A loud game sound in a decoy piece (offsets from the piece start): no vocal reaction (the
// streamer's calm talk goes on), no chat burst. Not a moment.
enum class DecoySound { kExplosion, kSting };

struct DecoyScript {
  TimeMs start_ms = 0;
  TimeMs peak_ms = 0;
  TimeMs end_ms = 0;
  DecoySound sound = DecoySound::kExplosion;
};

// "explosion" / "sting": the decoy's kind in truth.json.
const char* DecoySoundName(DecoySound sound);

// 0..1: how much the picture shows the decoy (an explosion flash on screen for kExplosion, a
// short flash for kSting) at `t_s` seconds into its piece; 0 without a decoy.
double DecoyExcitement(const std::optional<DecoyScript>& decoy, double t_s);

// One distinct piece, rendered once.
struct PieceTemplate {
  PieceKind kind = PieceKind::kOrdinary;
  TimeMs duration_ms = 0;
  int look = 0;                        // 0 .. kLookCount-1
  std::uint64_t seed = 0;              // drives drawing and game audio
  std::vector<SpeechLine> lines;       // calm talk, spoken in order until the piece is full
  std::optional<MomentScript> moment;  // set for kMoment
  std::optional<DecoyScript> decoy;    // set for kDecoy
};

// One occurrence of a template on the stream's timeline.
struct PiecePlacement {
  int template_index = 0;
  TimeMs start_ms = 0;
  TimeMs duration_ms = 0;
};

// A planted moment on the stream's timeline.
struct PlannedMoment {
  int placement_index = 0;  // into StreamPlan::timeline
  TimeMs start_ms = 0;
  TimeMs peak_ms = 0;
  TimeMs end_ms = 0;
  TimeMs chat_burst_ms = 0;   // when chat reacts: 3-8 s after the peak (unless !chat_reaction)
  bool chat_reaction = true;  // false for a vocal-only moment: chat does not burst
  // "loudness", "laughter", "cheer", "trigger_phrase"; a vocal-only moment is just "vocal"
  std::vector<std::string> kinds;
  std::optional<std::string> phrase;
};

// A planted decoy on the stream's timeline: a loud sound that is not a moment.
struct PlannedDecoy {
  int placement_index = 0;
  TimeMs start_ms = 0;
  TimeMs peak_ms = 0;
  TimeMs end_ms = 0;
  DecoySound sound = DecoySound::kExplosion;
};

struct StreamPlan {
  TimeMs duration_ms = 0;
  std::vector<PieceTemplate> templates;
  std::vector<PiecePlacement> timeline;  // back to back from 0 to duration_ms
  std::vector<PlannedMoment> moments;    // in time order, never overlapping
  std::vector<PlannedDecoy> decoys;      // in time order; empty unless options.decoys
};

// Plans the stream. With options.vocal_only_moments and options.decoys at 0 (the defaults) the
// plan is the same as it always was for a seed; with them, vocal-only moment pieces (excited
// talk only: no cheer, laughter, loudness jump, picture effects or chat burst) and decoy pieces
// take their share of the evenly spread slots, in a seeded order.
// Errors: InvalidArgument from ValidateSampleOptions().
Result<StreamPlan> PlanStream(const SampleOptions& options);

}  // namespace clipthat::sample
