#include "reframe/face_follower.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "core/files.h"
#include "media/window_decoder.h"
#include "testing/media_fixtures.h"
#include "vision/testing/moving_face_media.h"

namespace clipthat::reframe {
namespace {

struct Run {
  std::vector<media::CropRect> crops;
  FaceFollowerStats stats;
};

// Streams every frame of `path` (as kYuv420p, the renderer's format) through a FaceFollower.
Result<Run> Follow(const std::string& path, int width, int height) {
  FaceFollowerOptions o;
  o.frame_width = width;
  o.frame_height = height;
  o.crop_height = height;
  o.crop_width = (height * 9 / 16) & ~1;
  ASSIGN_OR_RETURN(FaceFollower follower, FaceFollower::Create(o));
  media::WindowDecoderOptions wopt;
  wopt.format = media::PixelFormat::kYuv420p;
  wopt.audio_channels = 0;
  ASSIGN_OR_RETURN(media::WindowDecoder decoder, media::WindowDecoder::Open(path, wopt));
  Run run;
  media::DecodedItem item;
  long long pushed = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool more, decoder.Next(&item));
    if (!more) break;
    if (item.kind != media::DecodedItem::Kind::kVideo) continue;
    RETURN_IF_ERROR(follower.Push(item.video));
    ++pushed;
    while (auto crop = follower.Pop()) run.crops.push_back(*crop);
    // Crops come out lookahead_frames behind.
    if (static_cast<long long>(run.crops.size()) !=
        std::max(0LL, pushed - follower.lookahead_frames())) {
      return InternalError("crop count " + std::to_string(run.crops.size()) + " after " +
                           std::to_string(pushed) + " frames");
    }
  }
  follower.Finish();
  while (auto crop = follower.Pop()) run.crops.push_back(*crop);
  run.stats = follower.stats();
  return run;
}

bool Inside(const vision::FaceBox& face, const media::CropRect& crop) {
  return face.x >= crop.x && face.x + face.width <= crop.x + crop.width && face.y >= crop.y &&
         face.y + face.height <= crop.y + crop.height;
}

double MeanDisplacement(const std::vector<media::CropRect>& crops, std::size_t from,
                        std::size_t to) {
  double sum = 0;
  for (std::size_t i = from + 1; i < to; ++i) {
    sum += std::hypot(crops[i].x - crops[i - 1].x, crops[i].y - crops[i - 1].y);
  }
  return to > from + 1 ? sum / static_cast<double>(to - from - 1) : 0;
}

void ExpectValid(const std::vector<media::CropRect>& crops, int width, int height) {
  for (const media::CropRect& r : crops) {
    ASSERT_GE(r.x, 0);
    ASSERT_GE(r.y, 0);
    ASSERT_LE(r.x + r.width, width);
    ASSERT_LE(r.y + r.height, height);
    ASSERT_EQ(r.x % 2, 0);
    ASSERT_EQ(r.y % 2, 0);
  }
}

void Report(const char* what, const FaceFollowerStats& s) {
  const long long near = s.detections_run - s.full_scans;
  std::printf(
      "%s: %lld frames, %lld whole-frame scans (%.2f ms each), %lld near searches (%.2f ms each),"
      " %.2f ms per frame in all, %lld frames on a face, %lld on motion\n",
      what, s.frames, s.full_scans,
      s.full_scans ? 1000.0 * s.full_scan_seconds / s.full_scans : 0.0, near,
      near ? 1000.0 * (s.detect_seconds - s.full_scan_seconds) / near : 0.0,
      s.frames ? 1000.0 * s.total_seconds / s.frames : 0.0, s.frames_with_subject,
      s.frames_from_motion);
}

