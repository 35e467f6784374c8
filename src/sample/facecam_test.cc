#include "sample/facecam.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "sample/sample_options.h"

namespace clipthat::sample {
namespace {

FacecamOptions At(FacecamPosition position, int width_pct = 30, bool border = true) {
  FacecamOptions o;
  o.position = position;
  o.width_pct = width_pct;
  o.border = border;
  return o;
}

TEST(FacecamBoxTest, DefaultIsTheBottomLeftCornerAsBefore) {
  // The formula of the original sample stream, which the default must keep byte for byte.
  for (auto [w, h] : {std::pair{1920, 1080}, {1280, 720}, {640, 360}, {2560, 1440}}) {
    const int bw = std::max(32, w * 30 / 100) & ~1;
    const int bh = std::min(static_cast<int>(bw / (4.0 / 3.0)) & ~1, h / 2);
    const int margin = std::max(2, h / 40);
    EXPECT_EQ(FacecamBox(w, h), cv::Rect(margin, h - bh - margin, bw, bh)) << w << "x" << h;
    EXPECT_EQ(FacecamBox(FacecamOptions{}, w, h), FacecamBox(w, h));
  }
}

TEST(FacecamBoxTest, EveryPositionIsInsideTheFrameAgainstItsEdges) {
  const int w = 1920, h = 1080, margin = 27;
  for (std::size_t i = 0; i < FacecamPositionNames().size(); ++i) {
    const auto position = static_cast<FacecamPosition>(i);
    if (position == FacecamPosition::kNone || position == FacecamPosition::kFull) continue;
    for (int pct : {kMinFacecamWidthPct, 8, 30, kMaxFacecamWidthPct}) {
      const cv::Rect box = FacecamBox(At(position, pct), w, h);
      SCOPED_TRACE(std::string(FacecamPositionName(position)) + " " + std::to_string(pct));
      EXPECT_GE(box.x, 0);
      EXPECT_GE(box.y, 0);
      EXPECT_LE(box.br().x, w);
      EXPECT_LE(box.br().y, h);
      EXPECT_EQ(box.width % 2, 0);
      EXPECT_EQ(box.height % 2, 0);
      EXPECT_NEAR(static_cast<double>(box.width) / box.height, 4.0 / 3.0, 0.03);
      EXPECT_LE(box.height, h / 2);
      if (pct <= 30) {
        EXPECT_NEAR(box.width, w * pct / 100, 2);
      }
      const std::string name(FacecamPositionName(position));
      if (name.find("left") != std::string::npos) {
        EXPECT_EQ(box.x, margin);
      }
      if (name.find("right") != std::string::npos) {
        EXPECT_EQ(box.br().x, w - margin);
      }
      if (name.find("top") != std::string::npos) {
        EXPECT_EQ(box.y, margin);
      }
      if (name.find("bottom") != std::string::npos) {
        EXPECT_EQ(box.br().y, h - margin);
      }
      if (name == "top" || name == "bottom") {
        EXPECT_NEAR(box.x + box.width / 2, w / 2, 2);
      }
      if (name == "left" || name == "right") {
        EXPECT_NEAR(box.y + box.height / 2, h / 2, 2);
      }
    }
  }
  // 150 px on a 1080p stream is the smallest camera the layout chooser is built for.
  EXPECT_EQ(FacecamBox(At(FacecamPosition::kTopRight, 8), w, h).width, 152);
  EXPECT_EQ(FacecamBox(At(FacecamPosition::kFull), w, h), cv::Rect(0, 0, w, h));
  EXPECT_TRUE(FacecamBox(At(FacecamPosition::kNone), w, h).empty());
}

TEST(FacecamOptionsTest, NamesParseAndValidate) {
  for (std::size_t i = 0; i < FacecamPositionNames().size(); ++i) {
    const auto position = static_cast<FacecamPosition>(i);
    Result<FacecamPosition> parsed = ParseFacecamPosition(FacecamPositionName(position));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, position);
  }
  Result<FacecamPosition> bad = ParseFacecamPosition("middle");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("\"middle\""), std::string::npos);
  EXPECT_NE(bad.status().message().find("bottom-right or full"), std::string::npos)
      << bad.status().message();

  SampleOptions options;
  options.duration_s = 60;
  EXPECT_TRUE(ValidateSampleOptions(options).ok());
  options.facecam.width_pct = kMaxFacecamWidthPct + 1;
  Status st = ValidateSampleOptions(options);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("--facecam-width-pct"), std::string::npos) << st.message();
  options.facecam.width_pct = kMinFacecamWidthPct - 1;
  EXPECT_FALSE(ValidateSampleOptions(options).ok());
}

