// The layout chooser on sample-stream pictures: `clipthat sample`'s own painters (gameplay looks
// and the facecam with the real face photo) draw frames at 720p, 1080p and 1440p with the camera
// in each corner, along edges, small (8% of the frame width) or large, with or without its
// border; the face survey and ChooseLayout run on them, and the split must show the camera (its
// rectangle found within IoU 0.7 of the true one, the face in the top panel's source region) and
// keep it out of the gameplay panel. Streams without a camera get fit, a full-frame camera fill.
//
// Most cases feed the painted frames straight to vision::FaceSurveyBuilder (no encoding, ~0.3 s
// each); a few are encoded as the sample stream is (x264 veryfast, CRF 28, a keyframe a second)
// and surveyed from the file, keyframes only, as `clipthat render` does. One case runs the real
// binary: `clipthat sample` with the facecam flags, then `clipthat render --layout auto`.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <string>
#include <vector>

#include "command_runner.h"
#include "core/files.h"
#include "media/mp4_writer.h"
#include "media/window_decoder.h"
#include "reframe/compositor.h"
#include "reframe/layout_chooser.h"
#include "sample/facecam.h"
#include "sample/sample_options.h"
#include "sample/scene_painter.h"
#include "sample/stream_plan.h"
#include "testing/media_fixtures.h"
#include "vision/face_detector.h"
#include "vision/face_survey.h"

namespace clipthat {
namespace {

namespace fs = std::filesystem;
using sample::FacecamOptions;
using sample::FacecamPosition;

struct Case {
  int width = 1920, height = 1080;
  FacecamOptions cam;
  int look = 0;  // the gameplay look (sample::ScenePainter)

  std::string Name() const {
    return std::to_string(width) + "x" + std::to_string(height) + " " +
           std::string(sample::FacecamPositionName(cam.position)) + " " +
           std::to_string(cam.width_pct) + "%" + (cam.border ? "" : " no border") + " look " +
           std::to_string(look);
  }
};

Case Make(int width, int height, FacecamPosition position, int width_pct, int look,
          bool border = true) {
  Case c;
  c.width = width;
  c.height = height;
  c.cam.position = position;
  c.cam.width_pct = width_pct;
  c.cam.border = border;
  c.look = look;
  return c;
}

double IoU(const media::CropRect& a, const media::CropRect& b) {
  return vision::IntersectionOverUnion(
      {double(a.x), double(a.y), double(a.width), double(a.height)},
      {double(b.x), double(b.y), double(b.width), double(b.height)});
}

bool Inside(double x, double y, const media::CropRect& r) {
  return x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height;
}

bool Overlap(const media::CropRect& a, const media::CropRect& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

// The picture of the sample stream at `t_s`: gameplay, then the camera, as the piece renderer
// draws them.
class StreamPicture {
 public:
  StreamPicture(const Case& c, const sample::FacePhoto& photo)
      : case_(c), scene_(c.width, c.height, c.look, 1000 + c.look) {
    box_ = sample::FacecamBox(c.cam, c.width, c.height);
    if (!box_.empty()) {
      const bool line = c.cam.border && c.cam.position != FacecamPosition::kFull;
      painter_.emplace(photo, box_,
                       line ? sample::FacecamBorder::kLine : sample::FacecamBorder::kNone);
    }
    bgr_.create(c.height, c.width, CV_8UC3);
  }

  const cv::Mat& Paint(double t_s) {
    scene_.Paint(bgr_, t_s, 0);
    if (painter_) painter_->Paint(bgr_, t_s, 0);
    return bgr_;
  }

  media::VideoFrame Frame(double t_s) {
    Paint(t_s);
    media::VideoFrame f;
    f.Allocate(case_.width, case_.height, media::PixelFormat::kBgr24);
    f.pts_ms = static_cast<TimeMs>(t_s * 1000);
    std::memcpy(f.data.data(), bgr_.data, f.data.size());
    return f;
  }

  // The camera as drawn, its border line included.
  media::CropRect TrueCamera() const {
    if (box_.empty()) return {};
    const int half = case_.cam.border ? sample::FacecamBorderPx(box_.width) / 2 : 0;
    return {box_.x - half, box_.y - half, box_.width + 2 * half, box_.height + 2 * half};
  }

 private:
  Case case_;
  sample::ScenePainter scene_;
  cv::Rect box_;
  std::optional<sample::FacecamPainter> painter_;
  cv::Mat bgr_;
};

// Sample times: keyframes of a 2 s GOP stream, as the survey of an 8 s window picks them.
const std::vector<double> kTimes = {0.5, 2.5, 4.5, 6.5};

class FacecamLayoutTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::QuietLibavLogs();
    auto photo = sample::LoadFacePhoto();
    ASSERT_TRUE(photo.ok()) << photo.status().ToString();
    photo_ = new sample::FacePhoto(std::move(*photo));
    auto detector = vision::FaceDetector::Open();
    ASSERT_TRUE(detector.ok()) << detector.status().ToString();
    detector_ = new vision::FaceDetector(std::move(*detector));
  }
  static void TearDownTestSuite() {
    delete photo_;
    delete detector_;
  }

