#include "render/clip_renderer.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <memory>

#include "captions/ass_renderer.h"
#include "captions/karaoke_ass.h"
#include "captions/word_grouping.h"
#include "core/files.h"
#include "formats/clip_timeline.h"
#include "media/mp4_writer.h"
#include "media/window_decoder.h"
#include "reframe/compositor.h"
#include "reframe/crop_keyframes.h"
#include "render/audio_cuts.h"
#include "render/audio_track.h"
#include "render/clip_loudness.h"
#include "render/clip_plan.h"
#include "render/decode_ahead.h"
#include "render/frame_picker.h"
#include "render/thumbnail.h"

namespace clipthat::render {
namespace {

using FramePtr = std::shared_ptr<const media::VideoFrame>;

// A level for the log, to 0.1 dB ("-inf" for silence).
std::string FormatDb(double db) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", db);
  return text;
}

// Everything after the crop is known: compose, captions, logo, encode, thumbnail copy.
class FrameOutput {
 public:
  FrameOutput(const ClipPlan& plan, reframe::Compositor* compositor,
              captions::AssRenderer* captions, media::Mp4Writer* writer, long long total_frames,
              long long thumbnail_index, const RenderSettings& settings, const RenderHooks& hooks,
              RenderResult* result)
      : plan_(plan),
        compositor_(compositor),
        captions_(captions),
        writer_(writer),
        total_(total_frames),
        thumbnail_index_(thumbnail_index),
        settings_(settings),
        hooks_(hooks),
        result_(result) {}

  Status Write(const media::VideoFrame& source, const media::CropRect& crop) {
    if (hooks_.cancelled && hooks_.cancelled()) {
      return CancelledError(plan_.origin + ": render cancelled");
    }
    const long long n = written_++;
    RETURN_IF_ERROR(compositor_->Compose(source, crop, &out_));
    if (captions_ != nullptr) {
      auto drawn = captions_->Render(n * 1000 / plan_.edit.output.fps, &out_);
      if (!drawn.ok()) return drawn.status();
    }
    if (plan_.logo) plan_.logo->Blend(&out_);
    RETURN_IF_ERROR(writer_->WriteVideo(out_));
    if (settings_.keep_crop_log) result_->crop_log.push_back(crop);
    if (n == thumbnail_index_) thumbnail_ = out_;
    if (hooks_.progress && (n % 15 == 0 || n + 1 == total_)) {
      hooks_.progress(static_cast<double>(n + 1) / static_cast<double>(std::max(1LL, total_)));
    }
    return Status::Ok();
  }

  long long written() const { return written_; }
  const media::VideoFrame& thumbnail() const { return thumbnail_; }

 private:
  const ClipPlan& plan_;
  reframe::Compositor* compositor_;
  captions::AssRenderer* captions_;
  media::Mp4Writer* writer_;
  long long total_;
  long long thumbnail_index_;
  const RenderSettings& settings_;
  const RenderHooks& hooks_;
  RenderResult* result_;
  long long written_ = 0;
  media::VideoFrame out_;
  media::VideoFrame thumbnail_;
};

// A cut at least this long starts a new shot: the face follower starts afresh after it, so the
// crop cuts with the picture rather than easing over from where the subject was before.
constexpr TimeMs kNewShotCutMs = 1000;

void AddStats(const reframe::FaceFollowerStats& add, reframe::FaceFollowerStats* to) {
  to->frames += add.frames;
  to->detections_run += add.detections_run;
  to->full_scans += add.full_scans;
  to->frames_with_subject += add.frames_with_subject;
  to->frames_from_motion += add.frames_from_motion;
  to->detect_seconds += add.detect_seconds;
  to->full_scan_seconds += add.full_scan_seconds;
  to->total_seconds += add.total_seconds;
}

// Decides the crop of each output frame and hands frames to FrameOutput in order. The face
// follower answers lookahead_frames() late, so frames wait in `pending_` until their crop is
// known (frames shown twice are shared, not copied). `follower_options` make the follower
// again after each long cut.
class CropStep {
 public:
  CropStep(const ClipPlan& plan, reframe::Layout layout, int source_width, int source_height,
           std::optional<reframe::FaceFollower> follower,
           const reframe::FaceFollowerOptions& follower_options, FrameOutput* output)
      : plan_(plan),
        layout_(layout),
        source_width_(source_width),
        source_height_(source_height),
        timeline_(plan.edit),
        follower_(std::move(follower)),
        follower_options_(follower_options),
        output_(output) {
    const auto& kept = timeline_.segments();
    for (size_t k = 1; k < kept.size(); ++k) {
      if (kept[k].start_ms - kept[k - 1].end_ms >= kNewShotCutMs) {  // the first frame after it
        new_shots_.push_back((kept[k].clip_start_ms * plan.edit.output.fps + 999) / 1000);
      }
    }
    const auto [cw, ch] = reframe::FillCropSize(source_width, source_height, plan.edit.output.width,
                                                plan.edit.output.height);
    crop_width_ = cw;
    crop_height_ = ch;
    for (const formats::EditCropKeyframe& k : plan.edit.crop_keyframes) {
      keyframes_.push_back({k.t_ms,
                            {static_cast<int>(k.x + 0.5), static_cast<int>(k.y + 0.5),
                             static_cast<int>(k.width + 0.5), static_cast<int>(k.height + 0.5)}});
    }
  }

