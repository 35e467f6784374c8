// MeasureClipLoudness: the one gain that levels a clip's sound as its brand template asks
// (formats::AudioSpec: -14 LUFS integrated, true peak at most -1 dBTP by default), measured on
// the clip's own window of the source before any of it is encoded.
//
//   ASSIGN_OR_RETURN(ClipLoudness l, MeasureClipLoudness(source, start_ms, end_ms, 48000, 2,
//                                                        plan.brand.audio));
//   AudioTrack track(&writer, start_ms, total_samples, 48000, 2, l.gain.linear());
//
// The window's audio is decoded on its own first (media::AudioDecoder: the video is dropped
// at the demuxer), at the rate and channel count the clip is encoded with, and read by
// media::LoudnessMeter; media::PlanLoudnessGain turns the reading into a gain (silence keeps
// its level, a boost is capped at +20 dB, the true peak caps the gain: see loudness_gain.h).
//
// AAC does not keep the true peak: its quantisation noise adds to the waveform, so the encoded
// clip can peak above the signal fed to it. Measured with FFmpeg's ebur128 on AAC levelled to
// -2 dBTP: at 128 kb/s up to +0.9 dB (4 ms 9 kHz bursts in noise, white noise, a 1 kHz sine);
// at 192 kb/s (the renderer's rate) -0.3 to +0.0 dB for pink noise, bursts and a 6 kHz sine,
// +0.7 dB for white noise and +1.0 dB for a 1 kHz sine starting at full level (the encoder's
// first frame). The gain is therefore planned for a ceiling kAacTruePeakMarginDb below the
// template's, so the file that is uploaded meets it. The ceiling only binds on clips with a
// high crest factor (true peak more than 13 dB over the loudness), where the margin costs
// them 1 dB of loudness.
//
// Errors: those of media::AudioDecoder (the source cannot be read, a decode error mid-window).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "core/time_units.h"
#include "formats/brand_template.h"
#include "formats/clip_timeline.h"
#include "media/loudness_gain.h"
#include "media/loudness_meter.h"

namespace clipthat::render {

inline constexpr double kAacTruePeakMarginDb = 1.0;

struct ClipLoudness {
  media::LoudnessReading source;  // the window before the gain
  media::LoudnessGain gain;       // what to multiply the window's samples by
};

// The meter's target for `spec`: its loudness, its ceiling less the AAC margin, +20 dB boost.
media::LoudnessTarget LoudnessTargetFor(const formats::AudioSpec& spec);

// Measures [start_ms, end_ms) of `source`'s main audio stream (which must exist) at
// `sample_rate_hz` and `channels`, and plans the gain for `spec` (0 dB when spec.normalize is
// false; the reading is made either way).
Result<ClipLoudness> MeasureClipLoudness(const std::string& source, TimeMs start_ms, TimeMs end_ms,
                                         int sample_rate_hz, int channels,
                                         const formats::AudioSpec& spec);
// The same over the kept segments of a clip with cuts (formats::ClipTimeline::segments()): the
// cut-out sound is not heard, so it is not measured; the segments are read one after another
// into one meter, as the clip will play them.
Result<ClipLoudness> MeasureClipLoudness(const std::string& source,
                                         const std::vector<formats::KeptSegment>& segments,
                                         int sample_rate_hz, int channels,
                                         const formats::AudioSpec& spec);

}  // namespace clipthat::render
