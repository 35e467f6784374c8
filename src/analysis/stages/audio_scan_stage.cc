#include "analysis/stages/audio_scan_stage.h"

#include <algorithm>

#include "analysis/stages/slots.h"
#include "media/audio_decoder.h"

namespace clipthat::analysis {

Status AudioScanStage::run(pipeline::Context& ctx) {
  ASSIGN_OR_RETURN(const AnalysisInput* input, ctx.Get(kAnalysisInputSlot));
  ASSIGN_OR_RETURN(const media::ProbeInfo* probe, ctx.Get(kProbeSlot));
  if (input->vod_path.empty()) return Status::Ok();  // chat-only analysis
  if (probe->audio() == nullptr) {
    CT_LOG(ctx.logger(), kWarn) << input->vod_path << ": no audio stream; audio cues not used";
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto decoder, media::AudioDecoder::Open(
                                     input->vod_path, {.sample_rate_hz = options_.sample_rate_hz,
                                                       .channels = 1,
                                                       .chunk_ms = options_.chunk_ms}));
  const double duration = static_cast<double>(std::max<TimeMs>(1, probe->duration_ms));
  AudioFeatureExtractor extractor(options_.features);
  media::AudioBuffer chunk;
  while (true) {
    if (ctx.cancelled()) return CancelledError("audio scan cancelled");
    ASSIGN_OR_RETURN(bool more, decoder.Next(&chunk));
    if (!more) break;
    extractor.Push(chunk);
    ctx.ReportProgress(
        std::min(1.0, static_cast<double>(chunk.start_ms + chunk.duration_ms()) / duration));
  }
  AudioFeatures f = extractor.Finish();
  VocalExcitement v = MeasureVocalExcitement(f, options_.vocal);
  const auto add = [&](const char* name, TimeSeries& values, double weight, TimeMs smooth_ms,
                       const RobustZOptions& normalize) {
    if (weight <= 0) return;
    AddSignal(ctx, {.name = name,
                    .values = std::move(values),
                    .weight = weight,
                    .smooth_ms = smooth_ms,
                    .normalize = normalize});
  };
  const AudioScanOptions& o = options_;
  add("loudness", f.loudness_db, o.loudness_weight, o.loudness_smooth_ms, o.loudness_normalize);
  add("loudness_jump", f.loudness_jump_db, o.loudness_jump_weight, o.loudness_jump_smooth_ms,
      o.loudness_jump_normalize);
  add("laughter", f.laughter, o.laughter_weight, o.laughter_smooth_ms, o.laughter_normalize);
  add("cheer", f.cheer, o.cheer_weight, o.cheer_smooth_ms, o.cheer_normalize);
  add("pitch_raise", f.pitch_raise_st, o.pitch_raise_weight, o.pitch_raise_smooth_ms,
      o.pitch_raise_normalize);
  add("pitch_range", f.pitch_range_st, o.pitch_range_weight, o.pitch_range_smooth_ms,
      o.pitch_range_normalize);
  add("spectral_flux", f.spectral_flux_db, o.spectral_flux_weight, o.spectral_flux_smooth_ms,
      o.spectral_flux_normalize);
  add("voice", f.voice, o.voice_weight, o.voice_smooth_ms, o.voice_normalize);
  add("vocal_excitement", v.excitement, o.vocal_excitement_weight, o.vocal_excitement_smooth_ms,
      o.vocal_excitement_normalize);
  add("voice_loudness", v.voice_loudness_db, o.voice_loudness_weight, o.voice_loudness_smooth_ms,
      o.voice_loudness_normalize);
  add("voice_pitch", v.voice_pitch_st, o.voice_pitch_weight, o.voice_pitch_smooth_ms,
      o.voice_pitch_normalize);
  add("speech_rate", v.speech_rate, o.speech_rate_weight, o.speech_rate_smooth_ms,
      o.speech_rate_normalize);
  ctx.Set(kSilencesSlot, std::move(f.silences));
  return Status::Ok();
}

}  // namespace clipthat::analysis