  // The next output frame shows `frame`.
  Status Push(const FramePtr& frame) {
    const long long n = pushed_++;
    if (follower_) {
      bool new_shot = false;
      for (; next_shot_ < new_shots_.size() && new_shots_[next_shot_] <= n; ++next_shot_) {
        new_shot = true;
      }
      if (new_shot) RETURN_IF_ERROR(RestartFollower());
      RETURN_IF_ERROR(follower_->Push(*frame));
      pending_.push_back(frame);
      return Drain();
    }
    media::CropRect crop{0, 0, crop_width_, crop_height_};
    if (layout_ == reframe::Layout::kFill) {  // keyframes are on the VOD clock
      const TimeMs t_ms = timeline_.VodMsAt(n * 1000 / plan_.edit.output.fps);
      crop = reframe::CropAt(keyframes_, t_ms, source_width_, source_height_, crop_width_,
                             crop_height_);
    }
    return output_->Write(*frame, crop);
  }

  Status Finish() {
    if (!follower_) return Status::Ok();
    follower_->Finish();
    RETURN_IF_ERROR(Drain());
    if (!pending_.empty()) return InternalError(plan_.origin + ": face follower lost frames");
    return Status::Ok();
  }

  // All the followers' together; none when the crop does not follow faces.
  std::optional<reframe::FaceFollowerStats> face_stats() const {
    if (!follower_) return std::nullopt;
    reframe::FaceFollowerStats stats = earlier_stats_;
    AddStats(follower_->stats(), &stats);
    return stats;
  }

 private:
  // Drains the follower (every pending frame gets its crop) and starts a new one.
  Status RestartFollower() {
    follower_->Finish();
    RETURN_IF_ERROR(Drain());
    if (!pending_.empty()) return InternalError(plan_.origin + ": face follower lost frames");
    AddStats(follower_->stats(), &earlier_stats_);
    ASSIGN_OR_RETURN(reframe::FaceFollower next, reframe::FaceFollower::Create(follower_options_));
    follower_.emplace(std::move(next));
    return Status::Ok();
  }

  Status Drain() {
    while (auto crop = follower_->Pop()) {
      if (pending_.empty()) return InternalError(plan_.origin + ": face follower ran ahead");
      RETURN_IF_ERROR(output_->Write(*pending_.front(), *crop));
      pending_.pop_front();
    }
    return Status::Ok();
  }

