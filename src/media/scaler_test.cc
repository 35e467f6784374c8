#include "media/scaler.h"

#include <gtest/gtest.h>

#include "testing/media_fixtures.h"

namespace clipthat::media {
namespace {

const PixelFormat kFormats[] = {PixelFormat::kGray8, PixelFormat::kBgr24, PixelFormat::kYuv420p};

// Gray frame whose left half is 40 and right half 210.
VideoFrame TwoTone(int w, int h) {
  VideoFrame f;
  f.Allocate(w, h, PixelFormat::kGray8);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) f.data[y * w + x] = x < w / 2 ? 40 : 210;
  }
  return f;
}

TEST(FrameTest, BufferSizes) {
  EXPECT_EQ(VideoFrame::BufferSize(4, 2, PixelFormat::kGray8), 8u);
  EXPECT_EQ(VideoFrame::BufferSize(4, 2, PixelFormat::kBgr24), 24u);
  EXPECT_EQ(VideoFrame::BufferSize(4, 2, PixelFormat::kYuv420p), 12u);
  EXPECT_EQ(VideoFrame::BufferSize(5, 3, PixelFormat::kYuv420p), 15u + 2 * 3 * 2);
  EXPECT_EQ(VideoFrame::BufferSize(0, 3, PixelFormat::kGray8), 0u);
  VideoFrame f;
  f.Allocate(6, 4, PixelFormat::kBgr24);
  EXPECT_EQ(f.width, 6);
  EXPECT_EQ(f.height, 4);
  EXPECT_EQ(f.format, PixelFormat::kBgr24);
  EXPECT_EQ(f.data.size(), 72u);
}

TEST(ScalerTest, EveryFormatToEveryFormat) {
  Scaler scaler;
  for (PixelFormat in_format : kFormats) {
    VideoFrame in;
    testing::DrawTestFrame(77, 320, 180, in_format, &in);
    in.pts_ms = 1234;
    in.keyframe = true;
    for (PixelFormat out_format : kFormats) {
      for (auto [w, h] : {std::pair{160, 90}, std::pair{320, 180}, std::pair{480, 270}}) {
        VideoFrame out;
        ASSERT_TRUE(scaler.Convert(in, {}, w, h, out_format, &out).ok());
        EXPECT_EQ(out.width, w);
        EXPECT_EQ(out.height, h);
        EXPECT_EQ(out.format, out_format);
        EXPECT_EQ(out.data.size(), VideoFrame::BufferSize(w, h, out_format));
        EXPECT_EQ(out.pts_ms, 1234);
        EXPECT_TRUE(out.keyframe);
        EXPECT_EQ(testing::ReadFrameIndex(out), 77);
      }
    }
  }
}

TEST(ScalerTest, CropsTheRegion) {
  Scaler scaler;
  const VideoFrame in = TwoTone(200, 100);
  VideoFrame right;
  ASSERT_TRUE(scaler
                  .Convert(in, {.x = 100, .y = 0, .width = 100, .height = 100}, 50, 50,
                           PixelFormat::kGray8, &right)
                  .ok());
  for (std::uint8_t v : right.data) EXPECT_NEAR(v, 210, 2);
  VideoFrame left;
  ASSERT_TRUE(scaler
                  .Convert(in, {.x = 0, .y = 0, .width = 100, .height = 100}, 50, 50,
                           PixelFormat::kBgr24, &left)
                  .ok());
  for (std::uint8_t v : left.data) EXPECT_NEAR(v, 40, 2);
}

TEST(ScalerTest, ClampsTheCropAndDefaultsToItsSize) {
  Scaler scaler;
  const VideoFrame in = TwoTone(200, 100);
  VideoFrame out;
  ASSERT_TRUE(scaler
                  .Convert(in, {.x = 150, .y = 60, .width = 500, .height = 500}, 0, 0,
                           PixelFormat::kGray8, &out)
                  .ok());
  EXPECT_EQ(out.width, 50);
  EXPECT_EQ(out.height, 40);

  VideoFrame yuv;
  testing::DrawTestFrame(3, 64, 32, PixelFormat::kYuv420p, &yuv);
  ASSERT_TRUE(scaler
                  .Convert(yuv, {.x = 3, .y = 5, .width = 20, .height = 10}, 0, 0,
                           PixelFormat::kYuv420p, &out)
                  .ok());
  // Origin aligned down to (2, 4) for 4:2:0; the size is kept.
  EXPECT_EQ(out.width, 20);
  EXPECT_EQ(out.height, 10);
  EXPECT_EQ(out.data[0], yuv.data[4 * 64 + 2]);
}

TEST(ScalerTest, ConvertsInPlaceAndAfterAMove) {
  Scaler first;
  Scaler scaler = std::move(first);
  VideoFrame f;
  testing::DrawTestFrame(5, 320, 180, PixelFormat::kBgr24, &f);
  ASSERT_TRUE(scaler.Convert(f, {}, 160, 90, PixelFormat::kGray8, &f).ok());
  EXPECT_EQ(f.width, 160);
  EXPECT_EQ(f.format, PixelFormat::kGray8);
  EXPECT_EQ(testing::ReadFrameIndex(f), 5);
  // A moved-from scaler is still usable.
  VideoFrame g;
  ASSERT_TRUE(first.Convert(f, {}, 80, 46, PixelFormat::kGray8, &g).ok());  // NOLINT
  EXPECT_EQ(g.height, 46);
}

TEST(ScalerTest, RejectsEmptyInput) {
  Scaler scaler;
  VideoFrame empty, out;
  EXPECT_EQ(scaler.Convert(empty, {}, 10, 10, PixelFormat::kGray8, &out).code(),
            StatusCode::kInvalidArgument);
  VideoFrame short_data;
  short_data.width = 10;
  short_data.height = 10;
  short_data.format = PixelFormat::kBgr24;
  short_data.data.resize(20);
  EXPECT_EQ(scaler.Convert(short_data, {}, 10, 10, PixelFormat::kGray8, &out).code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clipthat::media
