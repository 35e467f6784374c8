#include "reframe/layout_chooser.h"

#include <gtest/gtest.h>

#include "reframe/layout.h"

namespace clipthat::reframe {
namespace {

vision::FaceSurvey Survey(std::optional<vision::FaceBox> face, int samples_with_face = 8) {
  vision::FaceSurvey survey;
  survey.frame_width = 1920;
  survey.frame_height = 1080;
  survey.samples = 8;
  survey.samples_with_face = face ? samples_with_face : 0;
  survey.main_face = face;
  if (face) survey.main_face_width_fraction = face->width / 1920.0;
  return survey;
}

bool Contains(const media::CropRect& box, const vision::FaceBox& face) {
  return box.x <= face.x && box.y <= face.y && box.x + box.width >= face.x + face.width &&
         box.y + box.height >= face.y + face.height;
}

TEST(LayoutTest, NamesRoundTrip) {
  for (Layout layout : {Layout::kFill, Layout::kSplit, Layout::kFit}) {
    Result<Layout> parsed = ParseLayout(LayoutName(layout));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, layout);
  }
  EXPECT_EQ(LayoutName(Layout::kSplit), "split");
}

TEST(LayoutTest, UnknownNameListsTheChoices) {
  Result<Layout> parsed = ParseLayout("grid");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("\"grid\""), std::string::npos);
  EXPECT_NE(parsed.status().message().find("fill, split or fit"), std::string::npos);
  EXPECT_FALSE(ParseLayout("auto").ok());
  EXPECT_FALSE(ParseLayout("Fill").ok());
}

TEST(LayoutChooserTest, FaceInBottomLeftCornerGivesSplitAroundIt) {
  // A webcam overlay in the bottom-left corner, as the sample stream draws it.
  const vision::FaceBox face{150, 700, 230, 260, 20};
  LayoutChoice choice = ChooseLayout(Survey(face));
  EXPECT_EQ(choice.layout, Layout::kSplit) << choice.reason;
  EXPECT_TRUE(Contains(choice.split.facecam, face));
  EXPECT_EQ(choice.split.facecam.x, 0);  // snapped to the left edge
  EXPECT_EQ(choice.split.facecam.y + choice.split.facecam.height, 1080);  // and the bottom
  EXPECT_EQ(choice.split.gameplay.width, 0);  // the default gameplay region
  EXPECT_NE(choice.reason.find("bottom-left"), std::string::npos) << choice.reason;
}

TEST(LayoutChooserTest, FaceInTopRightCornerGivesSplitAroundIt) {
  const vision::FaceBox face{1650, 60, 140, 160, 12};
  LayoutChoice choice = ChooseLayout(Survey(face));
  ASSERT_EQ(choice.layout, Layout::kSplit) << choice.reason;
  EXPECT_TRUE(Contains(choice.split.facecam, face));
  EXPECT_EQ(choice.split.facecam.x + choice.split.facecam.width, 1920);
  EXPECT_EQ(choice.split.facecam.y, 0);
  // A camera box, not the whole frame.
  EXPECT_LT(choice.split.facecam.width, 1920 / 2);
}

TEST(LayoutChooserTest, LargeFaceGivesFill) {
  // A talking-head stream: the face is a quarter of the frame width, a little off centre.
  LayoutChoice choice = ChooseLayout(Survey(vision::FaceBox{1100, 250, 480, 520, 40}));
  EXPECT_EQ(choice.layout, Layout::kFill) << choice.reason;
  EXPECT_NE(choice.reason.find("large face"), std::string::npos);
}

TEST(LayoutChooserTest, SmallFaceInTheMiddleGivesFill) {
  LayoutChoice choice = ChooseLayout(Survey(vision::FaceBox{900, 450, 120, 130, 10}));
  EXPECT_EQ(choice.layout, Layout::kFill) << choice.reason;
}

TEST(LayoutChooserTest, SmallFaceOffCentreButFarFromEdgesGivesFill) {
  // Off centre horizontally, but its camera box would float mid-frame: not an overlay.
  LayoutChoice choice = ChooseLayout(Survey(vision::FaceBox{420, 480, 110, 120, 10}));
  EXPECT_EQ(choice.layout, Layout::kFill) << choice.reason;
}

TEST(LayoutChooserTest, WanderingSmallFaceIsNotAFacecam) {
  vision::FaceSurvey survey = Survey(vision::FaceBox{150, 700, 230, 260, 20});
  survey.face_motion_fraction = 0.25;  // a face in the gameplay, moving across the frame
  EXPECT_EQ(ChooseLayout(survey).layout, Layout::kFill);
  survey.face_motion_fraction = 0.03;  // a head moving inside its camera box
  EXPECT_EQ(ChooseLayout(survey).layout, Layout::kSplit);
}

