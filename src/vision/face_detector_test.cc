#include "vision/face_detector.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "media/window_decoder.h"
#include "testing/media_fixtures.h"
#include "vision/testing/moving_face_media.h"

namespace clipthat::vision {
namespace {

// Every `step`-th frame of `path` in `format` (streamed: 1080p clips are large when decoded).
std::vector<std::pair<std::size_t, media::VideoFrame>> EveryNth(const std::string& path,
                                                                media::PixelFormat format,
                                                                std::size_t step) {
  media::WindowDecoderOptions o;
  o.format = format;
  o.audio_channels = 0;
  auto decoder = media::WindowDecoder::Open(path, o);
  EXPECT_TRUE(decoder.ok()) << decoder.status().ToString();
  std::vector<std::pair<std::size_t, media::VideoFrame>> out;
  if (!decoder.ok()) return out;
  media::DecodedItem item;
  std::size_t n = 0;
  while (true) {
    auto more = decoder->Next(&item);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    if (item.kind != media::DecodedItem::Kind::kVideo) continue;
    if (n % step == 0) out.emplace_back(n, std::move(item.video));
    ++n;
  }
  return out;
}

class FaceDetectorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    clipthat::testing::QuietLibavLogs();
    dir_ = new TempDir();
    testing::MovingFaceSpec spec;
    spec.motion = testing::FaceMotion::kPan;
    spec.duration_ms = 3000;
    spec.still_start_ms = 500;
    spec.pan_ms = 2000;
    spec.with_audio = false;
    auto media = testing::WriteMovingFaceMedia(dir_->path() / "face.mp4", spec);
    ASSERT_TRUE(media.ok()) << media.status().ToString();
    media_ = new testing::MovingFaceMedia(*media);
  }
  static void TearDownTestSuite() {
    delete media_;
    delete dir_;
  }
  static TempDir* dir_;
  static testing::MovingFaceMedia* media_;
};
TempDir* FaceDetectorTest::dir_ = nullptr;
testing::MovingFaceMedia* FaceDetectorTest::media_ = nullptr;

TEST_F(FaceDetectorTest, FindsTheFaceInEveryPixelFormat) {
  auto detector = FaceDetector::Open();
  ASSERT_TRUE(detector.ok()) << detector.status().ToString();
  for (media::PixelFormat format :
       {media::PixelFormat::kYuv420p, media::PixelFormat::kBgr24, media::PixelFormat::kGray8}) {
    const auto frames = EveryNth(media_->path, format, 9);
    ASSERT_EQ(frames.size(), (static_cast<std::size_t>(media_->frame_count()) + 8) / 9);
    int found = 0, checked = 0;
    for (const auto& [n, frame] : frames) {
      auto faces = detector->Detect(frame);
      ASSERT_TRUE(faces.ok()) << faces.status().ToString();
      ++checked;
      if (faces->empty()) continue;
      EXPECT_EQ(faces->size(), 1u) << "frame " << n << ": a false face on the background";
      const FaceBox& truth = media_->faces[n];
      if (IntersectionOverUnion(faces->front(), truth) > 0.5) ++found;
      EXPECT_GT(faces->front().score, 0);
    }
    EXPECT_GE(found, checked - 1) << "format " << static_cast<int>(format);
  }
}

TEST(FaceDetectorSmallTest, FindsAFaceSixPercentOfTheFrameWide) {
  TempDir dir;
  testing::MovingFaceSpec spec;
  spec.duration_ms = 500;
  spec.face_width_fraction = 0.06;
  spec.with_audio = false;
  auto media = testing::WriteMovingFaceMedia(dir.path() / "small.mp4", spec);
  ASSERT_TRUE(media.ok()) << media.status().ToString();
  auto detector = FaceDetector::Open();
  ASSERT_TRUE(detector.ok());
  for (const auto& [n, frame] : EveryNth(media->path, media::PixelFormat::kYuv420p, 5)) {
    auto faces = detector->Detect(frame);
    ASSERT_TRUE(faces.ok());
    ASSERT_FALSE(faces->empty()) << "frame " << n;
    EXPECT_GT(IntersectionOverUnion(faces->front(), media->faces[n]), 0.5) << "frame " << n;
  }
}