TEST(FacecamOptionsTest, TruthOptionsNameTheCameraOnlyWhenNotTheDefault) {
  SampleOptions options;
  EXPECT_FALSE(SampleOptionsToJson(options).contains("facecam"));
  options.facecam = At(FacecamPosition::kTopRight, 8, false);
  const nlohmann::json j = SampleOptionsToJson(options);
  ASSERT_TRUE(j.contains("facecam"));
  const cv::Rect box = FacecamBox(options.facecam, 1920, 1080);
  EXPECT_EQ(j["facecam"]["position"], "top-right");
  EXPECT_EQ(j["facecam"]["width_pct"], 8);
  EXPECT_EQ(j["facecam"]["border"], false);
  EXPECT_EQ(j["facecam"]["x"], box.x);
  EXPECT_EQ(j["facecam"]["y"], box.y);
  EXPECT_EQ(j["facecam"]["width"], box.width);
  EXPECT_EQ(j["facecam"]["height"], box.height);
}

class FacecamPainterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto photo = LoadFacePhoto();
    ASSERT_TRUE(photo.ok()) << photo.status().ToString();
    photo_ = std::move(*photo);
  }
  // Share of the box's outline pixels that are the border's purple.
  static double PurpleOutline(const cv::Mat& frame, const cv::Rect& box) {
    int purple = 0, total = 0;
    auto check = [&](int x, int y) {
      const cv::Vec3b p = frame.at<cv::Vec3b>(y, x);
      ++total;
      purple += std::abs(p[0] - 180) < 8 && std::abs(p[1] - 70) < 8 && std::abs(p[2] - 145) < 8;
    };
    for (int x = box.x; x < box.br().x; ++x) {
      check(x, box.y);
      check(x, box.br().y - 1);
    }
    for (int y = box.y; y < box.br().y; ++y) {
      check(box.x, y);
      check(box.br().x - 1, y);
    }
    return static_cast<double>(purple) / total;
  }
  FacePhoto photo_;
};

TEST_F(FacecamPainterTest, BorderLineOnlyWhenAsked) {
  const cv::Rect box = FacecamBox(At(FacecamPosition::kTop, 20), 1280, 720);
  cv::Mat frame(720, 1280, CV_8UC3, cv::Scalar(0, 0, 0));
  FacecamPainter(photo_, box, FacecamBorder::kLine).Paint(frame, 1.0, 0);
  EXPECT_GT(PurpleOutline(frame, box), 0.95);
  frame.setTo(cv::Scalar(0, 0, 0));
  FacecamPainter(photo_, box, FacecamBorder::kNone).Paint(frame, 1.0, 0);
  EXPECT_LT(PurpleOutline(frame, box), 0.05);
  // Nothing drawn outside the box (the border's outer half aside).
  cv::Mat outside = frame.clone();
  outside(box).setTo(cv::Scalar(0, 0, 0));
  EXPECT_EQ(cv::countNonZero(outside.reshape(1)), 0);
}

TEST_F(FacecamPainterTest, FullFrameCameraShowsAnUnsquashedFace) {
  cv::Mat frame(1080, 1920, CV_8UC3, cv::Scalar(0, 0, 0));
  const cv::Rect box = FacecamBox(At(FacecamPosition::kFull), 1920, 1080);
  FacecamPainter(photo_, box, FacecamBorder::kNone).Paint(frame, 2.0, 0);
  cv::CascadeClassifier cascade(kFrontalFaceCascade);
  ASSERT_FALSE(cascade.empty());
  cv::Mat gray, small;
  cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY);
  cv::resize(gray, small, cv::Size(480, 270), 0, 0, cv::INTER_AREA);
  std::vector<cv::Rect> faces;
  cascade.detectMultiScale(small, faces, 1.1, 4, 0, cv::Size(60, 60));
  ASSERT_FALSE(faces.empty());
  const cv::Rect face = faces[0];
  // A "just chatting" face: large, near the middle, about as wide as high (not stretched).
  EXPECT_GT(face.width, 480 / 5);
  EXPECT_NEAR(face.x + face.width / 2, 240, 60);
  EXPECT_NEAR(static_cast<double>(face.width) / face.height, 1.0, 0.15);
}

}  // namespace
}  // namespace clipthat::sample
