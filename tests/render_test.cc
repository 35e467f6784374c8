// The vertical render end to end, on media made here, checked by the properties a viewer and
// the platforms care about: 1080x1920 H.264 High + AAC with faststart and the edit list's
// duration, picture and sound in sync, a moving face kept in frame without jitter, the facecam
// on top in a split, the spoken word highlighted on time, the logo where the template puts it,
// a user's crop keyframes obeyed, bad edit lists refused before any file exists.
//
// Renders run through the library (render::RenderClip) with x264 superfast, the fastest preset
// that still writes High profile (ultrafast drops CABAC and 8x8 transforms, which makes the
// stream Constrained Baseline); the renderer's result carries the crop of every frame.
#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
}

#include <cmath>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/files.h"
#include "formats/edit_list.h"
#include "media/window_decoder.h"
#include "reframe/crop_keyframes.h"
#include "render/clip_plan.h"
#include "render/clip_renderer.h"
#include "testing/media_fixtures.h"
#include "vision/face_detector.h"
#include "vision/testing/moving_face_media.h"

namespace clipthat {
namespace {

namespace fs = std::filesystem;
using formats::EditList;
using formats::LayoutMode;
using render::RenderResult;

constexpr int kFps = 30;
constexpr TimeMs kFrameMs = 1000 / kFps + 1;  // one output frame, rounded up

render::RenderSettings Fast() {
  render::RenderSettings s;
  s.preset = "superfast";
  s.keep_crop_log = true;
  return s;
}

// What libav says about the streams of an output file.
struct OutputFacts {
  std::string video_codec, audio_codec, pixel_format;
  int profile = 0, width = 0, height = 0;
  long long video_packets = 0;
  double video_seconds = 0, audio_seconds = 0;
};

OutputFacts Inspect(const std::string& path) {
  OutputFacts f;
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) return f;
  avformat_find_stream_info(fmt, nullptr);
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVStream* st = fmt->streams[i];
    const AVCodecParameters* par = st->codecpar;
    const double seconds = st->duration * av_q2d(st->time_base);
    if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
      f.video_codec = avcodec_get_name(par->codec_id);
      f.profile = par->profile;
      f.width = par->width;
      f.height = par->height;
      const char* pix = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format));
      f.pixel_format = pix ? pix : "";
      f.video_seconds = seconds;
      f.video_packets = st->nb_frames;
    } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
      f.audio_codec = avcodec_get_name(par->codec_id);
      f.audio_seconds = seconds;
    }
  }
  avformat_close_input(&fmt);
  return f;
}

// The properties every render must have.
void ExpectPlatformReady(const std::string& path, const EditList& edit, const RenderResult& r) {
  const OutputFacts f = Inspect(path);
  EXPECT_EQ(f.video_codec, "h264");
  EXPECT_EQ(f.profile, FF_PROFILE_H264_HIGH);
  EXPECT_EQ(f.pixel_format, "yuv420p");
  EXPECT_EQ(f.width, 1080);
  EXPECT_EQ(f.height, 1920);
  EXPECT_EQ(f.audio_codec, "aac");
  const TimeMs kept_ms = edit.kept_duration_ms();  // the window less its cuts
  const long long want_frames = (kept_ms * kFps + 999) / 1000;
  EXPECT_EQ(r.frames, want_frames);
  EXPECT_EQ(f.video_packets, want_frames);
  EXPECT_NEAR(f.video_seconds * 1000, static_cast<double>(kept_ms), kFrameMs);
  EXPECT_NEAR(f.audio_seconds * 1000, static_cast<double>(kept_ms), kFrameMs);
  // Faststart: the index (moov) before the media data (mdat).
  const auto moov = testing::FindTopLevelBox(path, "moov");
  const auto mdat = testing::FindTopLevelBox(path, "mdat");
  EXPECT_GE(moov, 0);
  EXPECT_LT(moov, mdat);
  EXPECT_TRUE(fs::exists(r.thumbnail_path));
}

