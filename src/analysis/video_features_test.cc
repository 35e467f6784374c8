#include "analysis/video_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

namespace clipthat::analysis {
namespace {

media::VideoFrame ToFrame(const cv::Mat& bgr, TimeMs pts_ms) {
  media::VideoFrame f;
  f.Allocate(bgr.cols, bgr.rows, media::PixelFormat::kBgr24);
  f.pts_ms = pts_ms;
  f.keyframe = true;
  cv::Mat wrap(bgr.rows, bgr.cols, CV_8UC3, f.data.data());
  bgr.copyTo(wrap);
  return f;
}

// A game-like scene: a colour gradient with a few shapes, offset by `shift` pixels.
cv::Mat Scene(cv::Scalar a, cv::Scalar b, int shift = 0) {
  cv::Mat m(180, 320, CV_8UC3);
  for (int y = 0; y < m.rows; ++y) {
    const double t = static_cast<double>(y) / m.rows;
    m.row(y).setTo(a * (1 - t) + b * t);
  }
  cv::circle(m, {80 + shift, 90}, 30, cv::Scalar(40, 200, 240), cv::FILLED);
  cv::rectangle(m, cv::Rect(200 + shift, 40, 60, 80), cv::Scalar(200, 60, 60), cv::FILLED);
  return m;
}

VideoFeatures Extract(const std::vector<cv::Mat>& frames, VideoFeatureOptions options = {}) {
  options.face_every_n_keyframes = 0;
  auto extractor = VideoFeatureExtractor::Create(options);
  EXPECT_TRUE(extractor.ok()) << extractor.status().ToString();
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_TRUE(extractor->Push(ToFrame(frames[i], static_cast<TimeMs>(i) * 2000)).ok());
  }
  return extractor->Finish(static_cast<TimeMs>(frames.size()) * 2000);
}

TEST(VideoFeatures, StaticSceneHasNoCutNoChangeNoFlash) {
  const cv::Mat s = Scene({120, 80, 30}, {30, 60, 120});
  const VideoFeatures f = Extract({s, s, s, s});
  ASSERT_EQ(f.keyframes.size(), 4u);
  for (const KeyframeFeatures& k : f.keyframes) {
    EXPECT_LT(k.scene_cut, 0.01);
    EXPECT_LT(k.visual_change, 0.5);
    EXPECT_LT(k.flash, 0.5);
  }
  EXPECT_EQ(f.scene_cut.step_ms, 500);
  EXPECT_EQ(f.scene_cut.values.size(), 16u);
}

TEST(VideoFeatures, CutBetweenScenesAndMotionWithin) {
  const cv::Mat a = Scene({120, 80, 30}, {30, 60, 120});
  const cv::Mat a_moved = Scene({120, 80, 30}, {30, 60, 120}, 20);
  const cv::Mat b = Scene({20, 160, 20}, {200, 200, 220});
  const VideoFeatures f = Extract({a, a_moved, b, b});
  const auto& k = f.keyframes;
  EXPECT_LT(k[1].scene_cut, 0.15) << "motion inside one scene is not a cut";
  EXPECT_GT(k[1].visual_change, 5);
  EXPECT_GT(k[2].scene_cut, 0.5);
  EXPECT_GT(k[2].scene_cut, 4 * k[1].scene_cut);
  EXPECT_LT(k[3].scene_cut, 0.01);
  // On the grid: the cut holds from its keyframe (4 s) until the next (6 s).
  EXPECT_NEAR(f.scene_cut.values[8], k[2].scene_cut, 1e-9);
  EXPECT_NEAR(f.scene_cut.values[11], k[2].scene_cut, 1e-9);
  EXPECT_LT(f.scene_cut.values[12], 0.01);
}

TEST(VideoFeatures, FlashIsAJumpThatReturns) {
  const cv::Mat dark = Scene({50, 50, 50}, {70, 70, 70});
  cv::Mat bright(dark.size(), CV_8UC3, cv::Scalar(245, 245, 245));
  const cv::Mat light = Scene({200, 200, 200}, {230, 230, 230});
  // dark, dark, FLASH, dark, dark, light, light (a lasting change is not a flash)
  const VideoFeatures f = Extract({dark, dark, bright, dark, dark, light, light});
  const auto& k = f.keyframes;
  EXPECT_GT(k[2].flash, 100);
  for (size_t i : {0u, 1u, 3u, 4u, 5u, 6u}) EXPECT_LT(k[i].flash, 1) << i;
}

TEST(VideoFeatures, RejectsYuvFrames) {
  auto extractor = VideoFeatureExtractor::Create({.face_every_n_keyframes = 0});
  ASSERT_TRUE(extractor.ok());
  media::VideoFrame f;
  f.Allocate(64, 36, media::PixelFormat::kYuv420p);
  EXPECT_FALSE(extractor->Push(f).ok());
}

TEST(VideoFeatures, MissingCascadeIsNamed) {
  auto extractor = VideoFeatureExtractor::Create({.face_cascade_path = "/nonexistent/face.xml"});
  ASSERT_FALSE(extractor.ok());
  EXPECT_NE(extractor.status().message().find("/nonexistent/face.xml"), std::string::npos);
}

// A head-and-shoulders crop of the first photo with a detectable face, as a facecam shows.
cv::Mat FacecamCrop() {
  cv::CascadeClassifier cascade;
  if (!cascade.load(kDefaultFaceCascadePath)) return {};
  for (const char* path : {"/usr/share/doc/opencv-doc/opencv4/html/227943776_1.jpg",
                           "/usr/share/doc/opencv-doc/opencv4/html/230501201_1.jpg",
                           "/usr/share/doc/opencv-doc/opencv4/html/ab.jpg",
                           "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"}) {
    if (!std::filesystem::exists(path)) continue;
    cv::Mat img = cv::imread(path);
    if (img.empty()) continue;
    cv::Mat gray;
    cv::cvtColor(img, gray, cv::COLOR_BGR2GRAY);
    std::vector<cv::Rect> faces;
    cascade.detectMultiScale(gray, faces, 1.1, 5, 0, cv::Size(60, 60));
    if (faces.empty()) continue;
    const cv::Rect face =
        *std::max_element(faces.begin(), faces.end(),
                          [](const cv::Rect& a, const cv::Rect& b) { return a.area() < b.area(); });
    const int w = face.width * 2, h = face.height * 2;
    cv::Rect crop(face.x + face.width / 2 - w / 2, face.y + face.height / 2 - h / 2, w, h);
    crop &= cv::Rect(0, 0, img.cols, img.rows);
    return img(crop).clone();
  }
  return {};
}

TEST(VideoFeatures, FacePresenceOnAPastedFacecam) {
  const cv::Mat crop = FacecamCrop();
  if (crop.empty()) GTEST_SKIP() << "no face photo (install opencv-doc and opencv-data)";
  // A 640x360 keyframe of gameplay with the facecam in the bottom-left third.
  cv::Mat with_face = Scene({120, 80, 30}, {30, 60, 120});
  cv::resize(with_face, with_face, cv::Size(640, 360));
  const cv::Mat without_face = with_face.clone();
  const int box_w = 640 * 30 / 100;
  const int box_h = box_w * crop.rows / crop.cols;
  cv::Mat box;
  cv::resize(crop, box, cv::Size(box_w, box_h), 0, 0, cv::INTER_AREA);
  box.copyTo(with_face(cv::Rect(8, 360 - box_h - 8, box_w, box_h)));

  auto extractor = VideoFeatureExtractor::Create({.face_every_n_keyframes = 1});
  ASSERT_TRUE(extractor.ok()) << extractor.status().ToString();
  const std::vector<const cv::Mat*> order = {&without_face, &with_face, &with_face, &without_face};
  for (size_t i = 0; i < order.size(); ++i) {
    ASSERT_TRUE(extractor->Push(ToFrame(*order[i], static_cast<TimeMs>(i) * 2000)).ok());
  }
  const VideoFeatures f = extractor->Finish(8000);
  EXPECT_EQ(f.keyframes[0].face, 0);
  EXPECT_EQ(f.keyframes[1].face, 1);
  EXPECT_EQ(f.keyframes[2].face, 1);
  EXPECT_EQ(f.keyframes[3].face, 0);
  EXPECT_EQ(f.face.values[5], 1);  // 2.5 s, held from the keyframe at 2 s
}

TEST(VideoFeatures, FaceCheckedEveryNthKeyframeAndHeld) {
  const cv::Mat crop = FacecamCrop();
  if (crop.empty()) GTEST_SKIP() << "no face photo (install opencv-doc and opencv-data)";
  cv::Mat with_face(360, 640, CV_8UC3, cv::Scalar(40, 40, 40));
  cv::Mat box;
  cv::resize(crop, box, cv::Size(192, 192 * crop.rows / crop.cols), 0, 0, cv::INTER_AREA);
  box.copyTo(with_face(cv::Rect(8, 8, box.cols, box.rows)));
  const cv::Mat blank(360, 640, CV_8UC3, cv::Scalar(40, 40, 40));
  auto extractor = VideoFeatureExtractor::Create({.face_every_n_keyframes = 2});
  ASSERT_TRUE(extractor.ok());
  // Checked at 0 and 2: keyframe 1 (blank) holds keyframe 0's face; keyframe 3 holds 2's.
  const std::vector<const cv::Mat*> order = {&with_face, &blank, &blank, &with_face};
  for (size_t i = 0; i < order.size(); ++i) {
    ASSERT_TRUE(extractor->Push(ToFrame(*order[i], static_cast<TimeMs>(i) * 1000)).ok());
  }
  const VideoFeatures f = extractor->Finish(4000);
  EXPECT_EQ(f.keyframes[0].face, 1);
  EXPECT_EQ(f.keyframes[1].face, 1);
  EXPECT_EQ(f.keyframes[2].face, 0);
  EXPECT_EQ(f.keyframes[3].face, 0);
}

}  // namespace
}  // namespace clipthat::analysis
