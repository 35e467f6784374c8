#include "vision/testing/moving_face_media.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "media/probe.h"
#include "testing/media_fixtures.h"

namespace clipthat::vision::testing {
namespace {

TEST(MovingFaceMediaTest, PanClipAndItsTruth) {
  clipthat::testing::QuietLibavLogs();
  TempDir dir;
  auto media = WriteMovingFaceMedia(dir.path() / "pan.mp4");
  ASSERT_TRUE(media.ok()) << media.status().ToString();
  auto info = media::Probe(media->path);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_NE(info->video(), nullptr);
  EXPECT_EQ(info->video()->width, 1920);
  EXPECT_EQ(info->video()->height, 1080);
  EXPECT_NEAR(info->video()->fps, 30, 0.01);
  EXPECT_NEAR(static_cast<double>(info->video()->duration_ms), 6000, 50);
  EXPECT_GE(info->audio_stream, 0);
  EXPECT_FALSE(media->photo_path.empty());

  ASSERT_EQ(media->frame_count(), 180);
  const MovingFaceSpec& spec = media->spec;
  const FaceBox first = media->faces.front(), last = media->faces.back();
  EXPECT_NEAR(first.width / 1920, spec.face_width_fraction, 0.005);
  EXPECT_NEAR(first.center_x(), 1920 / 3.0, 2);
  EXPECT_NEAR(last.center_x(), 2 * 1920 / 3.0, 2);
  // Still, then a pan, then still.
  for (int n = 1; n < 60; ++n) EXPECT_DOUBLE_EQ(media->faces[n].x, first.x);
  for (int n = 121; n < 180; ++n) EXPECT_DOUBLE_EQ(media->faces[n].x, last.x);
  for (int n = 61; n < 120; ++n) EXPECT_GE(media->faces[n].x, media->faces[n - 1].x);
  EXPECT_GT(media->faces[90].x, first.x + 200);
  // FaceBoxAt: the frame on screen at that time, clamped.
  EXPECT_DOUBLE_EQ(media->FaceBoxAt(3000).x, media->faces[90].x);
  EXPECT_DOUBLE_EQ(media->FaceBoxAt(3020).x, media->faces[90].x);
  EXPECT_DOUBLE_EQ(media->FaceBoxAt(-5).x, first.x);
  EXPECT_DOUBLE_EQ(media->FaceBoxAt(60000).x, last.x);
}

TEST(MovingFaceMediaTest, StillClipSmallSize) {
  TempDir dir;
  MovingFaceSpec spec;
  spec.width = 640;
  spec.height = 360;
  spec.duration_ms = 2000;
  spec.motion = FaceMotion::kStill;
  spec.with_audio = false;
  auto media = WriteMovingFaceMedia(dir.path() / "still.mp4", spec);
  ASSERT_TRUE(media.ok()) << media.status().ToString();
  auto info = media::Probe(media->path);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->video()->width, 640);
  EXPECT_LT(info->audio_stream, 0);
  ASSERT_EQ(media->frame_count(), 60);
  for (const FaceBox& b : media->faces) EXPECT_DOUBLE_EQ(b.x, media->faces[0].x);
}

TEST(MovingFaceMediaTest, BadSpec) {
  TempDir dir;
  MovingFaceSpec spec;
  spec.width = 641;
  EXPECT_EQ(WriteMovingFaceMedia(dir.path() / "x.mp4", spec).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clipthat::vision::testing
