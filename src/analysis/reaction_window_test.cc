#include "analysis/reaction_window.h"

#include <gtest/gtest.h>

#include <cmath>

namespace clipthat::analysis {
namespace {

// A reaction on a 1 s grid: flat 0, rising from `onset_s` to a peak at `peak_s`, decaying
// with time constant tau_s.
std::vector<double> Reaction(int n, int onset_s, int peak_s, double tau_s, double height) {
  std::vector<double> c(static_cast<size_t>(n), 0.0);
  for (int i = onset_s; i < n; ++i) {
    c[static_cast<size_t>(i)] = i <= peak_s ? height * (i - onset_s) / double(peak_s - onset_s)
                                            : height * std::exp(-(i - peak_s) / tau_s);
  }
  return c;
}

TEST(ReactionWindow, FollowsTheShapeOfTheReaction) {
  const auto c = Reaction(600, 300, 310, 15.0, 20);
  ReactionSpan s = ReactionWindow(c, 1000, 310, 600000);
  EXPECT_NEAR(s.window.start_ms, 300000, 3000);  // the onset, a little lead
  // Half the height after 15 * ln 2 = 10.4 s.
  EXPECT_NEAR(s.window.end_ms, 321000, 1500);
  EXPECT_NEAR(s.hook_ms, 305500, 1000);
}

TEST(ReactionWindow, LongAndShortReactionsGiveDifferentLengths) {
  const auto brief = Reaction(600, 300, 303, 3.0, 20);
  const auto long_one = Reaction(600, 300, 320, 40.0, 20);
  const ReactionSpan a = ReactionWindow(brief, 1000, 303, 600000);
  const ReactionSpan b = ReactionWindow(long_one, 1000, 320, 600000);
  EXPECT_EQ(a.window.end_ms - a.window.start_ms, 15000);  // grown to the minimum
  EXPECT_GT(b.window.end_ms - b.window.start_ms, 40000);
  EXPECT_LE(b.window.end_ms - b.window.start_ms, 60000);
}

TEST(ReactionWindow, StaysInsideTheSource) {
  const auto c = Reaction(100, 90, 95, 10.0, 5);
  ReactionSpan s = ReactionWindow(c, 1000, 95, 100000);
  EXPECT_EQ(s.window.end_ms, 100000);
  EXPECT_EQ(s.window.end_ms - s.window.start_ms, 15000);
  EXPECT_GE(s.hook_ms, s.window.start_ms);
  ReactionSpan tiny = ReactionWindow(c, 1000, 95, 8000);
  EXPECT_EQ(tiny.window.start_ms, 0);
  EXPECT_EQ(tiny.window.end_ms, 8000);
  ReactionSpan empty = ReactionWindow({}, 1000, 0, 100000);
  EXPECT_EQ(empty.window.end_ms, 100000);
}

TEST(ReactionWindow, SearchIsBounded) {
  // A plateau that never falls: the window stops at max_before / max_after and max_ms.
  std::vector<double> c(1000, 10.0);
  ReactionSpan s = ReactionWindow(c, 1000, 500, 1000000);
  EXPECT_GE(s.window.start_ms, (500 - 45 - 2) * 1000);
  EXPECT_LE(s.window.end_ms - s.window.start_ms, 60000);
}

}  // namespace
}  // namespace clipthat::analysis
