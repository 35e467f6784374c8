#include "render/frame_picker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace clipthat::render {
namespace {

// Feeds frames at `source_fps` (timestamps rounded to ms, as the decoder gives them) and
// returns, per output frame, the index of the source frame it shows.
std::vector<int> Pick(double source_fps, TimeMs start_ms, TimeMs end_ms, int out_fps,
                      double first_offset_ms = 0) {
  CfrFramePicker picker(start_ms, end_ms, out_fps);
  std::vector<int> shown;
  int k = 0;
  int previous = -1;
  for (;; ++k) {
    const double t = start_ms + first_offset_ms + k * 1000.0 / source_fps;
    if (t >= end_ms) break;
    const long long n = picker.Next(static_cast<TimeMs>(std::lround(t)));
    for (long long i = 0; i < n; ++i) shown.push_back(previous);
    previous = k;
  }
  for (long long i = picker.Finish(); i > 0; --i) shown.push_back(previous);
  EXPECT_EQ(static_cast<long long>(shown.size()), picker.total_frames());
  return shown;
}

TEST(CfrFramePicker, SixtyToThirtyTakesEveryOtherFrame) {
  std::vector<int> shown = Pick(60, 10000, 12000, 30);
  ASSERT_EQ(shown.size(), 60u);
  for (size_t n = 0; n < shown.size(); ++n) EXPECT_EQ(shown[n], static_cast<int>(2 * n)) << n;
}

TEST(CfrFramePicker, SameRateIsOneToOne) {
  std::vector<int> shown = Pick(30, 0, 1000, 30);
  ASSERT_EQ(shown.size(), 30u);
  for (size_t n = 0; n < shown.size(); ++n) EXPECT_EQ(shown[n], static_cast<int>(n));
}

TEST(CfrFramePicker, LowRateIsRepeated) {
  std::vector<int> shown = Pick(15, 0, 1000, 30);
  ASSERT_EQ(shown.size(), 30u);
  for (size_t n = 0; n < shown.size(); ++n) EXPECT_EQ(shown[n], static_cast<int>(n / 2));
}

TEST(CfrFramePicker, NtscAndLateFirstFrame) {
  std::vector<int> shown = Pick(29.97, 0, 3000, 30, 5);
  ASSERT_EQ(shown.size(), 90u);
  // Monotonic, never skipping more than one source frame.
  for (size_t n = 1; n < shown.size(); ++n) {
    EXPECT_GE(shown[n], shown[n - 1]);
    EXPECT_LE(shown[n] - shown[n - 1], 2);
  }
  EXPECT_EQ(shown.front(), 0);
}

TEST(CfrFramePicker, SingleFrameFillsTheWindow) {
  CfrFramePicker picker(0, 500, 30);
  EXPECT_EQ(picker.Next(0), 0);
  EXPECT_EQ(picker.Finish(), 15);
  CfrFramePicker none(0, 500, 30);
  EXPECT_EQ(none.Finish(), 0);
}

TEST(CfrFramePicker, CutsAreSkipped) {
  // 30 fps source, window [0, 3000) less [1000, 2000): source frames 30..59 are never shown.
  CfrFramePicker picker(formats::ClipTimeline(0, 3000, {{1000, 2000}}), 30);
  ASSERT_EQ(picker.total_frames(), 60);
  std::vector<int> shown;
  for (int k = 0; k < 90; ++k) {
    const long long n = picker.Next(static_cast<TimeMs>(std::lround(k * 1000.0 / 30)));
    for (long long i = 0; i < n; ++i) shown.push_back(k - 1);
  }
  for (long long i = picker.Finish(); i > 0; --i) shown.push_back(89);
  ASSERT_EQ(shown.size(), 60u);
  for (size_t n = 0; n < shown.size(); ++n) {
    EXPECT_EQ(shown[n], static_cast<int>(n < 30 ? n : n + 30)) << n;
  }
}

}  // namespace
}  // namespace clipthat::render
