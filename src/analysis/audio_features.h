// AudioFeatureExtractor: every per-window audio signal of the whole-VOD scan, computed in one
// streaming pass over the decoded audio, so a four-hour VOD is decoded once and never held in
// memory.
//
//   AudioFeatureExtractor features;
//   while (decoder.Next(&chunk)) features.Push(chunk);
//   AudioFeatures f = features.Finish();
//
// Per window (default 100 ms) it measures:
//   loudness_db        RMS level in dBFS (as LoudnessMeter: a full-scale sine reads -3 dB)
//   loudness_jump_db   how far the last 300 ms stand above the trailing 10 s mean, >= 0
//   spectral_flux_db   mean rise of log band energies between 25 ms frames: onsets, hits
//   voice              0..1, how speech-like: voiced (periodic) frames, energy in the
//                      300-3400 Hz band, and syllabic level modulation (steady game music
//                      is periodic and in band too, but not modulated)
//   pitch_hz           median F0 (YIN, 70-400 Hz) of the window's voiced frames, 0 if none
//   pitch_raise_st     semitones the window's pitch stands above the VOD's median voiced
//                      pitch, >= 0 (0 when unvoiced): excitement raises the voice
//   pitch_range_st     spread (80th - 20th percentile) of voiced pitch over the surrounding
//                      second, in semitones (0 with too few voiced frames)
//   laughter           0..1: deep, regular level pulses at 4-8 Hz over the last second
//   cheer              0..1: sustained broadband (spectrally flat, unpitched) sound, scaled
//                      by level
//   speech_level_db    level of the 300-3400 Hz speech band in dBFS (as loudness_db reads a
//                      sine): what a voice adds, with less of the game's bass and booms
//   syllables          syllable-like onsets in the window (0, 1, rarely 2): rises of the
//                      speech-band envelope of at least syllable_rise_db that fall back by
//                      as much (a syllable nucleus); vocal_excitement.h turns them into a
//                      speech rate over voiced stretches
// and a silence map (silence_map.h) from loudness and voice.
//
// Frames are 32 ms (a power of two of samples) every quarter window; pitch runs on a copy
// low-passed and decimated to about 4 kHz. All buffers are sized once, so the per-sample cost
// is a few operations and one 4-hour VOD costs a few seconds on one core. Any sample rate of
// 8 kHz or more works; AudioDecoder's 16 kHz mono is what the scan uses. Multi-channel audio
// is averaged to mono.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "analysis/loudness.h"
#include "analysis/moment.h"
#include "analysis/silence_map.h"
#include "analysis/time_series.h"
#include "media/frame.h"

namespace clipthat::analysis {

struct AudioFeatureOptions {
  LoudnessOptions loudness{};  // window_ms is every series' step; floor_db the loudness floor
  // Windows quieter than this are not analysed for voice, pitch or laughter.
  double analysis_min_db = -50.0;
  // Loudness jump: the recent level against the trailing mean before it.
  TimeMs jump_recent_ms = 300;
  TimeMs jump_baseline_ms = 10000;
  // YIN: a frame is voiced when its cumulative-mean-normalised difference dips below this.
  double yin_threshold = 0.2;
  double min_pitch_hz = 70.0;
  double max_pitch_hz = 400.0;
  TimeMs pitch_range_span_ms = 1000;
  int pitch_range_min_voiced_frames = 4;  // fewer voiced 50 ms frames in the span: range 0
  // Voice: the level's spread over the last second that reads as speech-like modulation.
  double voice_modulation_db = 3.0;
  // Laughter: level pulses repeating at 4-8 Hz, at least this deep (std of the band level).
  double laughter_min_depth_db = 3.0;
  double laughter_min_regularity = 0.35;  // autocorrelation at the pulse period, 0..1
  // Cheer: spectral flatness (0 tonal .. ~0.56 white noise) that counts as broadband noise.
  double cheer_min_flatness = 0.2;
  TimeMs cheer_min_ms = 500;  // a gunshot is noisy too, but short
  // Syllables: how far (dB) the smoothed speech-band envelope must rise above its last trough,
  // and fall below the peak, for one onset. Game audio under the voice fills the troughs, so
  // this is well under clean speech's 15-20 dB.
  double syllable_rise_db = 4.0;
  SilenceMapOptions silence{};
};

struct AudioFeatures {
  TimeSeries loudness_db;
  TimeSeries loudness_jump_db;
  TimeSeries spectral_flux_db;
  TimeSeries voice;
  TimeSeries pitch_hz;
  TimeSeries pitch_raise_st;
  TimeSeries pitch_range_st;
  TimeSeries laughter;
  TimeSeries cheer;
  TimeSeries speech_level_db;
  TimeSeries syllables;
  std::vector<TimeRange> silences;  // time order, each at least silence.min_silence_ms
};

class AudioFeatureExtractor {
 public:
  explicit AudioFeatureExtractor(const AudioFeatureOptions& options = {});
  AudioFeatureExtractor(AudioFeatureExtractor&&) noexcept;
  AudioFeatureExtractor& operator=(AudioFeatureExtractor&&) noexcept;
  ~AudioFeatureExtractor();

  // Adds a chunk. Chunks must be contiguous and share the first chunk's sample rate and
  // channel count (AudioDecoder's are); a chunk that differs is ignored.
  void Push(const media::AudioBuffer& chunk);
  // Closes the last, partial window and returns every series (all the same length).
  AudioFeatures Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clipthat::analysis