  const ClipPlan& plan_;
  reframe::Layout layout_;
  int source_width_, source_height_;
  int crop_width_ = 0, crop_height_ = 0;
  formats::ClipTimeline timeline_;
  std::vector<reframe::CropKeyframe> keyframes_;
  std::optional<reframe::FaceFollower> follower_;
  reframe::FaceFollowerOptions follower_options_;
  reframe::FaceFollowerStats earlier_stats_;  // of the followers before this one
  std::vector<long long> new_shots_;          // output frames where a new follower starts
  size_t next_shot_ = 0;
  FrameOutput* output_;
  std::deque<FramePtr> pending_;
  long long pushed_ = 0;
};

Result<std::optional<captions::AssRenderer>> OpenCaptions(const ClipPlan& plan,
                                                          const Logger& logger) {
  if (plan.words.empty() && !plan.title) return std::optional<captions::AssRenderer>();
  const std::vector<captions::CaptionLine> lines =
      captions::GroupWords(plan.words, plan.caption_style);
  const std::string ass =
      captions::WriteKaraokeAss(lines, plan.caption_style, plan.edit.output.width,
                                plan.edit.output.height, plan.title ? &*plan.title : nullptr);
  auto renderer =
      captions::AssRenderer::Open(ass, plan.edit.output.width, plan.edit.output.height, logger);
  if (!renderer.ok()) return renderer.status().WithPrefix(plan.origin + ": captions");
  return std::optional<captions::AssRenderer>(std::move(*renderer));
}

// Removes a finished clip's files when a later step fails.
void RemoveOutputs(const std::string& video, const std::string& thumbnail) {
  std::error_code ec;
  std::filesystem::remove(video, ec);
  if (!thumbnail.empty()) std::filesystem::remove(thumbnail, ec);
}

// The window's level and the gain for the template's target (render/clip_loudness.h), noted in
// the result and the log.
Result<ClipLoudness> MeasureLoudness(const ClipPlan& plan, const RenderSettings& settings,
                                     RenderResult* result) {
  const formats::EditList& edit = plan.edit;
  Result<ClipLoudness> measured =
      MeasureClipLoudness(edit.source, formats::ClipTimeline(edit).segments(),
                          settings.audio_sample_rate_hz, settings.audio_channels, plan.brand.audio);
  if (!measured.ok()) return measured.status().WithPrefix(plan.origin + ": loudness");
  const media::LoudnessReading& in = measured->source;
  result->source_loudness_lufs = in.integrated_lufs;
  result->source_true_peak_dbtp = in.true_peak_dbtp;
  result->audio_gain_db = measured->gain.gain_db;
  CT_LOG(settings.logger, kInfo) << plan.origin << ": audio "
                                 << (in.integrated_lufs ? FormatDb(*in.integrated_lufs) : "silent")
                                 << " LUFS, true peak " << FormatDb(in.true_peak_dbtp)
                                 << " dBTP; gain " << FormatDb(measured->gain.gain_db) << " dB ("
                                 << media::GainLimitName(measured->gain.limit) << ")";
  return measured;
}

Result<RenderResult> Render(const ClipPlan& plan, const std::string& out_path,
                            const RenderSettings& settings, const RenderHooks& hooks) {
  Stopwatch clock;
  const formats::EditList& edit = plan.edit;
  RenderResult result;
  result.path = out_path;
  result.encoder = settings.video_encoder;

  ASSIGN_OR_RETURN(const reframe::LayoutChoice choice, ResolveLayout(plan));
  result.layout = choice.layout;
  result.layout_reason = choice.reason;
  CT_LOG(settings.logger, kInfo) << plan.origin << ": layout " << reframe::LayoutName(choice.layout)
                                 << " (" << choice.reason << ")";
  ASSIGN_OR_RETURN(std::optional<captions::AssRenderer> captions,
                   OpenCaptions(plan, settings.logger.WithModule("libass")));

  ASSIGN_OR_RETURN(auto decoder,
                   media::WindowDecoder::Open(
                       edit.source, {.start_ms = edit.start_ms,
                                     .end_ms = edit.end_ms,
                                     .width = 0,
                                     .height = 0,
                                     .format = media::PixelFormat::kYuv420p,
                                     .audio_sample_rate_hz = settings.audio_sample_rate_hz,
                                     .audio_channels = settings.audio_channels}));
  const int sw = decoder.source_width(), sh = decoder.source_height();
  ClipLoudness loudness;
  if (decoder.has_audio() && plan.brand.audio.normalize) {
    ASSIGN_OR_RETURN(loudness, MeasureLoudness(plan, settings, &result));
  }
  ASSIGN_OR_RETURN(reframe::Compositor compositor,
                   reframe::Compositor::Create({.layout = choice.layout,
                                                .source_width = sw,
                                                .source_height = sh,
                                                .out_width = edit.output.width,
                                                .out_height = edit.output.height,
                                                .split = choice.split}));
  result.panels = compositor.panels();
  result.facecam_source = compositor.facecam_source();
  if (plan.logo) result.logo_placement = plan.logo->placement();

  std::optional<reframe::FaceFollower> follower;
  reframe::FaceFollowerOptions fopts;
  if (choice.layout == reframe::Layout::kFill) {
    if (edit.crop_keyframes.empty()) {
      const auto [cw, ch] = reframe::FillCropSize(sw, sh, edit.output.width, edit.output.height);
      fopts.frame_width = sw;
      fopts.frame_height = sh;
      fopts.crop_width = cw;
      fopts.crop_height = ch;
      fopts.fps = edit.output.fps;
      ASSIGN_OR_RETURN(follower, reframe::FaceFollower::Create(fopts));
      result.crop_source = "face";
    } else {
      result.crop_source = "keyframes";
    }
  }

  media::Mp4WriterOptions wopts;
  wopts.width = edit.output.width;
  wopts.height = edit.output.height;
  wopts.fps = edit.output.fps;
  wopts.video_encoder = settings.video_encoder;
  wopts.preset = settings.preset;
  wopts.crf = settings.crf;
  wopts.threads = settings.threads;
  wopts.has_audio = true;
  wopts.audio_sample_rate_hz = settings.audio_sample_rate_hz;
  wopts.audio_channels = settings.audio_channels;
  wopts.audio_bit_rate = settings.audio_bit_rate;
  ASSIGN_OR_RETURN(auto writer, media::Mp4Writer::Open(out_path, wopts));

  // The window is decoded whole; frames and samples inside cuts are dropped on the way.
  const formats::ClipTimeline timeline(edit);
  CfrFramePicker picker(timeline, edit.output.fps);
  const AudioCutter audio_cuts(timeline, settings.audio_sample_rate_hz);
  const long long total_frames = picker.total_frames();
  // The audio runs exactly as long as the video: total_frames / fps seconds.
  AudioTrack audio(&writer, edit.start_ms,
                   total_frames * settings.audio_sample_rate_hz / edit.output.fps,
                   settings.audio_sample_rate_hz, settings.audio_channels, loudness.gain.linear());
  const long long thumbnail_index =
      ThumbnailFrameIndex(total_frames, edit.output.fps, plan.title ? plan.title->duration_ms : 0);
  FrameOutput output(plan, &compositor, captions ? &*captions : nullptr, &writer, total_frames,
                     thumbnail_index, settings, hooks, &result);
  CropStep crops(plan, choice.layout, sw, sh, std::move(follower), fopts, &output);

  {
    DecodeAhead source(std::move(decoder), settings.decode_ahead_frames);
    FramePtr held;  // the latest source frame, output once we know for how many frames
    media::DecodedItem item;
    while (true) {
      ASSIGN_OR_RETURN(bool more, source.Next(&item));
      if (!more) break;
      if (item.kind == media::DecodedItem::Kind::kAudio) {
        for (const media::AudioBuffer& kept : audio_cuts.Cut(item.audio)) {
          RETURN_IF_ERROR(audio.Add(kept));
        }
        continue;
      }
      const long long count = picker.Next(item.video.pts_ms);
      for (long long i = 0; held && i < count; ++i) RETURN_IF_ERROR(crops.Push(held));
      held = std::make_shared<const media::VideoFrame>(std::move(item.video));
    }
    if (!held) {
      return DataError(edit.source + ": no video frames between " + FormatClock(edit.start_ms) +
                       " and " + FormatClock(edit.end_ms));
    }
    const long long count = picker.Finish();
    for (long long i = 0; i < count; ++i) RETURN_IF_ERROR(crops.Push(held));
  }
  RETURN_IF_ERROR(crops.Finish());
  if (output.written() != total_frames) {
    return InternalError(plan.origin + ": wrote " + std::to_string(output.written()) +
                         " frames, expected " + std::to_string(total_frames));
  }
  if (auto stats = crops.face_stats()) result.face_stats = *stats;
  RETURN_IF_ERROR(audio.Finish());
  RETURN_IF_ERROR(writer.Finish());

  result.frames = output.written();
  result.duration_ms = result.frames * 1000 / edit.output.fps;
  if (settings.write_thumbnail) {
    result.thumbnail_path = ThumbnailPathFor(out_path);
    Status st = WriteJpeg(output.thumbnail(), result.thumbnail_path);
    if (!st.ok()) {
      RemoveOutputs(out_path, result.thumbnail_path);
      return st;
    }
  }
  if (hooks.progress) hooks.progress(1.0);
  result.seconds = clock.ElapsedSeconds();
  return result;
}

}  // namespace

Status ValidateEditList(const formats::EditList& edit, std::string_view origin,
                        const RenderSettings& settings) {
  return PlanClip(edit, origin, settings.template_dirs).status();
}

Result<RenderResult> RenderClip(const formats::EditList& edit, std::string_view origin,
                                const std::string& out_path, const RenderSettings& settings,
                                const RenderHooks& hooks) {
  ASSIGN_OR_RETURN(ClipPlan plan, PlanClip(edit, origin, settings.template_dirs));
  auto result = Render(plan, out_path, settings, hooks);
  if (!result.ok()) {
    // The writer removes its own partial file; a thumbnail is written only on success.
    return result.status().code() == StatusCode::kCancelled ? result.status()
                                                            : result.status().WithPrefix(out_path);
  }
  return result;
}

}  // namespace clipthat::render