// Decodes every frame of `path` in `format`, in order; fn(frame, index).
void ForEachFrame(const std::string& path, media::PixelFormat format,
                  const std::function<void(const media::VideoFrame&, long long)>& fn) {
  auto decoder = media::WindowDecoder::Open(path, {.start_ms = 0,
                                                   .end_ms = -1,
                                                   .width = 0,
                                                   .height = 0,
                                                   .format = format,
                                                   .audio_sample_rate_hz = 48000,
                                                   .audio_channels = 0});
  ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
  media::DecodedItem item;
  long long n = 0;
  while (true) {
    auto more = decoder->Next(&item);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    if (item.kind == media::DecodedItem::Kind::kVideo) fn(item.video, n++);
  }
}

// A region of a BGR frame as its own frame.
media::VideoFrame Cut(const media::VideoFrame& bgr, const media::CropRect& r) {
  media::VideoFrame out;
  out.Allocate(r.width, r.height, media::PixelFormat::kBgr24);
  for (int y = 0; y < r.height; ++y) {
    std::copy_n(&bgr.data[(static_cast<size_t>(r.y + y) * bgr.width + r.x) * 3], r.width * 3,
                &out.data[static_cast<size_t>(y) * r.width * 3]);
  }
  return out;
}

// Pixels of a BGR frame within `tolerance` of (r, g, b) in rows [y0, y1).
int CountColour(const media::VideoFrame& bgr, int r, int g, int b, int y0, int y1,
                int tolerance = 60) {
  int count = 0;
  for (int y = std::max(0, y0); y < std::min(bgr.height, y1); ++y) {
    const std::uint8_t* p = &bgr.data[static_cast<size_t>(y) * bgr.width * 3];
    for (int x = 0; x < bgr.width; ++x, p += 3) {
      if (std::abs(p[0] - b) < tolerance && std::abs(p[1] - g) < tolerance &&
          std::abs(p[2] - r) < tolerance) {
        ++count;
      }
    }
  }
  return count;
}

class RenderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::QuietLibavLogs();
    dir_ = new TempDir("clipthat-render-test");
    // A face that is still, pans across, and is still again (1920x1080, 30 fps, 6 s).
    auto pan = vision::testing::WriteMovingFaceMedia(dir_->path() / "pan.mp4");
    ASSERT_TRUE(pan.ok()) << pan.status().ToString();
    pan_ = new vision::testing::MovingFaceMedia(std::move(*pan));
  }
  static void TearDownTestSuite() {
    delete pan_;
    delete dir_;
  }
  static std::string Out(const std::string& name) { return (dir_->path() / name).string(); }
  // The whole pan clip, face-tracked in `fill`.
  static EditList WholePanInFill() {
    EditList edit;
    edit.source = pan_->path;
    edit.start_ms = 0;
    edit.end_ms = pan_->spec.duration_ms;
    edit.layout = LayoutMode::kFill;
    return edit;
  }

  static TempDir* dir_;
  static vision::testing::MovingFaceMedia* pan_;
};
TempDir* RenderTest::dir_ = nullptr;
vision::testing::MovingFaceMedia* RenderTest::pan_ = nullptr;