TEST(LayoutChooserTest, NoFaceGivesFit) {
  EXPECT_EQ(ChooseLayout(Survey(std::nullopt)).layout, Layout::kFit);
  // A face seen in 1 of 8 samples is not the streamer.
  EXPECT_EQ(ChooseLayout(Survey(vision::FaceBox{150, 700, 230, 260, 5}, 1)).layout, Layout::kFit);
  EXPECT_EQ(ChooseLayout(vision::FaceSurvey{}).layout, Layout::kFit);
}

TEST(LayoutChooserTest, FoundCameraRectangleIsTheFacecam) {
  // A 150-pixel camera in the bottom-right corner of a 1080p stream, its frame found.
  vision::FaceSurvey survey = Survey(vision::FaceBox{1780, 955, 70, 72, 9});
  survey.facecam = media::CropRect{1742, 926, 152, 114};
  survey.facecam_support = 0.97;
  LayoutChoice choice = ChooseLayout(survey);
  ASSERT_EQ(choice.layout, Layout::kSplit) << choice.reason;
  EXPECT_EQ(choice.split.facecam.x, 1742);
  EXPECT_EQ(choice.split.facecam.y, 926);
  EXPECT_EQ(choice.split.facecam.width, 152);
  EXPECT_EQ(choice.split.facecam.height, 114);
  EXPECT_NE(choice.reason.find("camera frame 152x114 found"), std::string::npos) << choice.reason;
  EXPECT_NE(choice.reason.find("bottom-right"), std::string::npos) << choice.reason;
  EXPECT_EQ(FacecamRegion(survey).x, 1742);
}

TEST(LayoutChooserTest, FoundRectangleWithoutTheFaceFallsBackToTheBoxAroundIt) {
  const vision::FaceBox face{150, 700, 230, 260, 20};
  vision::FaceSurvey survey = Survey(face);
  survey.facecam = media::CropRect{1200, 100, 300, 200};  // elsewhere: not this face's camera
  LayoutChoice choice = ChooseLayout(survey);
  ASSERT_EQ(choice.layout, Layout::kSplit) << choice.reason;
  EXPECT_TRUE(Contains(choice.split.facecam, face));
  EXPECT_NE(choice.reason.find("box around the face"), std::string::npos) << choice.reason;
  const media::CropRect fallback = FacecamBoxAround(face, 1920, 1080);
  EXPECT_EQ(FacecamRegion(survey).x, fallback.x);
  EXPECT_EQ(FacecamRegion(survey).width, fallback.width);
  EXPECT_EQ(FacecamRegion(Survey(std::nullopt)).width, 0);
}

TEST(LayoutChooserTest, FoundRectangleFloatingMidFrameIsNotAnOverlay) {
  // A framed picture with a small face well inside the frame (a poster in the game, a picture
  // in picture of a game scene): not a webcam overlay.
  vision::FaceSurvey survey = Survey(vision::FaceBox{440, 330, 60, 64, 9});
  survey.facecam = media::CropRect{400, 300, 140, 110};
  EXPECT_EQ(ChooseLayout(survey).layout, Layout::kFill);
}

TEST(FacecamBoxTest, CameraShapedEvenAndInsideTheFrame) {
  for (const vision::FaceBox& face :
       {vision::FaceBox{150, 700, 230, 260, 1}, vision::FaceBox{1700, 20, 200, 200, 1},
        vision::FaceBox{901, 501, 99, 99, 1}, vision::FaceBox{0, 0, 1900, 1070, 1}}) {
    media::CropRect box = FacecamBoxAround(face, 1920, 1080);
    EXPECT_EQ(box.x % 2, 0);
    EXPECT_EQ(box.y % 2, 0);
    EXPECT_EQ(box.width % 2, 0);
    EXPECT_EQ(box.height % 2, 0);
    EXPECT_GE(box.x, 0);
    EXPECT_GE(box.y, 0);
    EXPECT_LE(box.x + box.width, 1920);
    EXPECT_LE(box.y + box.height, 1080);
    EXPECT_GT(box.width, 0);
    EXPECT_GT(box.height, 0);
  }
  media::CropRect box = FacecamBoxAround(vision::FaceBox{901, 501, 100, 100, 1}, 1920, 1080);
  EXPECT_NEAR(static_cast<double>(box.width) / box.height, 1.5, 0.05);
  EXPECT_NEAR(box.width, 220, 2);
  EXPECT_TRUE(Contains(box, vision::FaceBox{901, 501, 100, 100, 1}));
}

}  // namespace
}  // namespace clipthat::reframe
