#include "render/clip_renderer.h"

#include <algorithm>

#include "media/mp4_writer.h"
#include "media/scaler.h"
#include "media/window_decoder.h"
#include "render/center_crop.h"
#include "render/frame_picker.h"

namespace clipthat::render {
namespace {

// Feeds audio to the writer on a sample clock that starts at the window's start, so that
// audio stays aligned with the constant-rate video whatever the source's timing.
class AudioTrack {
 public:
  AudioTrack(media::Mp4Writer* writer, TimeMs start_ms, long long total_samples, int rate,
             int channels)
      : writer_(writer),
        start_ms_(start_ms),
        total_(total_samples),
        rate_(rate),
        channels_(channels) {}

  Status Add(const media::AudioBuffer& in) {
    if (in.sample_rate_hz != rate_ || in.channels != channels_) {
      return InternalError("window decoder returned audio in an unexpected format");
    }
    // Where this chunk belongs on the output clock, in samples.
    const long long at = (in.start_ms - start_ms_) * rate_ / 1000;
    if (at > written_ + rate_ / 100) RETURN_IF_ERROR(Silence(at - written_));  // > 10 ms gap
    const long long frames = static_cast<long long>(in.frame_count());
    long long skip = 0;  // drop what overlaps what is written (an early first chunk)
    if (written_ == 0 && at < 0) skip = std::min(frames, -at);
    const long long take = std::min(frames - skip, total_ - written_);
    if (take <= 0) return Status::Ok();
    media::AudioBuffer out;
    out.sample_rate_hz = rate_;
    out.channels = channels_;
    out.start_ms = start_ms_ + written_ * 1000 / rate_;
    out.samples.assign(in.samples.begin() + skip * channels_,
                       in.samples.begin() + (skip + take) * channels_);
    written_ += take;
    return writer_->WriteAudio(out);
  }

  // Pads with silence up to the clip's length.
  Status Finish() { return Silence(total_ - written_); }

 private:
  Status Silence(long long frames) {
    frames = std::min(frames, total_ - written_);
    // In pieces, so a long silent track never needs one large buffer.
    while (frames > 0) {
      const long long n = std::min<long long>(frames, rate_);
      media::AudioBuffer silence;
      silence.sample_rate_hz = rate_;
      silence.channels = channels_;
      silence.start_ms = start_ms_ + written_ * 1000 / rate_;
      silence.samples.assign(static_cast<size_t>(n * channels_), 0.0f);
      RETURN_IF_ERROR(writer_->WriteAudio(silence));
      written_ += n;
      frames -= n;
    }
    return Status::Ok();
  }

  media::Mp4Writer* writer_;
  TimeMs start_ms_;
  long long total_;
  int rate_;
  int channels_;
  long long written_ = 0;
};

}  // namespace

Result<long long> RenderClip(const ClipRequest& request, const RenderOptions& options,
                             const RenderHooks& hooks) {
  if (request.end_ms <= request.start_ms) {
    return InvalidArgumentError(request.source_path + ": empty clip window " +
                                FormatClock(request.start_ms) + "-" + FormatClock(request.end_ms));
  }
  ASSIGN_OR_RETURN(auto decoder,
                   media::WindowDecoder::Open(request.source_path,
                                              {.start_ms = request.start_ms,
                                               .end_ms = request.end_ms,
                                               .width = 0,
                                               .height = 0,
                                               .format = media::PixelFormat::kYuv420p,
                                               .audio_sample_rate_hz = options.audio_sample_rate_hz,
                                               .audio_channels = options.audio_channels}));
  media::Mp4WriterOptions wopts;
  wopts.width = options.width;
  wopts.height = options.height;
  wopts.fps = options.fps;
  wopts.video_encoder = options.video_encoder;
  wopts.preset = options.preset;
  wopts.crf = options.crf;
  wopts.threads = options.threads;
  wopts.has_audio = true;
  wopts.audio_sample_rate_hz = options.audio_sample_rate_hz;
  wopts.audio_channels = options.audio_channels;
  ASSIGN_OR_RETURN(auto writer, media::Mp4Writer::Open(request.out_path, wopts));

  CfrFramePicker picker(request.start_ms, request.end_ms, options.fps);
  const long long total_frames = picker.total_frames();
  // The audio runs exactly as long as the video: total_frames / fps seconds.
  AudioTrack audio(&writer, request.start_ms,
                   total_frames * options.audio_sample_rate_hz / options.fps,
                   options.audio_sample_rate_hz, options.audio_channels);
  const media::CropRect crop = CenterCropRect(decoder.source_width(), decoder.source_height(),
                                              options.width, options.height);
  media::Scaler scaler;
  media::VideoFrame held;  // the latest source frame, written once we know for how long
  media::VideoFrame scaled;
  bool have_held = false;

  auto emit = [&](long long count) -> Status {
    if (count <= 0) return Status::Ok();
    RETURN_IF_ERROR(scaler.Convert(held, crop, options.width, options.height,
                                   media::PixelFormat::kYuv420p, &scaled));
    for (long long i = 0; i < count; ++i) {
      if (hooks.cancelled && hooks.cancelled()) {
        return CancelledError(request.out_path + ": render cancelled");
      }
      RETURN_IF_ERROR(writer.WriteVideo(scaled));
    }
    if (hooks.progress) {
      hooks.progress(static_cast<double>(picker.frames_assigned()) /
                     static_cast<double>(std::max(1LL, total_frames)));
    }
    return Status::Ok();
  };

  media::DecodedItem item;
  while (true) {
    ASSIGN_OR_RETURN(bool more, decoder.Next(&item));
    if (!more) break;
    if (item.kind == media::DecodedItem::Kind::kAudio) {
      RETURN_IF_ERROR(audio.Add(item.audio));
      continue;
    }
    const long long count = picker.Next(item.video.pts_ms);
    if (have_held) RETURN_IF_ERROR(emit(count));
    held = std::move(item.video);
    have_held = true;
  }
  if (!have_held) {
    return DataError(request.source_path + ": no video frames between " +
                     FormatClock(request.start_ms) + " and " + FormatClock(request.end_ms));
  }
  RETURN_IF_ERROR(emit(picker.Finish()));
  RETURN_IF_ERROR(audio.Finish());
  RETURN_IF_ERROR(writer.Finish());
  if (hooks.progress) hooks.progress(1.0);
  return writer.frames_written();
}

}  // namespace clipthat::render
