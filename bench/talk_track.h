// TalkTrack: a long generated recording of a streamer talking over game audio and music, with
// trigger phrases planted at known times, for bench/triggers_bench. Ordinary sentences (the
// sample stream's calm lines and combinations of everyday streaming talk), near misses that
// sound like a trigger ("clipboard", "flip that", "keep that", "eclipse", "clip on", "lip
// that", "ship it"), in many espeak-ng voices, speeds and pitches, with game audio (music,
// ambience, effects; src/sample/audio_synth.h) under all of it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"

namespace clipthat::bench {

struct TalkTrackOptions {
  TimeMs duration_ms = 3600000;
  int planted = 10;               // trigger phrases, spread over the track
  double near_miss_share = 0.12;  // of the other sentences
  std::uint64_t seed = 1;
};

struct SpokenSentence {
  enum class Kind { kOrdinary, kNearMiss, kTrigger };
  Kind kind = Kind::kOrdinary;
  TimeMs start_ms = 0;
  TimeMs end_ms = 0;
  TimeMs trigger_ms = -1;  // kTrigger: where the trigger phrase itself starts
  std::string text;
};

struct TalkTrack {
  std::filesystem::path wav;  // 16 kHz mono 16-bit
  std::vector<SpokenSentence> sentences;
  TimeMs duration_ms = 0;
};

// Makes the track in `dir` (talk.wav, truth.tsv), or reuses the one there when it was made
// with the same options. Errors: those of espeak-ng (sample/espeak.h) and of writing files.
Result<TalkTrack> MakeOrLoadTalkTrack(const std::filesystem::path& dir,
                                      const TalkTrackOptions& options);

}  // namespace clipthat::bench