TEST_F(RenderTest, FillFollowsTheMovingFaceWithoutJitter) {
  EditList edit = WholePanInFill();
  edit.captions.words = {{"watch", 500, 900}, {"this", 900, 1300}, {"face", 3000, 3500}};
  const std::string out = Out("fill.mp4");
  auto r = render::RenderClip(edit, "fill", out, Fast());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectPlatformReady(out, edit, *r);
  EXPECT_EQ(r->layout, reframe::Layout::kFill);
  EXPECT_EQ(r->crop_source, "face");
  EXPECT_GT(r->face_stats.detections_run, 0);
  ASSERT_EQ(static_cast<long long>(r->crop_log.size()), r->frames);

  // The face (the fixture's truth) is inside the crop in >= 95% of the frames.
  int inside = 0;
  for (long long n = 0; n < r->frames; ++n) {
    const vision::FaceBox face = pan_->FaceBoxAt(n * 1000 / kFps);
    const media::CropRect& c = r->crop_log[n];
    if (face.x >= c.x - 2 && face.x + face.width <= c.x + c.width + 2 && face.y >= c.y - 2 &&
        face.y + face.height <= c.y + c.height + 2) {
      ++inside;
    }
  }
  EXPECT_GE(inside, static_cast<int>(std::ceil(0.95 * r->frames)))
      << inside << " of " << r->frames << " frames have the face inside the crop";

  // While the face is still, the crop does not move: mean frame-to-frame displacement < 1 px.
  // The path may start moving half a second early (its lookahead), so the still stretches
  // checked are the first second and the last 1.5 s.
  auto jitter = [&](long long from, long long to) {
    double sum = 0;
    for (long long n = from + 1; n < to; ++n) {
      sum += std::hypot(r->crop_log[n].x - r->crop_log[n - 1].x,
                        r->crop_log[n].y - r->crop_log[n - 1].y);
    }
    return sum / static_cast<double>(std::max(1LL, to - from - 1));
  };
  EXPECT_LT(jitter(0, kFps), 1.0);
  EXPECT_LT(jitter(r->frames - kFps * 3 / 2, r->frames), 1.0);
  // And it did pan: from the left third to the right third.
  EXPECT_GT(r->crop_log.back().x - r->crop_log.front().x, 400);
}

TEST_F(RenderTest, FillFollowsTheFaceAcrossACut) {
  // A cut in the middle of the pan: the face jumps at the join, and the crop cuts with it (the
  // follower starts afresh after a long cut) rather than easing over for a second.
  EditList edit = WholePanInFill();
  edit.cuts = {{2000, 3500}};
  const std::string out = Out("fill-cut.mp4");
  auto r = render::RenderClip(edit, "fill-cut", out, Fast());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectPlatformReady(out, edit, *r);
  EXPECT_EQ(r->crop_source, "face");
  ASSERT_EQ(static_cast<long long>(r->crop_log.size()), r->frames);
  int inside = 0;
  for (long long n = 0; n < r->frames; ++n) {
    const TimeMs clip_ms = n * 1000 / kFps;
    const vision::FaceBox face = pan_->FaceBoxAt(clip_ms < 2000 ? clip_ms : clip_ms + 1500);
    const media::CropRect& c = r->crop_log[n];
    if (face.x >= c.x - 2 && face.x + face.width <= c.x + c.width + 2) ++inside;
  }
  EXPECT_GE(inside, static_cast<int>(std::ceil(0.95 * r->frames)))
      << inside << " of " << r->frames << " frames have the face inside the crop";
  EXPECT_GT(r->crop_log[60].x - r->crop_log[59].x, 400);  // clip 2 s: the join
  EXPECT_GT(r->face_stats.detections_run, 0);
}

TEST_F(RenderTest, SplitPutsTheFaceInTheTopPanel) {
  vision::testing::MovingFaceSpec spec;
  spec.motion = vision::testing::FaceMotion::kStill;
  spec.duration_ms = 3000;
  auto still = vision::testing::WriteMovingFaceMedia(dir_->path() / "still.mp4", spec);
  ASSERT_TRUE(still.ok()) << still.status().ToString();
  EditList edit;
  edit.source = still->path;
  edit.start_ms = 0;
  edit.end_ms = 3000;
  edit.layout = LayoutMode::kSplit;
  const std::string out = Out("split.mp4");
  auto r = render::RenderClip(edit, "split", out, Fast());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectPlatformReady(out, edit, *r);
  ASSERT_EQ(r->layout, reframe::Layout::kSplit);
  ASSERT_GE(r->panels.size(), 2u);
  const media::CropRect top = r->panels[0];
  EXPECT_EQ(top.y, 0);
  EXPECT_LT(top.y + top.height, 1920 / 2);
  // The truth: the face's centre is in the source region shown in the top panel.
  const vision::FaceBox truth = still->FaceBoxAt(1000);
  const media::CropRect cam = r->facecam_source;
  EXPECT_GE(truth.center_x(), cam.x);
  EXPECT_LE(truth.center_x(), cam.x + cam.width);
  EXPECT_GE(truth.center_y(), cam.y);
  EXPECT_LE(truth.center_y(), cam.y + cam.height);
  // And a face detector finds the face in the top panel of the rendered picture.
  auto detector = vision::FaceDetector::Open();
  ASSERT_TRUE(detector.ok()) << detector.status().ToString();
  int checked = 0, found = 0;
  ForEachFrame(out, media::PixelFormat::kYuv420p, [&](const media::VideoFrame& frame, long long n) {
    if (n % 30 != 15) return;
    ++checked;
    auto faces = detector->Detect(frame);
    ASSERT_TRUE(faces.ok());
    for (const vision::FaceBox& f : *faces) {
      if (f.center_y() >= top.y && f.center_y() < top.y + top.height && f.width > 200) {
        ++found;
        break;
      }
    }
  });
  EXPECT_EQ(checked, 3);
  EXPECT_EQ(found, checked);
}

