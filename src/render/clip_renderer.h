// RenderClip: one edit list to a vertical MP4 (and its thumbnail).
//
// The steps, each a small piece of its own:
//   1. validate and resolve (render/clip_plan.h): source, template, caption style, logo;
//   2. choose the layout (edit list, else template default, else a face survey of the window);
//   3. decode exactly [start_ms, end_ms) at source size in YUV 4:2:0 (media::WindowDecoder, on
//      its own thread a few frames ahead), picking frames for the output's constant rate
//      (render/frame_picker.h); the edit list's cuts are dropped here, frames and samples
//      (render/audio_cuts.h, with short fades at each join), so the kept segments play back
//      to back (formats/clip_timeline.h);
//   4. for `fill`, the crop of each output frame: from the edit list's crop keyframes when
//      present (a user's edit wins), else from the face follower (faces detected a few times a
//      second, tracked, smoothed; it looks ahead, so frames wait in a short queue; after a cut
//      of a second or more it starts afresh, as at a new shot);
//   5. compose the layout (reframe::Compositor), blend the karaoke captions and title card
//      (libass, on the clip's clock) and the logo, all in YUV: no RGB conversion per frame;
//   6. encode H.264 High + AAC, yuv420p, constant frame rate, MP4 with faststart
//      (media::Mp4Writer); audio in sync (render/audio_track.h) and levelled to the template's
//      loudness (-14 LUFS, true peak at most -1 dBTP by default; render/clip_loudness.h: the
//      window's audio is measured in a first, audio-only pass);
//   7. write the thumbnail JPEG next to the MP4 (a frame after the title card).
//
// A failed or cancelled render leaves no file behind (neither MP4 nor thumbnail). Errors start
// with the edit list's origin or the output path and name the field or the time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.h"
#include "core/result.h"
#include "core/time_units.h"
#include "formats/edit_list.h"
#include "media/scaler.h"
#include "reframe/face_follower.h"
#include "reframe/layout.h"

namespace clipthat::render {

struct RenderSettings {
  std::string video_encoder = "libx264";  // a libavcodec name; see render/encoder_select.h
  std::string preset = "veryfast";        // x264 preset (mapped to p1..p7 for NVENC)
  int crf = 20;                           // x264 CRF (NVENC: cq)
  int threads = 0;                        // encoder threads; 0 = automatic
  int audio_sample_rate_hz = 48000;
  int audio_channels = 2;
  // AAC bits per second. At 128 kb/s the encoder lifts sharp peaks by up to ~1 dB; at 192 kb/s
  // they stay within the loudness ceiling's margin (render/clip_loudness.h).
  int audio_bit_rate = 192000;
  std::vector<std::string> template_dirs;  // where template ids are looked up
  bool write_thumbnail = true;
  bool keep_crop_log = false;   // fill it into RenderResult::crop_log (tests, the editor)
  int decode_ahead_frames = 6;  // decoded frames waiting for the compositor at most
  Logger logger;
};

struct RenderHooks {
  std::function<void(double)> progress{};  // 0..1 within this clip
  std::function<bool()> cancelled{};       // polled once per output frame
};

struct RenderResult {
  std::string path;
  std::string thumbnail_path;  // empty when no thumbnail was asked for
  TimeMs duration_ms = 0;      // frames * 1000 / fps: the kept length, cuts taken out
  long long frames = 0;
  reframe::Layout layout = reframe::Layout::kFill;
  std::string layout_reason;
  std::string encoder;                    // libavcodec name used
  reframe::FaceFollowerStats face_stats;  // zero unless the face follower ran
  std::string crop_source;                // "face", "keyframes" or "" (not fill)
  std::vector<media::CropRect> crop_log;  // fill: the crop of each output frame (keep_crop_log)
  media::CropRect facecam_source;         // split: the source region in the top panel
  std::vector<media::CropRect> panels;    // where each panel lands in the output
  std::optional<media::CropRect> logo_placement;  // output pixels, when the template has a logo
  // Loudness normalisation: the window's level before it and the gain applied. Unmeasured
  // (nullopt, 0 dB) when the source has no audio or the template keeps the source's level;
  // nullopt with 0 dB also for a silent window.
  std::optional<double> source_loudness_lufs;
  double source_true_peak_dbtp = 0;
  double audio_gain_db = 0;
  double seconds = 0;  // wall time
};

// Checks `edit` as RenderClip would before doing any work (origin names it in errors).
Status ValidateEditList(const formats::EditList& edit, std::string_view origin,
                        const RenderSettings& settings);

// Renders `edit` to `out_path` (MP4) and, when asked, ThumbnailPathFor(out_path).
Result<RenderResult> RenderClip(const formats::EditList& edit, std::string_view origin,
                                const std::string& out_path, const RenderSettings& settings = {},
                                const RenderHooks& hooks = {});

}  // namespace clipthat::render