TEST(FaceFollowerTest, KeepsAPanningFaceInTheCropAndHoldsStillWhenItIsStill) {
  clipthat::testing::QuietLibavLogs();
  TempDir dir;
  auto media = vision::testing::WriteMovingFaceMedia(dir.path() / "pan.mp4");
  ASSERT_TRUE(media.ok()) << media.status().ToString();
  auto run = Follow(media->path, 1920, 1080);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  Report("pan", run->stats);
  const auto& crops = run->crops;
  ASSERT_EQ(static_cast<long long>(crops.size()), media->frame_count());
  ExpectValid(crops, 1920, 1080);
  EXPECT_EQ(run->stats.detections_run, (media->frame_count() + 5) / 6);
  EXPECT_GE(run->stats.frames_with_subject, media->frame_count() * 9 / 10);

  int inside = 0;
  for (std::size_t n = 0; n < crops.size(); ++n) inside += Inside(media->faces[n], crops[n]);
  EXPECT_GE(inside, 0.95 * crops.size()) << inside << " of " << crops.size();

  // Still phases: before the pan (less the lookahead) and after it has settled.
  const int fps = media->spec.fps;
  const std::size_t pan_start = media->spec.still_start_ms * fps / 1000;
  const std::size_t pan_end = (media->spec.still_start_ms + media->spec.pan_ms) * fps / 1000;
  const double still_before = MeanDisplacement(crops, 0, pan_start - 15);
  const double still_after = MeanDisplacement(crops, pan_end + 20, crops.size());
  std::printf(
      "face inside the crop in %d of %zu frames; still phases move %.3f and %.3f px/frame\n",
      inside, crops.size(), still_before, still_after);
  EXPECT_LT(still_before, 1.0);
  EXPECT_LT(still_after, 1.0);
  // And the pan did happen.
  EXPECT_GT(crops.back().x - crops.front().x, 400);
}

TEST(FaceFollowerTest, StillFaceNeverMovesTheCrop) {
  clipthat::testing::QuietLibavLogs();
  TempDir dir;
  vision::testing::MovingFaceSpec spec;
  spec.motion = vision::testing::FaceMotion::kStill;
  spec.with_audio = false;
  auto media = vision::testing::WriteMovingFaceMedia(dir.path() / "still.mp4", spec);
  ASSERT_TRUE(media.ok()) << media.status().ToString();
  auto run = Follow(media->path, 1920, 1080);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  Report("still", run->stats);
  ASSERT_EQ(static_cast<long long>(run->crops.size()), media->frame_count());
  EXPECT_LT(MeanDisplacement(run->crops, 0, run->crops.size()), 1.0);
  for (std::size_t n = 0; n < run->crops.size(); ++n) {
    EXPECT_TRUE(Inside(media->faces[n], run->crops[n])) << n;
  }
}

TEST(FaceFollowerTest, NoFaceFallsBackToMotionThenStaysInTheFrame) {
  clipthat::testing::QuietLibavLogs();
  TempDir dir;
  clipthat::testing::TestMediaSpec spec;
  spec.width = 640;
  spec.height = 360;
  spec.duration_ms = 3000;
  spec.with_audio = false;
  auto path = clipthat::testing::MakeTestMedia(dir.path() / "t.mp4", spec);
  ASSERT_TRUE(path.ok());
  auto run = Follow(*path, 640, 360);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->crops.size(), 90u);
  ExpectValid(run->crops, 640, 360);
  EXPECT_EQ(run->stats.frames_with_subject, 0);
  EXPECT_GT(run->stats.frames_from_motion, 0);  // the pattern's moving square and code
}

TEST(FaceFollowerTest, RejectsBadGeometryAndFrames) {
  FaceFollowerOptions o;
  o.frame_width = 640;
  o.frame_height = 360;
  o.crop_width = 800;
  o.crop_height = 360;
  EXPECT_EQ(FaceFollower::Create(o).status().code(), StatusCode::kInvalidArgument);
  o.crop_width = 202;
  auto follower = FaceFollower::Create(o);
  ASSERT_TRUE(follower.ok());
  EXPECT_EQ(follower->lookahead_frames(), 15);
  media::VideoFrame wrong;
  wrong.Allocate(320, 180, media::PixelFormat::kYuv420p);
  EXPECT_EQ(follower->Push(wrong).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clipthat::reframe
