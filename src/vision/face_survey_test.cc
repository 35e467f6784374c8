#include "vision/face_survey.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "testing/media_fixtures.h"
#include "vision/testing/moving_face_media.h"

namespace clipthat::vision {
namespace {

Result<testing::MovingFaceMedia> Write(const TempDir& dir, testing::FaceMotion motion) {
  clipthat::testing::QuietLibavLogs();
  testing::MovingFaceSpec spec;
  spec.motion = motion;
  spec.with_audio = false;
  return testing::WriteMovingFaceMedia(
      dir.path() / (motion == testing::FaceMotion::kPan ? "pan.mp4" : "still.mp4"), spec);
}

TEST(FaceSurveyTest, PanningFace) {
  TempDir dir;
  auto media = Write(dir, testing::FaceMotion::kPan);
  ASSERT_TRUE(media.ok()) << media.status().ToString();
  auto detector = FaceDetector::Open();
  ASSERT_TRUE(detector.ok());
  auto survey = SurveyFaces(media->path, 0, media->spec.duration_ms, *detector);
  ASSERT_TRUE(survey.ok()) << survey.status().ToString();
  EXPECT_EQ(survey->frame_width, 1920);
  EXPECT_EQ(survey->frame_height, 1080);
  EXPECT_GE(survey->samples, 5);  // a keyframe a second over 6 s
  EXPECT_LE(survey->samples, 8);
  EXPECT_EQ(survey->samples_with_face, survey->samples);
  ASSERT_TRUE(survey->main_face.has_value());
  const double truth_width = media->faces[0].width;
  EXPECT_NEAR(survey->main_face->width, truth_width, 0.2 * truth_width);
  EXPECT_NEAR(survey->main_face_width_fraction, truth_width / 1920, 0.03);
  EXPECT_NEAR(survey->main_face->center_y(), media->faces[0].center_y(), 0.2 * truth_width);
  // The face crosses a third of the frame: its centre spreads well beyond a still face's.
  EXPECT_GT(survey->face_motion_fraction, 0.1);
  EXPECT_LT(survey->face_motion_fraction, 0.4);
}

TEST(FaceSurveyTest, StillFaceAndShortWindow) {
  TempDir dir;
  auto media = Write(dir, testing::FaceMotion::kStill);
  ASSERT_TRUE(media.ok()) << media.status().ToString();
  auto detector = FaceDetector::Open();
  ASSERT_TRUE(detector.ok());
  auto survey = SurveyFaces(media->path, 0, media->spec.duration_ms, *detector);
  ASSERT_TRUE(survey.ok()) << survey.status().ToString();
  ASSERT_TRUE(survey->main_face.has_value());
  EXPECT_LT(survey->face_motion_fraction, 0.01);
  EXPECT_NEAR(survey->main_face->center_x(), media->faces[0].center_x(), 10);
  // A window shorter than the keyframe interval still gets a sample.
  auto brief = SurveyFaces(media->path, 2300, 2700, *detector);
  ASSERT_TRUE(brief.ok()) << brief.status().ToString();
  EXPECT_GE(brief->samples, 1);
  EXPECT_TRUE(brief->main_face.has_value());
}

TEST(FaceSurveyTest, NoFaceInTheTestPattern) {
  TempDir dir;
  clipthat::testing::TestMediaSpec spec;
  spec.width = 640;
  spec.height = 360;
  spec.duration_ms = 4000;
  auto path = clipthat::testing::MakeTestMedia(dir.path() / "t.mp4", spec);
  ASSERT_TRUE(path.ok());
  auto detector = FaceDetector::Open();
  ASSERT_TRUE(detector.ok());
  auto survey = SurveyFaces(*path, 500, 3500, *detector, 4);
  ASSERT_TRUE(survey.ok()) << survey.status().ToString();
  EXPECT_EQ(survey->frame_width, 640);
  EXPECT_GE(survey->samples, 2);
  EXPECT_EQ(survey->samples_with_face, 0);
  EXPECT_FALSE(survey->main_face.has_value());
  EXPECT_EQ(survey->main_face_width_fraction, 0);
}

TEST(FaceSurveyTest, Errors) {
  auto detector = FaceDetector::Open();
  ASSERT_TRUE(detector.ok());
  EXPECT_EQ(SurveyFaces("/nonexistent.mp4", 0, 1000, *detector).status().code(),
            StatusCode::kNotFound);
  TempDir dir;
  clipthat::testing::TestMediaSpec spec;
  spec.duration_ms = 1000;
  auto path = clipthat::testing::MakeTestMedia(dir.path() / "t.mp4", spec);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(SurveyFaces(*path, 1000, 1000, *detector).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(SurveyFaces(*path, 0, 1000, *detector, 0).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clipthat::vision