TEST(FaceDetectorSmallTest, RegionSearchFindsAFaceBelowTheWholeFrameFloor) {
  // A 67 px face on a 1920x1080 frame (3.5% of the width): 17 px at the detection width, under
  // the cascade's 24 px window. Searched at half the frame's resolution in the region around
  // it, it is found.
  clipthat::testing::QuietLibavLogs();
  TempDir dir;
  testing::MovingFaceSpec spec;
  spec.duration_ms = 400;
  spec.motion = testing::FaceMotion::kStill;
  spec.face_width_fraction = 0.035;
  spec.with_audio = false;
  auto media = testing::WriteMovingFaceMedia(dir.path() / "tiny.mp4", spec);
  ASSERT_TRUE(media.ok()) << media.status().ToString();
  auto detector = FaceDetector::Open();
  ASSERT_TRUE(detector.ok());
  EXPECT_NEAR(detector->MinFaceWidthPx(1920), 96, 0.5);  // 24 px at 480
  auto frames = EveryNth(media->path, media::PixelFormat::kYuv420p, 6);
  ASSERT_FALSE(frames.empty());
  for (const auto& [n, frame] : frames) {
    const FaceBox& truth = media->faces[n];
    auto whole = detector->Detect(frame);
    ASSERT_TRUE(whole.ok());
    EXPECT_TRUE(whole->empty()) << "frame " << n;
    FaceDetector::RegionSearch search;
    search.region = {static_cast<int>(truth.x) - 200, static_cast<int>(truth.y) - 200, 500, 500};
    search.scale = 0.5;
    search.max_face_px = 120;
    auto small = detector->DetectInRegion(frame, search);
    ASSERT_TRUE(small.ok()) << small.status().ToString();
    ASSERT_FALSE(small->empty()) << "frame " << n;
    EXPECT_GT(IntersectionOverUnion(small->front(), truth), 0.5) << "frame " << n;
    // Nothing in a region away from it, nor with faces only larger than it.
    search.region = {1300, 100, 500, 500};
    EXPECT_TRUE(detector->DetectInRegion(frame, search)->empty());
    search.region = {static_cast<int>(truth.x) - 200, static_cast<int>(truth.y) - 200, 500, 500};
    search.min_face_px = 110;
    search.max_face_px = 0;
    EXPECT_TRUE(detector->DetectInRegion(frame, search)->empty());
  }
  FaceDetector::RegionSearch bad;
  bad.scale = 1.5;
  EXPECT_EQ(detector->DetectInRegion(frames[0].second, bad).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(FaceDetectorTest, DetectNearFindsTheFaceAndOnlyNearTheHint) {
  auto detector = FaceDetector::Open();
  ASSERT_TRUE(detector.ok());
  const auto frames = EveryNth(media_->path, media::PixelFormat::kYuv420p, 6);
  ASSERT_FALSE(frames.empty());
  for (const auto& [n, frame] : frames) {
    // The hint: where the face was 200 ms ago.
    const FaceBox& hint = media_->faces[n >= 6 ? n - 6 : 0];
    auto faces = detector->DetectNear(frame, hint);
    ASSERT_TRUE(faces.ok());
    ASSERT_FALSE(faces->empty()) << "frame " << n;
    EXPECT_GT(IntersectionOverUnion(faces->front(), media_->faces[n]), 0.5) << "frame " << n;
  }
  // A hint far from the face finds nothing.
  FaceBox far = media_->faces[0];
  far.x = 1920 - far.width - 10;
  auto none = detector->DetectNear(frames.front().second, far);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(FaceDetectorTest, NoFaceInTheTestPattern) {
  TempDir dir;
  clipthat::testing::TestMediaSpec spec;
  spec.width = 640;
  spec.height = 360;
  spec.duration_ms = 1000;
  ASSERT_TRUE(clipthat::testing::MakeTestMedia(dir.path() / "t.mp4", spec).ok());
  auto frames =
      clipthat::testing::DecodeAllVideo(dir.path() / "t.mp4", media::PixelFormat::kYuv420p);
  ASSERT_TRUE(frames.ok());
  auto detector = FaceDetector::Open();
  ASSERT_TRUE(detector.ok());
  for (std::size_t n = 0; n < frames->size(); n += 5) {
    auto faces = detector->Detect((*frames)[n]);
    ASSERT_TRUE(faces.ok());
    EXPECT_TRUE(faces->empty()) << "frame " << n;
  }
}

TEST(FaceDetectorErrorsTest, MissingCascadeIsNotFoundNamingThePath) {
  FaceDetectorOptions o;
  o.cascade_path = "/nonexistent/cascade.xml";
  auto detector = FaceDetector::Open(o);
  ASSERT_FALSE(detector.ok());
  EXPECT_EQ(detector.status().code(), StatusCode::kNotFound);
  EXPECT_NE(detector.status().message().find("/nonexistent/cascade.xml"), std::string::npos);
  EXPECT_NE(detector.status().message().find("opencv-data"), std::string::npos);
}

TEST(FaceDetectorErrorsTest, BadOptionsAndBadFrames) {
  FaceDetectorOptions o;
  o.scale_factor = 1.0;
  EXPECT_EQ(FaceDetector::Open(o).status().code(), StatusCode::kInvalidArgument);
  auto detector = FaceDetector::Open();
  ASSERT_TRUE(detector.ok());
  media::VideoFrame empty;
  EXPECT_EQ(detector->Detect(empty).status().code(), StatusCode::kInvalidArgument);
  media::VideoFrame short_frame;
  short_frame.width = 640;
  short_frame.height = 360;
  short_frame.format = media::PixelFormat::kBgr24;
  short_frame.data.resize(100);
  EXPECT_EQ(detector->Detect(short_frame).status().code(), StatusCode::kInvalidArgument);
}

TEST(FaceBoxTest, IntersectionOverUnion) {
  const FaceBox a{0, 0, 10, 10, 1}, b{5, 0, 10, 10, 1}, c{20, 20, 5, 5, 1};
  EXPECT_DOUBLE_EQ(IntersectionOverUnion(a, a), 1.0);
  EXPECT_NEAR(IntersectionOverUnion(a, b), 50.0 / 150.0, 1e-9);
  EXPECT_DOUBLE_EQ(IntersectionOverUnion(a, c), 0.0);
  EXPECT_DOUBLE_EQ(a.center_x(), 5);
  EXPECT_DOUBLE_EQ(b.center_y(), 5);
}

}  // namespace
}  // namespace clipthat::vision
