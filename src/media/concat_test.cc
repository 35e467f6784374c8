#include "media/concat.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "core/files.h"
#include "testing/media_fixtures.h"

extern "C" {
#include <libavformat/avformat.h>
}

namespace clipthat::media {
namespace {

namespace fs = std::filesystem;

TimeMs DurationMs(const fs::path& path) {
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) return -1;
  avformat_find_stream_info(fmt, nullptr);
  const TimeMs ms = fmt->duration * 1000 / AV_TIME_BASE;
  avformat_close_input(&fmt);
  return ms;
}

std::map<std::string, int> CountByType(const std::vector<testing::PacketRecord>& packets) {
  std::map<std::string, int> n;
  for (const auto& p : packets) ++n[p.media_type];
  return n;
}

class ConcatTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("concat-test");
    auto a = testing::MakeTestMedia(dir_->path() / "a.mp4", {.duration_ms = 2000});
    auto b = testing::MakeTestMedia(dir_->path() / "b.mp4", {.duration_ms = 1000});
    ASSERT_TRUE(a.ok() && b.ok());
    a_ = *a;
    b_ = *b;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static TempDir* dir_;
  static std::string a_, b_;
};

TempDir* ConcatTest::dir_ = nullptr;
std::string ConcatTest::a_, ConcatTest::b_;

TEST_F(ConcatTest, JoinsPiecesInOrder) {
  const std::vector<std::string> inputs = {a_, b_, a_, a_};
  const fs::path out = dir_->path() / "joined.mp4";
  std::vector<std::pair<size_t, size_t>> progress;
  ConcatOptions options;
  options.on_progress = [&](size_t done, size_t total) { progress.emplace_back(done, total); };
  const Status st = ConcatStreamCopy(inputs, out.string(), options);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
  ASSERT_EQ(progress.size(), 4u);
  EXPECT_EQ(progress.back(), (std::pair<size_t, size_t>{4, 4}));

  // Duration is the sum of the pieces' (each rounds up to its last audio frame).
  TimeMs sum = 0;
  for (const auto& in : inputs) sum += DurationMs(in);
  EXPECT_NEAR(DurationMs(out), sum, 30);
  EXPECT_NEAR(DurationMs(out), 7000, 100);

  // Every video packet copied; audio loses only the priming packet of each later piece.
  auto a_packets = testing::ReadAllPackets(a_);
  auto b_packets = testing::ReadAllPackets(b_);
  auto out_packets = testing::ReadAllPackets(out);
  ASSERT_TRUE(a_packets.ok() && b_packets.ok() && out_packets.ok());
  auto na = CountByType(*a_packets), nb = CountByType(*b_packets), no = CountByType(*out_packets);
  EXPECT_EQ(no["video"], 3 * na["video"] + nb["video"]);
  EXPECT_NEAR(no["audio"], 3 * na["audio"] + nb["audio"], 3);

  // Decode timestamps increase in every stream.
  std::map<int, std::int64_t> last_dts;
  for (const auto& p : *out_packets) {
    if (last_dts.count(p.stream_index)) {
      EXPECT_GT(p.dts, last_dts[p.stream_index]) << p.media_type;
    }
    last_dts[p.stream_index] = p.dts;
  }
  EXPECT_LT(testing::FindTopLevelBox(out, "moov"), testing::FindTopLevelBox(out, "mdat"));

  // The pictures play in order: 0..59, 0..29, 0..59, 0..59, at increasing times.
  auto frames = testing::DecodeAllVideo(out, PixelFormat::kGray8);
  ASSERT_TRUE(frames.ok());
  ASSERT_EQ(frames->size(), 210u);
  std::vector<int> expected;
  for (int n : {60, 30, 60, 60}) {
    for (int i = 0; i < n; ++i) expected.push_back(i);
  }
  for (std::size_t i = 0; i < frames->size(); ++i) {
    ASSERT_EQ(testing::ReadFrameIndex((*frames)[i]), expected[i]) << "frame " << i;
    if (i > 0) {
      ASSERT_GT((*frames)[i].pts_ms, (*frames)[i - 1].pts_ms);
    }
  }
  // Piece starts stay in sync with the audio: the third piece starts at a's + b's duration.
  EXPECT_NEAR((*frames)[90].pts_ms, DurationMs(a_) + DurationMs(b_), 2);
}

TEST_F(ConcatTest, ManyRepeatsOfOnePiece) {
  const std::vector<std::string> inputs(60, b_);
  const fs::path out = dir_->path() / "long.mp4";
  size_t calls = 0;
  const Status st =
      ConcatStreamCopy(inputs, out.string(), {.on_progress = [&](size_t, size_t) { ++calls; }});
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(calls, 60u);
  EXPECT_NEAR(DurationMs(out), 60 * DurationMs(b_), 60);
  auto packets = testing::ReadAllPackets(out);
  ASSERT_TRUE(packets.ok());
  EXPECT_EQ(CountByType(*packets)["video"], 60 * 30);
}

TEST_F(ConcatTest, RejectsMismatchedOrMissingInputs) {
  auto small = testing::MakeTestMedia(dir_->path() / "small.mp4",
                                      {.duration_ms = 1000, .width = 160, .height = 90});
  ASSERT_TRUE(small.ok());
  const fs::path out = dir_->path() / "bad.mp4";
  Status st = ConcatStreamCopy({a_, *small}, out.string());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("small.mp4"), std::string::npos) << st.message();
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));

  auto silent = testing::MakeTestMedia(dir_->path() / "silent.mp4",
                                       {.duration_ms = 1000, .with_audio = false});
  ASSERT_TRUE(silent.ok());
  st = ConcatStreamCopy({a_, *silent}, out.string());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("silent.mp4"), std::string::npos);

  const std::string missing = (dir_->path() / "missing.mp4").string();
  st = ConcatStreamCopy({a_, missing}, out.string());
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_NE(st.message().find("missing.mp4"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));

  EXPECT_EQ(ConcatStreamCopy({}, out.string()).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clipthat::media
