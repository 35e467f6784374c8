// Vocal excitement: how excited the streamer's voice is, from the audio scan's per-window
// series (audio_features.h), measured against the streamer's own running baseline so that a
// deep calm voice and a high one are judged alike, and so that the game under the voice does
// not count.
//
//   AudioFeatures f = extractor.Finish();
//   VocalExcitement v = MeasureVocalExcitement(f);
//
// Only voiced windows count: voice >= voiced_min (periodic, in the speech band, modulated like
// syllables) with a pitch. A boom, a gunshot or crowd noise is not voiced; a held music note is
// voiced but has no syllables, so it gets no speech rate and (through `speechiness`) no
// excitement. Per window, over the span_ms around it:
//   voice_loudness_db  mean speech-band level of the voiced windows above the running median
//                      of voiced level (the streamer's normal speaking level), dB, >= 0
//   voice_pitch_st     median voiced pitch above the running median voiced pitch, semitones,
//                      >= 0
//   voice_range_st     spread (80th - 20th percentile) of voiced pitch, semitones
//   speech_rate        syllables per second over the span divided by the running median rate
//                      of voiced speech, minus 1, >= 0 (0.25: talking 25% faster than usual)
//   excitement         0..1: presence of voice times speechiness times a weighted sum of
//                      loudness, pitch, range and rate rises (each ramped between a normal
//                      and a clearly excited value). This is the "vocal_excitement" signal;
//                      laughter stays a signal of its own.
// Windows with too little voice in their span read 0 everywhere. Baselines are medians over
// baseline_window_ms around each point, measured every baseline_hop_ms and interpolated;
// with too few voiced windows there, the whole recording's median is used.
// Pure: the same series give the same result. Cost: linear in the windows, a few ms per hour.
#pragma once

#include "analysis/audio_features.h"
#include "analysis/time_series.h"

namespace clipthat::analysis {

struct VocalExcitementOptions {
  double voiced_min = 0.4;     // AudioFeatures::voice at or above this (with a pitch) is voiced
  TimeMs span_ms = 1500;       // the stretch each window's measures are taken over
  double min_presence = 0.2;   // voiced fraction of the span below which all is 0
  double full_presence = 0.5;  // ... and at which presence counts fully
  TimeMs baseline_window_ms = 120000;  // the streamer's normal voice: 2 minutes around
  TimeMs baseline_hop_ms = 5000;
  TimeMs min_baseline_voiced_ms = 5000;  // voiced time a local baseline needs
  // Ramps from "normal" to "clearly excited" for each cue, and their weights in excitement.
  double loudness_normal_db = 1.0, loudness_excited_db = 7.0, loudness_weight = 0.35;
  double pitch_normal_st = 0.5, pitch_excited_st = 5.0, pitch_weight = 0.35;
  double range_normal_st = 3.0, range_excited_st = 8.0, range_weight = 0.1;
  double rate_normal = 0.0, rate_excited = 0.3, rate_weight = 0.2;
  // Speechiness: syllables per second over the span at which voice reads as talk (a held
  // note, a siren or a sung sting has few).
  double speech_min_syllables_per_s = 1.0, speech_full_syllables_per_s = 2.5;
};

struct VocalExcitement {
  TimeSeries voice_loudness_db;
  TimeSeries voice_pitch_st;
  TimeSeries voice_range_st;
  TimeSeries speech_rate;
  TimeSeries excitement;
};

// Every output has the grid and length of f.voice. Series of other lengths than f.voice are
// read as 0 past their end.
VocalExcitement MeasureVocalExcitement(const AudioFeatures& f,
                                       const VocalExcitementOptions& options = {});

}  // namespace clipthat::analysis
