#include "reframe/crop_path.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <optional>
#include <random>
#include <vector>

namespace clipthat::reframe {
namespace {

using Target = std::optional<std::pair<double, double>>;

CropPathOptions Options() { return CropPathOptions{}; }  // 1920x1080, 608x1080, 30 fps

std::vector<Target> Constant(int frames, double x, double y = 540) {
  return std::vector<Target>(frames, Target{{x, y}});
}

void ExpectValid(const std::vector<media::CropRect>& path, const CropPathOptions& o) {
  for (const media::CropRect& r : path) {
    EXPECT_EQ(r.width, o.crop_width);
    EXPECT_EQ(r.height, o.crop_height);
    EXPECT_GE(r.x, 0);
    EXPECT_GE(r.y, 0);
    EXPECT_LE(r.x + r.width, o.frame_width);
    EXPECT_LE(r.y + r.height, o.frame_height);
    EXPECT_EQ(r.x % 2, 0);
    EXPECT_EQ(r.y % 2, 0);
  }
}

double Centre(const media::CropRect& r) { return r.x + r.width / 2.0; }

TEST(CropPathTest, OneCropPerTarget) {
  const auto path = SolveCropPath(Constant(100, 700), Options());
  EXPECT_EQ(path.size(), 100u);
  ExpectValid(path, Options());
}

TEST(CropPathTest, StartsOnTheFirstTarget) {
  const auto path = SolveCropPath(Constant(10, 700), Options());
  ASSERT_FALSE(path.empty());
  EXPECT_NEAR(Centre(path.front()), 700, 1.0);
}

TEST(CropPathTest, NoisyStillTargetNeverMoves) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 12);  // detector jitter, px
  std::vector<Target> targets;
  for (int i = 0; i < 600; ++i) targets.push_back(Target{{900 + noise(rng), 500 + noise(rng)}});
  const auto path = SolveCropPath(targets, Options());
  ExpectValid(path, Options());
  for (std::size_t i = 1; i < path.size(); ++i) {
    ASSERT_EQ(path[i].x, path[0].x) << "frame " << i;
  }
}

TEST(CropPathTest, StepTargetPansWithBoundedSpeedAndAcceleration) {
  CropPathOptions o = Options();
  std::vector<Target> targets = Constant(60, 500);
  const auto after = Constant(120, 1400);
  targets.insert(targets.end(), after.begin(), after.end());
  const auto path = SolveCropPath(targets, o);
  ExpectValid(path, o);
  // Ends centred on the new target and at rest.
  EXPECT_NEAR(Centre(path.back()), 1400, 2.0);
  EXPECT_EQ(path[path.size() - 1].x, path[path.size() - 10].x);
  // Velocity within the bound (one even rounding of slack per frame).
  const double dt = 1.0 / o.fps;
  for (std::size_t i = 1; i < path.size(); ++i) {
    EXPECT_LE(std::abs(path[i].x - path[i - 1].x), o.max_speed_px_per_s * dt + 2.0) << i;
  }
  // Acceleration within the bound, over 5-frame spans so the 2 px rounding does not dominate.
  const int k = 5;
  const double span = k * dt;
  for (std::size_t i = 2 * k; i < path.size(); ++i) {
    const double accel = (path[i].x - 2.0 * path[i - k].x + path[i - 2 * k].x) / (span * span);
    EXPECT_LE(std::abs(accel), o.max_accel_px_per_s2 + 4.0 / (span * span)) << i;
  }
  // No overshoot: a step one way is a pan one way.
  for (std::size_t i = 1; i < path.size(); ++i) EXPECT_GE(path[i].x, path[i - 1].x) << i;
  // Eased: the first and last moves are small (no jump-start, no hard stop).
  std::size_t first_move = 0, last_move = 0;
  for (std::size_t i = 1; i < path.size(); ++i) {
    if (path[i].x != path[i - 1].x) {
      if (first_move == 0) first_move = i;
      last_move = i;
    }
  }
  ASSERT_GT(first_move, 0u);
  EXPECT_LE(std::abs(path[first_move].x - path[first_move - 1].x), 4);
  EXPECT_LE(std::abs(path[last_move].x - path[last_move - 1].x), 4);
}

