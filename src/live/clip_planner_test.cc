#include "live/clip_planner.h"

#include <gtest/gtest.h>

namespace clipthat::live {
namespace {

ClipWindow Window(TimeMs start, TimeMs end) {
  ClipWindow w;
  w.start_ms = start;
  w.end_ms = end;
  w.moment_ms = start + 8000;
  return w;
}

TEST(ClipPlanner, OneClipPerMoment) {
  ClipPlanner planner;
  auto first = planner.Offer(Window(60000, 84000), 80000, "voice: \"clip that\"");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, 1);
  // "clip that, clip that!" two seconds later, and chat asking a few seconds after.
  int same = 0;
  EXPECT_FALSE(planner.Offer(Window(62000, 86000), 82000, "voice again", &same));
  EXPECT_EQ(same, 1);
  EXPECT_FALSE(planner.Offer(Window(70000, 92000), 89000, "chat: 4 viewers", &same));
  EXPECT_EQ(same, 1);
  ASSERT_EQ(planner.planned().size(), 1u);
  EXPECT_EQ(planner.planned()[0].merged.size(), 2u);
  // A later moment is a new clip, even when the windows touch a little; it starts where the
  // first ends.
  auto second = planner.Offer(Window(80000, 110000), 105000, "chat: spike");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, 2);
  EXPECT_EQ(second->window.start_ms, 84000);
  EXPECT_EQ(second->window.end_ms, 110000);
  EXPECT_GE(second->window.moment_ms, 84000);
  // One whose window would keep under min_clip_ms after that is the earlier moment.
  EXPECT_FALSE(planner.Offer(Window(105000, 117000), 116000, "late", &same));
  EXPECT_EQ(same, 2);
}

TEST(ClipPlanner, ATriggerInsideAPlannedWindowIsTheSameMoment) {
  ClipPlanner planner;
  ASSERT_TRUE(planner.Offer(Window(0, 45000), 40000, "a"));
  EXPECT_FALSE(planner.Offer(Window(20000, 70000), 44000, "b"));  // overlap 25 s of 45 and 50
  EXPECT_TRUE(planner.Offer(Window(40000, 90000), 85000, "c"));   // overlap 5 s: a new moment
}

TEST(ClipPlanner, ForgetsTheOldestPastItsMemory) {
  ClipPlanner planner({.max_remembered = 2});
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(planner.Offer(Window(i * 100000, i * 100000 + 30000), i * 100000 + 20000, "x"));
  }
  EXPECT_EQ(planner.planned().size(), 2u);
  EXPECT_EQ(planner.planned().front().id, 3);
}

}  // namespace
}  // namespace clipthat::live
