#include "sample/piece_renderer.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "media/mp4_writer.h"
#include "sample/audio_synth.h"
#include "sample/espeak.h"
#include "sample/rng.h"
#include "sample/scene_painter.h"

namespace clipthat::sample {
namespace {

constexpr double kCalmRms = 0.11;     // streamer's normal voice, about -19 dBFS
constexpr double kExcitedRms = 0.26;  // shouting: about +7.5 dB over normal
constexpr double kMomentGain = 1.6;   // whole mix raised during the moment

std::size_t MsToSamples(TimeMs ms) { return static_cast<std::size_t>(ms) * kSampleRateHz / 1000; }
TimeMs SamplesToMs(std::size_t n) { return static_cast<TimeMs>(n * 1000 / kSampleRateHz); }

class SpeechTrack {
 public:
  SpeechTrack(std::size_t frames, const std::filesystem::path& work_dir, std::uint64_t seed)
      : samples_(frames), work_dir_(work_dir), rng_(Rng(seed).Fork("speech")) {}

  // Speaks `line` at the cursor if it ends before `limit`; advances the cursor past it.
  Result<bool> SayIfFits(const SpeechLine& line, std::size_t limit, double gap_min_s,
                         double gap_max_s) {
    VoiceParams voice;
    double rms = kCalmRms;
    if (line.style == SpeechStyle::kExcited) {
      voice.words_per_minute = 205;
      voice.pitch = 78;
      voice.amplitude = 180;
      rms = kExcitedRms;
    }
    ASSIGN_OR_RETURN(std::vector<float> audio, Speak(line.text, voice, kSampleRateHz, work_dir_));
    if (cursor_ + audio.size() > limit) return false;
    NormalizeRms(audio, rms);
    AddAt(samples_, audio, cursor_, 1.0f);
    layout_.push_back(
        {SamplesToMs(cursor_), SamplesToMs(cursor_ + audio.size()), line.text, line.style});
    cursor_ +=
        audio.size() + static_cast<std::size_t>(rng_.Uniform(gap_min_s, gap_max_s) * kSampleRateHz);
    return true;
  }

  // Calm talk from the cursor until `limit`, cycling through `lines` from `*next`.
  Status Talk(const std::vector<SpeechLine>& lines, std::size_t* next, std::size_t limit) {
    int misses = 0;
    while (!lines.empty() && cursor_ < limit && misses < static_cast<int>(lines.size())) {
      ASSIGN_OR_RETURN(bool said, SayIfFits(lines[*next % lines.size()], limit, 0.4, 1.6));
      ++*next;
      misses = said ? 0 : misses + 1;
      // Lines run 2-4 s: with less than 1.5 s left nothing else fits.
      if (!said && limit - cursor_ < static_cast<std::size_t>(1.5 * kSampleRateHz)) break;
    }
    return Status::Ok();
  }

  void set_cursor(std::size_t c) { cursor_ = c; }
  std::size_t cursor() const { return cursor_; }
  std::vector<float>& samples() { return samples_; }
  const std::vector<SpokenLine>& layout() const { return layout_; }
  Rng& rng() { return rng_; }

