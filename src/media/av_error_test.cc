#include "media/av_error.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "testing/media_fixtures.h"

namespace clipthat::media {
namespace {

TEST(AvErrorTest, MapsCodesAndKeepsContext) {
  const Status st = AvError(AVERROR(ENOENT), "vod.mp4");
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.message(), "vod.mp4: " + AvErrorString(AVERROR(ENOENT)));
  EXPECT_EQ(AvError(AVERROR_INVALIDDATA, "x").code(), StatusCode::kDataError);
  EXPECT_EQ(AvError(AVERROR_EOF, "x").code(), StatusCode::kDataError);
  EXPECT_EQ(AvError(AVERROR_ENCODER_NOT_FOUND, "x").code(), StatusCode::kUnsupported);
  EXPECT_EQ(AvError(AVERROR_DECODER_NOT_FOUND, "x").code(), StatusCode::kUnsupported);
  EXPECT_EQ(AvError(AVERROR(EINVAL), "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AvError(AVERROR(ENOMEM), "x").code(), StatusCode::kIoError);
  EXPECT_EQ(AvError(AVERROR(EACCES), "x").code(), StatusCode::kIoError);
  EXPECT_EQ(AvError(AVERROR_EXIT, "x").code(), StatusCode::kCancelled);
  EXPECT_EQ(AvError(AVERROR_EXTERNAL, "x").code(), StatusCode::kUnavailable);
  EXPECT_EQ(AvError(AVERROR_BUG, "x").code(), StatusCode::kInternal);
  EXPECT_FALSE(AvErrorString(AVERROR_INVALIDDATA).empty());
}

TEST(AvErrorTest, OpenInputFileErrorsNameThePath) {
  TempDir dir;
  const std::string missing = (dir.path() / "missing.mp4").string();
  auto a = OpenInputFile(missing);
  EXPECT_EQ(a.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(a.status().message(), missing + ": no such file");

  const auto text = dir.path() / "notes.txt";
  ASSERT_TRUE(testing::WriteNonMediaFile(text).ok());
  auto b = OpenInputFile(text.string());
  EXPECT_EQ(b.status().code(), StatusCode::kDataError);
  EXPECT_EQ(b.status().message().rfind(text.string() + ": not a media file", 0), 0u);

  auto made = testing::MakeTestMedia(dir.path() / "ok.mp4", {.duration_ms = 500});
  ASSERT_TRUE(made.ok());
  auto c = OpenInputFile(*made);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)->nb_streams, 2u);
}

TEST(AvErrorTest, OwnersFreeOnDestruction) {
  AvFramePtr frame = MakeAvFrame();
  AvPacketPtr packet = MakeAvPacket();
  ASSERT_TRUE(frame && packet);
  AvCodecContextPtr ctx(avcodec_alloc_context3(nullptr));
  ASSERT_TRUE(ctx);
  AvFramePtr moved = std::move(frame);
  EXPECT_FALSE(frame);
  EXPECT_EQ(ToAvPixelFormat(PixelFormat::kBgr24), AV_PIX_FMT_BGR24);
  EXPECT_EQ(ToAvPixelFormat(PixelFormat::kGray8), AV_PIX_FMT_GRAY8);
  EXPECT_EQ(ToAvPixelFormat(PixelFormat::kYuv420p), AV_PIX_FMT_YUV420P);
}

}  // namespace
}  // namespace clipthat::media