  vision::FaceSurvey SurveyPainted(const Case& c) {
    StreamPicture picture(c, *photo_);
    vision::FaceSurveyBuilder builder(c.width, c.height, 8000, *detector_);
    for (double t : kTimes) {
      Status st = builder.Add(picture.Frame(t));
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
    return builder.Finish();
  }

  enum class Frame { kFound, kMaybeHidden };

  // The split the chooser made for `c` shows the camera on top and keeps it out of the
  // gameplay panel. kFound: the camera's rectangle must be found (IoU >= 0.7 with the true
  // one); kMaybeHidden: a borderless camera whose sides may not show, the box around the face
  // will do.
  void ExpectSplitOnTheCamera(const Case& c, const vision::FaceSurvey& survey,
                              Frame frame = Frame::kFound) {
    SCOPED_TRACE(c.Name());
    const reframe::LayoutChoice choice = reframe::ChooseLayout(survey);
    StreamPicture picture(c, *photo_);
    const media::CropRect truth = picture.TrueCamera();
    ASSERT_EQ(choice.layout, reframe::Layout::kSplit) << choice.reason;
    ASSERT_TRUE(survey.main_face.has_value());
    const vision::FaceBox& face = *survey.main_face;
    // The face found is the streamer's, in the camera.
    EXPECT_TRUE(Inside(face.center_x(), face.center_y(), truth));
    // The camera's own rectangle was found, close to the true one.
    if (frame == Frame::kFound) {
      ASSERT_TRUE(survey.facecam.has_value()) << choice.reason;
    }
    EXPECT_GE(IoU(choice.split.facecam, truth), frame == Frame::kFound ? 0.7 : 0.25)
        << "found " << choice.split.facecam.x << "," << choice.split.facecam.y << " "
        << choice.split.facecam.width << "x" << choice.split.facecam.height << ", true " << truth.x
        << "," << truth.y << " " << truth.width << "x" << truth.height;
    // The panels: the face in the top panel's source region; no camera in the gameplay one.
    auto compositor = reframe::Compositor::Create({.layout = reframe::Layout::kSplit,
                                                   .source_width = c.width,
                                                   .source_height = c.height,
                                                   .split = choice.split});
    ASSERT_TRUE(compositor.ok()) << compositor.status().ToString();
    const media::CropRect top = compositor->facecam_source();
    EXPECT_TRUE(Inside(face.center_x(), face.center_y(), top));
    EXPECT_TRUE(Inside(face.x + 0.2 * face.width, face.y + 0.2 * face.height, top) &&
                Inside(face.x + 0.8 * face.width, face.y + 0.8 * face.height, top))
        << "the face is cut by the top panel";
    const media::CropRect bottom = compositor->gameplay_source();
    EXPECT_FALSE(Overlap(bottom, truth)) << "gameplay " << bottom.x << "," << bottom.y << " "
                                         << bottom.width << "x" << bottom.height;
    EXPECT_GE(bottom.height, c.height / 2) << "the gameplay panel shows too little";
  }

  static sample::FacePhoto* photo_;
  static vision::FaceDetector* detector_;
};

sample::FacePhoto* FacecamLayoutTest::photo_ = nullptr;
vision::FaceDetector* FacecamLayoutTest::detector_ = nullptr;

constexpr FacecamPosition kCorners[] = {FacecamPosition::kTopLeft, FacecamPosition::kTopRight,
                                        FacecamPosition::kBottomLeft,
                                        FacecamPosition::kBottomRight};

TEST_F(FacecamLayoutTest, SmallCameraInEachCornerAtEachSize) {
  const int sizes[][2] = {{1280, 720}, {1920, 1080}, {2560, 1440}};
  int look = 0;
  for (const auto& size : sizes) {
    for (FacecamPosition corner : kCorners) {
      const Case c = Make(size[0], size[1], corner, 8, look++ % sample::kLookCount);
      ExpectSplitOnTheCamera(c, SurveyPainted(c));
    }
  }
}

TEST_F(FacecamLayoutTest, CamerasOfOtherSizesAlongEdgesAndWithoutBorder) {
  const Case cases[] = {
      Make(1920, 1080, FacecamPosition::kBottomLeft, 30, 0),  // the default sample stream
      Make(1280, 720, FacecamPosition::kBottomLeft, 15, 1),   // the reported stream
      Make(1920, 1080, FacecamPosition::kTopRight, 20, 2),
      Make(2560, 1440, FacecamPosition::kBottomRight, 12, 3),
      Make(1920, 1080, FacecamPosition::kTop, 12, 4),
      Make(1920, 1080, FacecamPosition::kLeft, 10, 5),
      Make(1280, 720, FacecamPosition::kRight, 18, 3),
      Make(1920, 1080, FacecamPosition::kBottomLeft, 12, 3, false),
      Make(2560, 1440, FacecamPosition::kTopLeft, 20, 0, false),
      Make(1280, 720, FacecamPosition::kTopRight, 10, 1, false),
  };
  for (const Case& c : cases) ExpectSplitOnTheCamera(c, SurveyPainted(c));
  // No border on the space shooter's black sky: the photo's dark background meets the game
  // unseen on the camera's left and top, so there may be no rectangle to find; the split still
  // shows the face on top and keeps the camera out of the gameplay.
  const Case dark = Make(1920, 1080, FacecamPosition::kBottomLeft, 12, 2, false);
  ExpectSplitOnTheCamera(dark, SurveyPainted(dark), Frame::kMaybeHidden);
}

TEST_F(FacecamLayoutTest, NoCameraGivesFitAndAFullFrameCameraGivesFill) {
  for (int look = 0; look < sample::kLookCount; ++look) {
    const Case c = Make(1920, 1080, FacecamPosition::kNone, 30, look);
    const reframe::LayoutChoice choice = reframe::ChooseLayout(SurveyPainted(c));
    EXPECT_TRUE(choice.layout == reframe::Layout::kFit || choice.layout == reframe::Layout::kFill)
        << c.Name() << ": " << choice.reason;
  }
  for (int look : {1, 4}) {
    const Case c = Make(1920, 1080, FacecamPosition::kFull, 30, look);
    const vision::FaceSurvey survey = SurveyPainted(c);
    const reframe::LayoutChoice choice = reframe::ChooseLayout(survey);
    EXPECT_EQ(choice.layout, reframe::Layout::kFill) << c.Name() << ": " << choice.reason;
    EXPECT_GT(survey.main_face_width_fraction, 0.2);
  }
}

// `c` encoded as the sample stream is, `seconds` long at 5 fps with a keyframe a second.
std::string Encode(const Case& c, const sample::FacePhoto& photo, const fs::path& path,
                   int seconds) {
  media::Mp4WriterOptions options;
  options.width = c.width;
  options.height = c.height;
  options.fps = 5;
  options.preset = "veryfast";
  options.crf = 28;
  options.gop_frames = 5;
  options.threads = 1;
  options.has_audio = false;
  auto writer = media::Mp4Writer::Open(path.string(), options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  if (!writer.ok()) return "";
  StreamPicture picture(c, photo);
  media::VideoFrame frame;
  frame.Allocate(c.width, c.height, media::PixelFormat::kYuv420p);
  cv::Mat yuv(c.height * 3 / 2, c.width, CV_8UC1, frame.data.data());
  for (int n = 0; n < seconds * options.fps; ++n) {
    cv::cvtColor(picture.Paint(n / 5.0), yuv, cv::COLOR_BGR2YUV_I420);
    frame.pts_ms = n * 200;
    Status st = writer->WriteVideo(frame);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  Status st = writer->Finish();
  EXPECT_TRUE(st.ok()) << st.ToString();
  return path.string();
}

TEST_F(FacecamLayoutTest, EncodedStreamsSurveyedFromTheFile) {
  TempDir dir("facecam-layout");
  const Case split_cases[] = {
      Make(1280, 720, FacecamPosition::kBottomLeft, 8, 1),
      Make(2560, 1440, FacecamPosition::kTopRight, 8, 2),
      Make(1920, 1080, FacecamPosition::kBottomRight, 10, 4, false),
  };
  int n = 0;
  for (const Case& c : split_cases) {
    const std::string path =
        Encode(c, *photo_, dir.path() / ("s" + std::to_string(n++) + ".mp4"), 6);
    auto survey = vision::SurveyFaces(path, 0, 6000, *detector_);
    ASSERT_TRUE(survey.ok()) << survey.status().ToString();
    EXPECT_GE(survey->samples, 5);
    ExpectSplitOnTheCamera(c, *survey);
  }
  const Case none = Make(1920, 1080, FacecamPosition::kNone, 30, 5);
  const std::string path = Encode(none, *photo_, dir.path() / "none.mp4", 4);
  auto survey = vision::SurveyFaces(path, 0, 4000, *detector_);
  ASSERT_TRUE(survey.ok()) << survey.status().ToString();
  const reframe::LayoutChoice choice = reframe::ChooseLayout(*survey);
  EXPECT_EQ(choice.layout, reframe::Layout::kFit) << choice.reason;
}

// The reported stream, through the binary: a 720p sample with a small bottom-left camera (8% of
// the width: 102 px, a 49 px face, which the survey before the border search missed: `fit`),
// then `clipthat render --layout auto` on 6 s of it. The clip is a split with the face in the
// top panel and none in the gameplay panel.
TEST_F(FacecamLayoutTest, SampleAndRenderThroughTheBinary) {
  const std::string bin = CLIPTHAT_BIN;
  TempDir dir("facecam-binary");
  const fs::path out = dir.path() / "s";
  auto made = clipthat::testing::RunCommand(
      {bin, "-q", "sample", "--out", out.string(), "--duration", "30", "--size", "1280x720",
       "--fps", "10", "--facecam-corner", "bottom-left", "--facecam-width-pct", "8"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto truth = nlohmann::json::parse(*ReadFileToString(out / "truth.json"));
  const auto& cam = truth["options"]["facecam"];
  EXPECT_EQ(cam["position"], "bottom-left");
  EXPECT_EQ(cam["width_pct"], 8);
  const cv::Rect box = sample::FacecamBox(
      {.position = FacecamPosition::kBottomLeft, .width_pct = 8, .border = true}, 1280, 720);
  EXPECT_EQ(cam["x"], box.x);
  EXPECT_EQ(cam["y"], box.y);
  EXPECT_EQ(cam["width"], box.width);
  EXPECT_EQ(cam["height"], box.height);

  ASSERT_TRUE(WriteFileAtomically(out / "edit.json",
                                  R"({"version": 1, "start_ms": 4000, "end_ms": 10000,
                                      "layout": {"mode": "auto"}})")
                  .ok());
  auto rendered = clipthat::testing::RunCommand({bin, "-q", "render", (out / "vod.mp4").string(),
                                                 "--edit", (out / "edit.json").string(), "--out",
                                                 (out / "clips").string(), "--layout", "auto"});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  const fs::path clip = out / "clips" / "clip-01.mp4";
  ASSERT_TRUE(fs::exists(clip)) << rendered.out;

  // The default split: a 730-row top panel over the gameplay.
  constexpr int kTopRows = 730;
  auto decoder = media::WindowDecoder::Open(clip.string(), {.start_ms = 0,
                                                            .end_ms = -1,
                                                            .width = 0,
                                                            .height = 0,
                                                            .format = media::PixelFormat::kGray8,
                                                            .audio_sample_rate_hz = 48000,
                                                            .audio_channels = 0});
  ASSERT_TRUE(decoder.ok()) << decoder.status().ToString();
  media::DecodedItem item;
  int n = 0, checked = 0, top_faces = 0, bottom_faces = 0;
  while (true) {
    auto more = decoder->Next(&item);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    if (item.kind != media::DecodedItem::Kind::kVideo || n++ % 45 != 20) continue;
    ++checked;
    const media::VideoFrame& f = item.video;
    auto top = detector_->DetectInRegion(
        f, {.region = {0, 0, f.width, kTopRows}, .scale = 0.5, .min_face_px = 150});
    ASSERT_TRUE(top.ok()) << top.status().ToString();
    top_faces += !top->empty();
    // The camera a second time in the gameplay panel would be a face ~70 px wide there.
    auto bottom = detector_->DetectInRegion(
        f,
        {.region = {0, kTopRows, f.width, f.height - kTopRows}, .scale = 1.0, .min_face_px = 30});
    ASSERT_TRUE(bottom.ok()) << bottom.status().ToString();
    bottom_faces += !bottom->empty();
  }
  EXPECT_EQ(checked, 4);
  EXPECT_EQ(top_faces, checked);
  EXPECT_EQ(bottom_faces, 0);
}

TEST_F(FacecamLayoutTest, SampleRejectsBadFacecamFlags) {
  const std::string bin = CLIPTHAT_BIN;
  TempDir dir("facecam-flags");
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"--facecam-width-pct", "70"},
        {"--facecam-width-pct", "2"},
        {"--facecam-position", "middle"},
        {"--facecam-corner", "Top-Left"}}) {
    std::vector<std::string> args = {bin, "-q", "sample", "--out", (dir.path() / "x").string()};
    args.insert(args.end(), flags.begin(), flags.end());
    auto r = clipthat::testing::RunCommand(args);
    EXPECT_EQ(r.exit_code, 2) << flags[0] << " " << flags[1] << ": " << r.err;
    EXPECT_NE(r.err.find("facecam"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir.path() / "x"));
}

}  // namespace
}  // namespace clipthat