 private:
  std::vector<float> samples_;
  std::filesystem::path work_dir_;
  Rng rng_;
  std::size_t cursor_ = 0;
  std::vector<SpokenLine> layout_;
};

// 0 outside the moment, ramping to 1 over half a second at either end.
double Excitement(const std::optional<MomentScript>& m, double t_s) {
  if (!m || !m->visual) return 0;
  double start = MsToSeconds(m->start_ms), end = MsToSeconds(m->end_ms);
  if (t_s < start || t_s > end) return 0;
  return std::min({1.0, (t_s - start) / 0.5, (end - t_s) / 0.5});
}

Result<std::vector<SpokenLine>> MixAudio(const PieceTemplate& piece,
                                         const PieceRenderSettings& settings,
                                         std::vector<float>* mix) {
  const std::size_t frames = MsToSamples(piece.duration_ms);
  const std::size_t end_margin = static_cast<std::size_t>(0.3 * kSampleRateHz);
  SpeechTrack speech(frames, settings.work_dir, piece.seed);
  speech.set_cursor(static_cast<std::size_t>(speech.rng().Uniform(0.3, 1.0) * kSampleRateHz));
  std::size_t next = 0;
  *mix = SynthGameAudio(piece.look, piece.seed, frames, kSampleRateHz);
  if (piece.moment) {
    const MomentScript& m = *piece.moment;
    std::size_t start = MsToSamples(m.start_ms), peak = MsToSamples(m.peak_ms),
                end = MsToSamples(m.end_ms);
    RETURN_IF_ERROR(speech.Talk(piece.lines, &next, start - end_margin));
    speech.set_cursor(start);
    for (const SpeechLine& line : m.excited_lines) {
      ASSIGN_OR_RETURN(bool said, speech.SayIfFits(line, frames - end_margin, 0.1, 0.25));
      (void)said;
    }
    speech.set_cursor(std::max(speech.cursor(), end) + kSampleRateHz * 4 / 5);
    if (m.cheer)
      AddCheer(*mix, start + kSampleRateHz / 4, peak, end, kSampleRateHz, piece.seed, 0.22f);
    if (m.laughter) {
      AddLaughter(*mix, peak, std::min(end, peak + 3 * kSampleRateHz), kSampleRateHz, piece.seed,
                  0.3f);
    }
  }
  RETURN_IF_ERROR(speech.Talk(piece.lines, &next, frames - end_margin));
  AddAt(*mix, speech.samples(), 0, 1.0f);
  if (piece.decoy) AddDecoySound(*mix, *piece.decoy, kSampleRateHz, piece.seed);
  if (piece.moment && piece.moment->loudness_jump) {
    // The loudness jump: the whole mix rises over 0.4 s at the start and falls back by the end.
    std::size_t start = MsToSamples(piece.moment->start_ms),
                end = MsToSamples(piece.moment->end_ms);
    std::size_t ramp = static_cast<std::size_t>(0.4 * kSampleRateHz);
    for (std::size_t i = start; i < end && i < frames; ++i) {
      double a = std::min(
          {1.0, static_cast<double>(i - start) / ramp, static_cast<double>(end - i) / ramp});
      (*mix)[i] *= static_cast<float>(1 + (kMomentGain - 1) * a);
    }
  }
  SoftClip(*mix);
  return speech.layout();
}

}  // namespace

Result<std::vector<SpokenLine>> RenderPiece(const PieceTemplate& piece,
                                            const PieceRenderSettings& settings,
                                            const std::filesystem::path& out_path) {
  const std::string where = out_path.string();
  if (settings.face == nullptr) return InternalError(where + ": no face photo");
  std::vector<float> mix;
  ASSIGN_OR_RETURN(std::vector<SpokenLine> layout, MixAudio(piece, settings, &mix));

  media::Mp4WriterOptions options;
  options.width = settings.width;
  options.height = settings.height;
  options.fps = settings.fps;
  options.preset = settings.preset;
  options.crf = settings.crf;
  options.gop_frames = 2 * settings.fps;  // Twitch-like 2 s keyframes, aligned across pieces
  options.threads = 1;                    // pieces render side by side instead
  options.audio_sample_rate_hz = kSampleRateHz;
  options.audio_channels = 2;
  auto writer = media::Mp4Writer::Open(where, options);
  if (!writer.ok()) return writer.status().WithPrefix(where);

  try {
    ScenePainter scene(settings.width, settings.height, piece.look, piece.seed);
    const cv::Rect box = FacecamBox(settings.facecam, settings.width, settings.height);
    std::optional<FacecamPainter> facecam;
    if (!box.empty()) {
      const bool line =
          settings.facecam.border && settings.facecam.position != FacecamPosition::kFull;
      facecam.emplace(*settings.face, box, line ? FacecamBorder::kLine : FacecamBorder::kNone);
    }
    cv::Mat bgr(settings.height, settings.width, CV_8UC3);
    media::VideoFrame frame;
    frame.Allocate(settings.width, settings.height, media::PixelFormat::kYuv420p);
    cv::Mat yuv(settings.height * 3 / 2, settings.width, CV_8UC1, frame.data.data());
    const long long frame_count = piece.duration_ms * settings.fps / 1000;
    std::size_t audio_written = 0;
    for (long long n = 0; n < frame_count; ++n) {
      double t_s = static_cast<double>(n) / settings.fps;
      double excitement =
          std::max(Excitement(piece.moment, t_s), DecoyExcitement(piece.decoy, t_s));
      scene.Paint(bgr, t_s, excitement);
      if (facecam) facecam->Paint(bgr, t_s, excitement);
      cv::cvtColor(bgr, yuv, cv::COLOR_BGR2YUV_I420);
      frame.pts_ms = n * 1000 / settings.fps;
      RETURN_IF_ERROR(writer->WriteVideo(frame).WithPrefix(where));
      // Audio in step with the picture, a second at a time, keeps the file interleaved.
      std::size_t audio_due =
          std::min(mix.size(), static_cast<std::size_t>((n + 1) * kSampleRateHz / settings.fps));
      if (audio_due - audio_written >= kSampleRateHz || n + 1 == frame_count) {
        media::AudioBuffer chunk;
        chunk.start_ms = SamplesToMs(audio_written);
        chunk.sample_rate_hz = kSampleRateHz;
        chunk.channels = 1;
        chunk.samples.assign(mix.begin() + audio_written,
                             mix.begin() + (n + 1 == frame_count ? mix.size() : audio_due));
        audio_written += chunk.samples.size();
        RETURN_IF_ERROR(writer->WriteAudio(chunk).WithPrefix(where));
      }
      if (settings.frames_done != nullptr) ++*settings.frames_done;
    }
  } catch (const cv::Exception& e) {
    return InternalError(where + ": OpenCV: " + e.what());
  }
  RETURN_IF_ERROR(writer->Finish().WithPrefix(where));
  return layout;
}

}  // namespace clipthat::sample
