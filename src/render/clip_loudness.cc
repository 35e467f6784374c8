#include "render/clip_loudness.h"

#include "media/audio_decoder.h"

namespace clipthat::render {

media::LoudnessTarget LoudnessTargetFor(const formats::AudioSpec& spec) {
  return {.integrated_lufs = spec.loudness_lufs,
          .true_peak_ceiling_dbtp = spec.true_peak_dbtp - kAacTruePeakMarginDb};
}

Result<ClipLoudness> MeasureClipLoudness(const std::string& source,
                                         const std::vector<formats::KeptSegment>& segments,
                                         int sample_rate_hz, int channels,
                                         const formats::AudioSpec& spec) {
  media::LoudnessMeter meter(sample_rate_hz, channels);
  for (const formats::KeptSegment& segment : segments) {
    ASSIGN_OR_RETURN(media::AudioDecoder decoder,
                     media::AudioDecoder::Open(source, {.sample_rate_hz = sample_rate_hz,
                                                        .channels = channels,
                                                        .chunk_ms = 1000,
                                                        .start_ms = segment.start_ms,
                                                        .end_ms = segment.end_ms}));
    media::AudioBuffer chunk;
    while (true) {
      ASSIGN_OR_RETURN(bool more, decoder.Next(&chunk));
      if (!more) break;
      meter.Add(chunk.samples);
    }
  }
  ClipLoudness out;
  out.source = meter.Reading();
  if (spec.normalize) out.gain = media::PlanLoudnessGain(out.source, LoudnessTargetFor(spec));
  return out;
}

Result<ClipLoudness> MeasureClipLoudness(const std::string& source, TimeMs start_ms, TimeMs end_ms,
                                         int sample_rate_hz, int channels,
                                         const formats::AudioSpec& spec) {
  return MeasureClipLoudness(source, {{.start_ms = start_ms, .end_ms = end_ms, .clip_start_ms = 0}},
                             sample_rate_hz, channels, spec);
}

}  // namespace clipthat::render
