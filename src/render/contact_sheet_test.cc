#include "render/contact_sheet.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "core/files.h"
#include "render/thumbnail.h"
#include "testing/media_fixtures.h"

namespace clipthat::render {
namespace {

TEST(ContactSheetTest, OneRowPerClipOneTilePerFraction) {
  testing::QuietLibavLogs();
  TempDir dir;
  auto a = testing::MakeTestMedia(dir.path() / "a.mp4",
                                  {.duration_ms = 2000, .width = 180, .height = 320});
  auto b = testing::MakeTestMedia(dir.path() / "b.mp4",
                                  {.duration_ms = 1000, .width = 180, .height = 320});
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string png = (dir.path() / "sheet.png").string();
  Status st = WriteContactSheet({{*a, "clip-01  fill"}, {*b, "clip-02  split"}}, png,
                                {.fractions = {0.1, 0.5, 0.9}, .tile_width_px = 90});
  ASSERT_TRUE(st.ok()) << st.ToString();
  const cv::Mat sheet = cv::imread(png);
  ASSERT_FALSE(sheet.empty());
  EXPECT_EQ(sheet.cols, 8 + 3 * (90 + 8));
  EXPECT_EQ(sheet.rows, 8 + 2 * (30 + 160 + 22 + 8));
  // The tiles hold the pictures: the test pattern's white code blocks show up.
  const cv::Mat tile = sheet(cv::Rect(8, 8 + 30, 90, 160));
  double max_value = 0;
  cv::minMaxLoc(tile.reshape(1), nullptr, &max_value);
  EXPECT_GT(max_value, 200);

  EXPECT_FALSE(WriteContactSheet({}, png).ok());
  Status missing = WriteContactSheet({{(dir.path() / "none.mp4").string(), "x"}}, png);
  EXPECT_NE(missing.message().find("none.mp4"), std::string::npos);
}

TEST(ThumbnailTest, FrameIndexAndJpeg) {
  EXPECT_EQ(ThumbnailFrameIndex(900, 30, 2500), 105);  // 1 s after a 2.5 s title card
  EXPECT_EQ(ThumbnailFrameIndex(900, 30, 0), 300);     // a third of the way in
  EXPECT_EQ(ThumbnailFrameIndex(30, 30, 2500), 29);    // clamped into the clip
  EXPECT_EQ(ThumbnailPathFor("out/clip-01.mp4"), "out/clip-01.jpg");
  TempDir dir;
  media::VideoFrame frame;
  testing::DrawTestFrame(7, 64, 96, media::PixelFormat::kYuv420p, &frame);
  const std::string path = (dir.path() / "t.jpg").string();
  ASSERT_TRUE(WriteJpeg(frame, path).ok());
  const cv::Mat jpg = cv::imread(path);
  EXPECT_EQ(jpg.cols, 64);
  EXPECT_EQ(jpg.rows, 96);
}

}  // namespace
}  // namespace clipthat::render
