#include "vision/face_tracker.h"

#include <gtest/gtest.h>

namespace clipthat::vision {
namespace {

FaceBox Box(double cx, double cy, double w) { return FaceBox{cx - w / 2, cy - w / 2, w, w, 10}; }

TEST(FaceTrackerTest, NoFacesNoSubject) {
  FaceTracker tracker;
  for (TimeMs t = 0; t < 3000; t += 200) EXPECT_FALSE(tracker.Observe(t, {}).has_value());
}

TEST(FaceTrackerTest, FollowsOneMovingFace) {
  FaceTracker tracker;
  std::optional<FaceBox> last;
  for (int i = 0; i < 30; ++i) {
    // 60 px per sample: more than the box overlap allows at times, within the centre distance.
    last = tracker.Observe(i * 200, {Box(300 + 60.0 * i, 500, 150)});
    if (i >= 1) {
      ASSERT_TRUE(last.has_value()) << i;
    }
  }
  EXPECT_NEAR(last->center_x(), 300 + 60.0 * 29, 60);
}

TEST(FaceTrackerTest, NeedsTwoSightingsToStart) {
  FaceTracker tracker;
  EXPECT_FALSE(tracker.Observe(0, {Box(500, 500, 100)}).has_value());
  EXPECT_TRUE(tracker.Observe(200, {Box(502, 500, 100)}).has_value());
}

TEST(FaceTrackerTest, HoldsThroughShortMissesThenLoses) {
  FaceTrackerOptions o;
  o.hold_ms = 1500;
  FaceTracker tracker(o);
  tracker.Observe(0, {Box(500, 500, 100)});
  tracker.Observe(200, {Box(500, 500, 100)});
  // Missed for 1.4 s: held at the last position.
  for (TimeMs t = 400; t <= 1600; t += 200) {
    auto s = tracker.Observe(t, {});
    ASSERT_TRUE(s.has_value()) << t;
    EXPECT_NEAR(s->center_x(), 500, 1);
  }
  // Beyond hold_ms since the last sighting (200 ms): lost.
  EXPECT_FALSE(tracker.Observe(1800, {}).has_value());
}

TEST(FaceTrackerTest, KeepsTheSubjectAgainstASomewhatBiggerRival) {
  FaceTracker tracker;
  for (TimeMs t = 0; t < 2000; t += 200) tracker.Observe(t, {Box(400, 500, 100)});
  // A rival 30% larger appears and stays: below the 1.5x margin, no switch ever.
  for (TimeMs t = 2000; t < 8000; t += 200) {
    auto s = tracker.Observe(t, {Box(400, 500, 100), Box(1400, 500, 130)});
    ASSERT_TRUE(s.has_value());
    EXPECT_NEAR(s->center_x(), 400, 5) << t;
  }
}

TEST(FaceTrackerTest, SwitchesOnlyAfterTheRivalWinsForSwitchMs) {
  FaceTrackerOptions o;
  o.switch_ms = 1500;
  FaceTracker tracker(o);
  for (TimeMs t = 0; t < 2000; t += 200) tracker.Observe(t, {Box(400, 500, 100)});
  // A much bigger rival for 1 s only: no switch.
  for (TimeMs t = 2000; t < 3000; t += 200) {
    auto s = tracker.Observe(t, {Box(400, 500, 100), Box(1400, 500, 300)});
    EXPECT_NEAR(s->center_x(), 400, 5) << t;
  }
  // Gone for longer than hold_ms: forgotten.
  for (TimeMs t = 3000; t < 5000; t += 200) tracker.Observe(t, {Box(400, 500, 100)});
  // It comes back and stays: the switch happens, but not before its score has beaten the
  // subject's by the margin for switch_ms.
  TimeMs switched_at = -1;
  for (TimeMs t = 5000; t < 11000; t += 200) {
    auto s = tracker.Observe(t, {Box(400, 500, 100), Box(1400, 500, 300)});
    ASSERT_TRUE(s.has_value());
    if (switched_at < 0 && s->center_x() > 1000) switched_at = t;
    if (switched_at >= 0) {
      EXPECT_NEAR(s->center_x(), 1400, 5) << t;
    }
  }
  ASSERT_GE(switched_at, 0);
  EXPECT_GE(switched_at, 5000 + o.switch_ms);
  EXPECT_LE(switched_at, 5000 + o.switch_ms + 2000);  // plus the time to build persistence
}

TEST(FaceTrackerTest, TakesTheOtherFaceWhenTheSubjectIsLost) {
  FaceTracker tracker;
  for (TimeMs t = 0; t < 2000; t += 200) {
    tracker.Observe(t, {Box(400, 500, 150), Box(1400, 500, 100)});
  }
  EXPECT_NEAR(tracker.Observe(2000, {Box(400, 500, 150), Box(1400, 500, 100)})->center_x(), 400, 5);
  std::optional<FaceBox> s;
  for (TimeMs t = 2200; t < 5000; t += 200) s = tracker.Observe(t, {Box(1400, 500, 100)});
  ASSERT_TRUE(s.has_value());
  EXPECT_NEAR(s->center_x(), 1400, 5);
}

TEST(FaceTrackerTest, SwitchesToARivalSeenOnlyOnceASecond) {
  // As FaceFollower sees it: the subject every 200 ms (near searches), the rest of the frame
  // once a second (whole-frame scans).
  FaceTracker tracker;
  for (TimeMs t = 0; t < 2000; t += 200) tracker.Observe(t, {Box(400, 500, 100)});
  TimeMs switched_at = -1;
  for (TimeMs t = 2000; t < 9000 && switched_at < 0; t += 200) {
    std::vector<FaceBox> faces = {Box(400, 500, 100)};
    if (t % 1000 == 0) faces.push_back(Box(1400, 500, 300));
    auto s = tracker.Observe(t, faces);
    if (s && s->center_x() > 1000) switched_at = t;
  }
  EXPECT_GE(switched_at, 2000 + 1500);
}

TEST(FaceTrackerTest, SmoothsDetectorJitter) {
  FaceTracker tracker;
  double max_dev = 0;
  for (int i = 0; i < 50; ++i) {
    const double jitter = (i % 2 == 0) ? 8 : -8;
    auto s = tracker.Observe(i * 200, {Box(800 + jitter, 500, 120)});
    if (s && i > 5) max_dev = std::max(max_dev, std::abs(s->center_x() - 800));
  }
  EXPECT_LT(max_dev, 8);
}

}  // namespace
}  // namespace clipthat::vision