TEST(CropPathTest, LookaheadStartsThePanBeforeTheStep) {
  CropPathOptions o = Options();
  o.lookahead_frames = 15;
  std::vector<Target> targets = Constant(60, 500);
  const auto after = Constant(90, 1400);
  targets.insert(targets.end(), after.begin(), after.end());
  const auto path = SolveCropPath(targets, o);
  std::size_t first_move = 0;
  for (std::size_t i = 1; i < path.size() && first_move == 0; ++i) {
    if (path[i].x != path[i - 1].x) first_move = i;
  }
  EXPECT_GT(first_move, 60u - o.lookahead_frames);
  EXPECT_LT(first_move, 60u);

  o.lookahead_frames = 0;
  const auto late = SolveCropPath(targets, o);
  std::size_t late_move = 0;
  for (std::size_t i = 1; i < late.size() && late_move == 0; ++i) {
    if (late[i].x != late[i - 1].x) late_move = i;
  }
  EXPECT_GE(late_move, 60u);
}

TEST(CropPathTest, SmallMovesInsideTheDeadZoneAreIgnored) {
  CropPathOptions o = Options();
  std::vector<Target> targets = Constant(60, 900);
  const double dz = o.dead_zone_fraction * o.crop_width;
  const auto near = Constant(60, 900 + dz * 0.8);
  targets.insert(targets.end(), near.begin(), near.end());
  const auto path = SolveCropPath(targets, o);
  for (const auto& r : path) EXPECT_EQ(r.x, path[0].x);
}

TEST(CropPathTest, NeverLeavesTheFrame) {
  CropPathOptions o = Options();
  std::vector<Target> targets;
  for (int i = 0; i < 300; ++i) {
    targets.push_back(Target{{i % 100 < 50 ? -500.0 : 2600.0, i % 60 < 30 ? -100.0 : 1500.0}});
  }
  ExpectValid(SolveCropPath(targets, o), o);
  o.crop_height = 500;  // a crop that can move vertically too
  ExpectValid(SolveCropPath(targets, o), o);
}

TEST(CropPathTest, NoTargetHoldsThenDriftsToTheCentre) {
  CropPathOptions o = Options();
  std::vector<Target> targets = Constant(30, 400);
  targets.resize(30 + 600);  // nullopt from frame 30 on
  const auto path = SolveCropPath(targets, o);
  ASSERT_EQ(path.size(), targets.size());
  const int start = path[0].x;
  // Held for the hold time after the last target left the lookahead window.
  for (int i = 0; i < 30 - o.lookahead_frames + o.no_target_hold_frames; ++i) {
    EXPECT_EQ(path[i].x, start) << i;
  }
  // Then drifts slowly and ends centred.
  for (std::size_t i = 1; i < path.size(); ++i) {
    EXPECT_LE(std::abs(path[i].x - path[i - 1].x), o.drift_speed_px_per_s / o.fps + 2.0);
  }
  EXPECT_EQ(path.back().x, (o.frame_width - o.crop_width) / 2);
}

TEST(CropPathTest, NoTargetAtAllStaysCentred) {
  const auto path = SolveCropPath(std::vector<Target>(90), Options());
  ASSERT_EQ(path.size(), 90u);
  for (const auto& r : path) EXPECT_EQ(r.x, (1920 - 608) / 2);
}

TEST(CropPathTest, OnlineMatchesOffline) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> pos(0, 1920);
  std::vector<Target> targets;
  for (int i = 0; i < 400; ++i) {
    if (i % 97 < 20) {
      targets.push_back(std::nullopt);
    } else {
      targets.push_back(Target{{i % 80 < 40 ? 600.0 : pos(rng), 540.0}});
    }
  }
  const auto offline = SolveCropPath(targets, Options());
  CropPathSolver solver(Options());
  std::vector<media::CropRect> online;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    solver.Push(targets[i]);
    while (auto r = solver.Pop()) online.push_back(*r);
    // Lookahead: crops come out lookahead_frames behind.
    EXPECT_EQ(online.size(), i + 1 >= 15 ? i + 1 - 15 : 0);
  }
  solver.Finish();
  while (auto r = solver.Pop()) online.push_back(*r);
  ASSERT_EQ(online.size(), offline.size());
  for (std::size_t i = 0; i < online.size(); ++i) {
    EXPECT_EQ(online[i].x, offline[i].x);
    EXPECT_EQ(online[i].y, offline[i].y);
  }
}

TEST(CropPathTest, FollowsAMovingTarget) {
  CropPathOptions o = Options();
  std::vector<Target> targets;
  for (int i = 0; i < 300; ++i) {  // 10 s of a target moving at 150 px/s back and forth
    const double x = 960 + 500 * std::sin(2 * M_PI * i / 300.0);
    targets.push_back(Target{{x, 540}});
  }
  const auto path = SolveCropPath(targets, o);
  for (std::size_t i = 0; i < path.size(); ++i) {
    EXPECT_LT(std::abs(Centre(path[i]) - targets[i]->first), o.crop_width / 2.0 - 60) << i;
  }
}

}  // namespace
}  // namespace clipthat::reframe