TEST_F(RenderTest, CaptionsLogoAndSync) {
  // Test media whose frames carry their index and whose tone is on for the first half of each
  // second; the clip starts 250 ms into a second.
  auto src = testing::MakeTestMedia(dir_->path() / "coded.mp4",
                                    {.duration_ms = 6000, .width = 640, .height = 360});
  ASSERT_TRUE(src.ok()) << src.status().ToString();
  // A template with an opaque blue logo at the top right.
  cv::Mat logo(100, 200, CV_8UC4, cv::Scalar(255, 0, 0, 255));
  ASSERT_TRUE(cv::imwrite((dir_->path() / "logo.png").string(), logo));
  const nlohmann::json tmpl = {{"version", 1},
                               {"id", "test"},
                               {"name", "Test"},
                               {"captions", {{"preset", "bold"}}},
                               {"logo",
                                {{"path", "logo.png"},
                                 {"position", "top-right"},
                                 {"width_fraction", 0.2},
                                 {"opacity", 1.0},
                                 {"margin_px", 40}}}};
  const std::string tmpl_path = (dir_->path() / "test-template.json").string();
  ASSERT_TRUE(WriteFileAtomically(tmpl_path, tmpl.dump()).ok());

  EditList edit;
  edit.source = *src;
  edit.start_ms = 1250;
  edit.end_ms = 5250;
  edit.layout = LayoutMode::kFit;
  edit.template_ref = tmpl_path;
  // Words far apart (> the style's max gap), so each is its own caption and is on screen only
  // from its own start: pure green when spoken.
  edit.captions.style = {{"preset", "bold"}, {"active_color", "#00FF00"}};
  const std::vector<formats::EditWord> words = {
      {"one", 1750, 2150}, {"two", 2950, 3350}, {"three", 4150, 4550}};
  edit.captions.words = words;
  const std::string out = Out("coded.mp4");
  auto r = render::RenderClip(edit, "coded", out, Fast());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectPlatformReady(out, edit, *r);
  ASSERT_TRUE(r->logo_placement.has_value());
  const media::CropRect logo_at = *r->logo_placement;
  // Top-right, 20% of the width, 40 px margins.
  EXPECT_NEAR(logo_at.width, 216, 2);
  EXPECT_NEAR(logo_at.x + logo_at.width, 1080 - 40, 2);
  EXPECT_NEAR(logo_at.y, 40, 2);
  const media::CropRect panel = r->panels.at(0);  // the fitted picture

  int readable = 0, in_sync = 0, logo_ok = 0;
  std::vector<int> green(r->frames, 0);
  ForEachFrame(out, media::PixelFormat::kBgr24, [&](const media::VideoFrame& f, long long n) {
    // Picture: output frame n shows source frame (1250 ms + n / 30 s) * 30.
    const int index = testing::ReadFrameIndex(Cut(f, panel));
    if (index >= 0) {
      ++readable;
      if (index == static_cast<int>((edit.start_ms * kFps / 1000 + n) % 4096)) ++in_sync;
    }
    // Logo: blue inside its rectangle, not just left of it.
    const int cx = logo_at.x + logo_at.width / 2, cy = logo_at.y + logo_at.height / 2;
    const std::uint8_t* in = &f.data[(static_cast<size_t>(cy) * f.width + cx) * 3];
    const std::uint8_t* left = &f.data[(static_cast<size_t>(cy) * f.width + logo_at.x - 12) * 3];
    if (in[0] > 180 && in[1] < 80 && in[2] < 80 && !(left[0] > 180 && left[1] < 80)) ++logo_ok;
    green[n] = CountColour(f, 0, 255, 0, 0, 1920);
  });
  EXPECT_GE(readable, r->frames * 9 / 10);
  EXPECT_EQ(in_sync, readable);
  EXPECT_EQ(logo_ok, r->frames);

  // Each word is green while it is spoken and not before.
  for (const formats::EditWord& w : words) {
    const long long spoken = ((w.start_ms - edit.start_ms) * kFps + 999) / 1000 + 1;
    const long long before = (w.start_ms - edit.start_ms - 200) * kFps / 1000;
    EXPECT_GT(green[spoken], 300) << w.text << " at frame " << spoken;
    EXPECT_LT(green[before], 20) << w.text << " before, frame " << before;
  }

  // Sound: the source tone turns on at each whole second, 750 ms into the clip, then every
  // second; the onset is found within one frame.
  auto audio = testing::DecodeAllAudio(out);
  ASSERT_TRUE(audio.ok()) << audio.status().ToString();
  for (TimeMs expected : {750, 1750, 2750}) {
    TimeMs onset = -1;
    for (TimeMs t = expected - 200; t < expected + 200; t += 2) {
      if (testing::RmsBetween(*audio, t, t + 4) > 0.05) {
        onset = t;
        break;
      }
    }
    EXPECT_NEAR(static_cast<double>(onset), static_cast<double>(expected), kFrameMs)
        << "tone onset expected at " << expected << " ms";
  }
}

