#include "vision/facecam_finder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <opencv2/imgproc.hpp>
#include <random>

namespace clipthat::vision {
namespace {

constexpr int kW = 960, kH = 540;

media::VideoFrame ToFrame(const cv::Mat& gray) {
  media::VideoFrame f;
  f.Allocate(gray.cols, gray.rows, media::PixelFormat::kGray8);
  std::memcpy(f.data.data(), gray.data, f.data.size());
  return f;
}

// "Gameplay": flat blocks of random grey that move with `t`, as a scrolling game does.
cv::Mat Game(int t, std::uint32_t seed = 7) {
  cv::Mat g(kH, kW, CV_8UC1, cv::Scalar(90));
  std::mt19937 rng(seed);
  for (int i = 0; i < 60; ++i) {
    const int x = static_cast<int>(rng() % kW), y = static_cast<int>(rng() % kH);
    const int w = 20 + static_cast<int>(rng() % 120), h = 20 + static_cast<int>(rng() % 90);
    const int shift = static_cast<int>(rng() % 7) * 13 * t;
    cv::rectangle(g, cv::Rect((x + shift) % kW, y, w, h), cv::Scalar(rng() % 256), cv::FILLED);
  }
  return g;
}

// A camera picture at `cam`: a bright room with a darker head, moved a little with `t` (the
// streamer sways), and an optional one-pixel border line.
void PaintCamera(cv::Mat& g, const cv::Rect& cam, int t, bool border) {
  g(cam).setTo(cv::Scalar(200));
  const cv::Point head(cam.x + cam.width / 2 + (t % 3) - 1, cam.y + cam.height * 9 / 20);
  cv::ellipse(g, head, cv::Size(cam.width / 5, cam.height / 4), 0, 0, 360, cv::Scalar(120),
              cv::FILLED);
  cv::rectangle(
      g, cv::Rect(cam.x + cam.width / 4, cam.y + cam.height * 3 / 4, cam.width / 2, cam.height / 4),
      cv::Scalar(60), cv::FILLED);
  if (border) cv::rectangle(g, cam, cv::Scalar(40), 1);
}

FaceBox FaceIn(const cv::Rect& cam) {
  const double fw = cam.width * 0.4;
  return {cam.x + cam.width / 2.0 - fw / 2, cam.y + cam.height * 0.45 - fw / 2, fw, fw, 10};
}

void ExpectNear(const media::CropRect& got, const cv::Rect& want, int tolerance) {
  EXPECT_NEAR(got.x, want.x, tolerance);
  EXPECT_NEAR(got.y, want.y, tolerance);
  EXPECT_NEAR(got.x + got.width, want.x + want.width, tolerance);
  EXPECT_NEAR(got.y + got.height, want.y + want.height, tolerance);
}

TEST(FacecamFinderTest, BorderedCameraOverMovingGame) {
  const cv::Rect cam(14, 380, 200, 150);  // bottom-left, inset from the edges
  std::vector<media::VideoFrame> frames;
  for (int t = 0; t < 4; ++t) {
    cv::Mat g = Game(t);
    PaintCamera(g, cam, t, true);
    frames.push_back(ToFrame(g));
  }
  std::optional<FacecamRect> found = FindFacecam(frames, FaceIn(cam));
  ASSERT_TRUE(found.has_value());
  ExpectNear(found->rect, cam, 2);
  EXPECT_GT(found->support, 0.95);
  EXPECT_EQ(found->frame_edge_sides, 0);
  EXPECT_EQ(found->guessed_sides, 0);
}

TEST(FacecamFinderTest, BorderlessCameraInTheCornerUsesTheFrameEdges) {
  const cv::Rect cam(kW - 240, 0, 240, 180);  // flush in the top-right corner
  std::vector<media::VideoFrame> frames;
  for (int t = 0; t < 3; ++t) {
    cv::Mat g = Game(t, 11);
    PaintCamera(g, cam, t, false);
    frames.push_back(ToFrame(g));
  }
  std::optional<FacecamRect> found = FindFacecam(frames, FaceIn(cam));
  ASSERT_TRUE(found.has_value());
  ExpectNear(found->rect, cam, 2);
  EXPECT_EQ(found->frame_edge_sides, 2);
}

TEST(FacecamFinderTest, OneFrameWithGameLinesAroundTheCameraPicksTheCamera) {
  // A static grid (an arena floor) frames the camera with lines of its own: the camera's own,
  // smaller rectangle wins.
  cv::Mat g(kH, kW, CV_8UC1, cv::Scalar(70));
  for (int x = 0; x < kW; x += 60) cv::line(g, {x, 0}, {x, kH}, cv::Scalar(160), 2);
  for (int y = 0; y < kH; y += 60) cv::line(g, {0, y}, {kW, y}, cv::Scalar(160), 2);
  const cv::Rect cam(130, 150, 160, 120);
  PaintCamera(g, cam, 0, true);
  std::optional<FacecamRect> found = FindFacecam({ToFrame(g)}, FaceIn(cam));
  ASSERT_TRUE(found.has_value());
  ExpectNear(found->rect, cam, 2);
}

TEST(FacecamFinderTest, TwoSidesShowingGiveA4By3GuessAroundTheFace) {
  // The camera's left and right sides match the game (same grey): only its top and bottom
  // lines show.
  const cv::Rect cam(300, 40, 200, 150);
  std::vector<media::VideoFrame> frames;
  for (int t = 0; t < 3; ++t) {
    cv::Mat g(kH, kW, CV_8UC1, cv::Scalar(200));
    cv::rectangle(g, cv::Rect(0, 0, kW, 30), cv::Scalar(60), cv::FILLED);
    cv::circle(g, {700 + 40 * t, 400}, 40, cv::Scalar(30), cv::FILLED);
    PaintCamera(g, cam, t, false);
    cv::line(g, {cam.x, cam.y}, {cam.x + cam.width - 1, cam.y}, cv::Scalar(60), 1);
    cv::line(g, {cam.x, cam.y + cam.height - 1}, {cam.x + cam.width - 1, cam.y + cam.height - 1},
             cv::Scalar(60), 1);
    frames.push_back(ToFrame(g));
  }
  std::optional<FacecamRect> found = FindFacecam(frames, FaceIn(cam));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->guessed_sides, 2);
  ExpectNear(found->rect, cam, 3);
}

TEST(FacecamFinderTest, NoCameraNoRectangle) {
  std::vector<media::VideoFrame> frames;
  for (int t = 0; t < 4; ++t) frames.push_back(ToFrame(Game(t, 3)));
  EXPECT_FALSE(FindFacecam(frames, FaceBox{400, 200, 60, 60, 5}).has_value());
  EXPECT_FALSE(FindFacecam({}, FaceBox{400, 200, 60, 60, 5}).has_value());
  // A face box of no size.
  EXPECT_FALSE(FindFacecam(frames, FaceBox{400, 200, 0, 0, 5}).has_value());
}

TEST(FacecamFinderTest, MovingEdgesDropOutButOneFrameIsTakenAsItIs) {
  // A camera shown in only one frame of four (a picture in the game) is not the overlay; shown
  // one frame, that frame is all there is to go by.
  const cv::Rect cam(500, 300, 200, 150);
  std::vector<media::VideoFrame> frames;
  for (int t = 0; t < 4; ++t) {
    cv::Mat g = Game(t, 5);
    if (t == 2) PaintCamera(g, cam, t, true);
    frames.push_back(ToFrame(g));
  }
  std::optional<FacecamRect> many = FindFacecam(frames, FaceIn(cam));
  if (many) {
    const media::CropRect& r = many->rect;
    EXPECT_LT(IntersectionOverUnion({double(r.x), double(r.y), double(r.width), double(r.height)},
                                    {500, 300, 200, 150, 0}),
              0.7);
  }
  std::optional<FacecamRect> one = FindFacecam({frames[2]}, FaceIn(cam));
  ASSERT_TRUE(one.has_value());
  ExpectNear(one->rect, cam, 2);
}

}  // namespace
}  // namespace clipthat::vision