TEST_F(RenderTest, CutsAreLeftOutOfPictureSoundAndCaptions) {
  // Frames carry their index; the tone is on for the first half of each second.
  auto src = testing::MakeTestMedia(dir_->path() / "cuts-source.mp4",
                                    {.duration_ms = 6000, .width = 640, .height = 360});
  ASSERT_TRUE(src.ok()) << src.status().ToString();
  EditList edit;
  edit.source = *src;
  edit.start_ms = 1000;
  edit.end_ms = 6000;
  edit.layout = LayoutMode::kFit;
  // A 2 s cut, and a half-second one that holds a whole burst of the tone (the 2 s cut alone
  // would keep the tone's once-a-second rhythm, so it could not show where sound went).
  edit.cuts = {{1500, 3500}, {4000, 4500}};
  edit.captions.style = {{"preset", "bold"}, {"active_color", "#00FF00"}};
  edit.captions.words = {{"kept", 1100, 1400},
                         {"deleted", 2000, 2400},
                         {"edge", 3300, 3700},
                         {"gone", 4100, 4400},
                         {"late", 5000, 5400}};
  // Kept: VOD [1000, 1500) [3500, 4000) [4500, 6000) -> clip [0, 500) [500, 1000) [1000, 2500).
  auto plan = render::PlanClip(edit, "cuts", {});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->words.size(), 3u);
  EXPECT_EQ(plan->words[0].text, "kept");
  EXPECT_EQ(plan->words[0].start_ms, 100);
  EXPECT_EQ(plan->words[1].text, "edge");  // shortened to the kept side of the cut
  EXPECT_EQ(plan->words[1].start_ms, 500);
  EXPECT_EQ(plan->words[1].end_ms, 700);
  EXPECT_EQ(plan->words[2].text, "late");
  EXPECT_EQ(plan->words[2].start_ms, 1500);
  EXPECT_EQ(plan->words[2].end_ms, 1900);

  const std::string out = Out("cuts.mp4");
  auto r = render::RenderClip(edit, "cuts", out, Fast());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectPlatformReady(out, edit, *r);  // 2500 ms: the 5 s window less 2.5 s of cuts
  EXPECT_EQ(r->frames, 75);
  EXPECT_EQ(r->duration_ms, 2500);
  const OutputFacts facts = Inspect(out);
  EXPECT_NEAR(facts.video_seconds * 1000, 5000 - 2500, kFrameMs);

  // Picture: output frame n shows the source frame at the VOD time its clip time maps to.
  const media::CropRect panel = r->panels.at(0);
  int readable = 0, in_place = 0;
  std::vector<int> green(r->frames, 0);
  ForEachFrame(out, media::PixelFormat::kBgr24, [&](const media::VideoFrame& f, long long n) {
    const int index = testing::ReadFrameIndex(Cut(f, panel));
    const long long want = n < 15 ? 30 + n : n < 30 ? 90 + n : 105 + n;
    if (index >= 0) {
      ++readable;
      if (index == want) ++in_place;
    }
    if (n < r->frames) green[n] = CountColour(f, 0, 255, 0, 0, 1920);
  });
  EXPECT_GE(readable, r->frames * 9 / 10);
  EXPECT_EQ(in_place, readable);
  // Captions on the clip's clock: "late" is lit 1.5 s in (frame 45), "kept" at 0.1 s.
  EXPECT_GT(green[4], 300);
  EXPECT_GT(green[46], 300);

  // Sound: tone at clip [0, 500) (VOD 1000) and [1500, 2000) (VOD 5000); the burst at VOD
  // [4000, 4500) was cut, so clip [1000, 1500) is quiet where it would otherwise sound.
  auto audio = testing::DecodeAllAudio(out);
  ASSERT_TRUE(audio.ok()) << audio.status().ToString();
  EXPECT_GT(testing::RmsBetween(*audio, 100, 400), 0.1);
  EXPECT_LT(testing::RmsBetween(*audio, 600, 900), 0.02);
  EXPECT_LT(testing::RmsBetween(*audio, 1100, 1400), 0.02);
  EXPECT_GT(testing::RmsBetween(*audio, 1600, 1900), 0.1);
  EXPECT_LT(testing::RmsBetween(*audio, 2100, 2400), 0.02);
}

TEST_F(RenderTest, UserCropKeyframesAreObeyed) {
  EditList edit;
  edit.source = pan_->path;
  edit.start_ms = 1000;
  edit.end_ms = 3000;
  edit.layout = LayoutMode::kFill;
  // The user keeps the crop at the right edge, then moves it to the left: against the face.
  edit.crop_keyframes = {{1000, 1300, 0, 608, 1080}, {2500, 100, 0, 608, 1080}};
  const std::string out = Out("keys.mp4");
  auto r = render::RenderClip(edit, "keys", out, Fast());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->crop_source, "keyframes");
  EXPECT_EQ(r->face_stats.detections_run, 0);
  ASSERT_EQ(static_cast<long long>(r->crop_log.size()), r->frames);
  const std::vector<reframe::CropKeyframe> keys = {{1000, {1300, 0, 608, 1080}},
                                                   {2500, {100, 0, 608, 1080}}};
  for (long long n = 0; n < r->frames; ++n) {
    const media::CropRect want =
        reframe::CropAt(keys, edit.start_ms + n * 1000 / kFps, 1920, 1080, 608, 1080);
    ASSERT_EQ(r->crop_log[n].x, want.x) << "frame " << n;
    ASSERT_EQ(r->crop_log[n].y, want.y) << "frame " << n;
  }
  EXPECT_EQ(r->crop_log.front().x, 1300);  // at a keyframe, exactly the keyframe
  EXPECT_EQ(r->crop_log[45].x, 100);       // 2500 ms
  EXPECT_EQ(r->crop_log.back().x, 100);
}

TEST_F(RenderTest, CropKeyframesStayOnTheVodClockAcrossCuts) {
  EditList edit;
  edit.source = pan_->path;
  edit.start_ms = 1000;
  edit.end_ms = 4000;
  edit.layout = LayoutMode::kFill;
  edit.cuts = {{1500, 2500}};
  edit.crop_keyframes = {{1000, 1300, 0, 608, 1080}, {3000, 100, 0, 608, 1080}};
  const std::string out = Out("keys-cut.mp4");
  auto r = render::RenderClip(edit, "keys-cut", out, Fast());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->frames, 60);
  ASSERT_EQ(static_cast<long long>(r->crop_log.size()), r->frames);
  const std::vector<reframe::CropKeyframe> keys = {{1000, {1300, 0, 608, 1080}},
                                                   {3000, {100, 0, 608, 1080}}};
  for (long long n = 0; n < r->frames; ++n) {
    const TimeMs clip_ms = n * 1000 / kFps;
    const TimeMs vod_ms = clip_ms < 500 ? 1000 + clip_ms : 2000 + clip_ms;
    const media::CropRect want = reframe::CropAt(keys, vod_ms, 1920, 1080, 608, 1080);
    ASSERT_EQ(r->crop_log[n].x, want.x) << "frame " << n;
  }
  EXPECT_EQ(r->crop_log[45].x, 100);  // clip 1.5 s is VOD 3 s, the second keyframe
}

TEST_F(RenderTest, BadEditListsAreRejectedBeforeAnyFileExists) {
  const fs::path not_image = dir_->path() / "logo.txt";
  ASSERT_TRUE(WriteFileAtomically(not_image, "not a picture").ok());
  const std::string bad_logo_template = (dir_->path() / "bad-logo.json").string();
  ASSERT_TRUE(WriteFileAtomically(bad_logo_template,
                                  nlohmann::json{{"version", 1},
                                                 {"id", "bad"},
                                                 {"name", "Bad"},
                                                 {"logo", {{"path", not_image.string()}}}}
                                      .dump())
                  .ok());
  const nlohmann::json good = {
      {"version", 1},
      {"source", pan_->path},
      {"start_ms", 1000},
      {"end_ms", 3000},
      {"layout", "fill"},
      {"captions", {{"words", {{{"text", "hi"}, {"start_ms", 1100}, {"end_ms", 1300}}}}}}};
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> edit;
    const char* field;  // must appear in the message
  };
  const std::vector<Case> cases = {
      {"negative time", [](auto& j) { j["start_ms"] = -1000; }, "bad.json: start_ms"},
      {"end before start", [](auto& j) { j["end_ms"] = 500; }, "bad.json: end_ms"},
      {"end past the VOD", [](auto& j) { j["end_ms"] = 60000; },
       "bad.json: end_ms: 60000 is past the end"},
      {"unknown layout", [](auto& j) { j["layout"] = "grid"; }, "bad.json: layout"},
      {"missing font",
       [](auto& j) {
         j["captions"]["style"] = {{"font_family", "No Such Font Xyz"}};
       },
       "bad.json: captions.style.font_family"},
      {"logo not an image", [&](auto& j) { j["template"] = bad_logo_template; }, "logo.path"},
  };
  for (const Case& c : cases) {
    nlohmann::json j = good;
    c.edit(j);
    const std::string out = Out(std::string("bad-") + std::to_string(&c - cases.data()) + ".mp4");
    Status st;
    auto edit = formats::EditListFromJson(j, "bad.json", formats::CommandLineRules());
    if (!edit.ok()) {
      st = edit.status();
    } else {
      auto r = render::RenderClip(*edit, "bad.json", out, Fast());
      ASSERT_FALSE(r.ok()) << c.what;
      st = r.status();
    }
    EXPECT_NE(st.message().find(c.field), std::string::npos) << c.what << ": " << st.message();
    EXPECT_FALSE(fs::exists(out)) << c.what;
    EXPECT_FALSE(fs::exists(out + ".partial")) << c.what;
  }
}

}  // namespace
}  // namespace clipthat
