#include "analysis/moment.h"

#include <gtest/gtest.h>

namespace clipthat::analysis {
namespace {

void ExpectValid(TimeRange w, TimeMs peak, TimeMs duration, const MomentWindowOptions& o) {
  EXPECT_GE(w.start_ms, 0);
  EXPECT_LE(w.end_ms, duration);
  EXPECT_LE(w.start_ms, peak);
  EXPECT_GE(w.end_ms, peak);
  if (duration >= o.min_ms) {
    EXPECT_GE(w.end_ms - w.start_ms, o.min_ms);
    EXPECT_LE(w.end_ms - w.start_ms, o.max_ms);
  }
}

TEST(MomentWindow, PeakInFirstThird) {
  MomentWindowOptions o;
  TimeRange w = MomentWindow(600000, 3600000, o);
  EXPECT_EQ(w.end_ms - w.start_ms, 30000);
  EXPECT_LT(600000 - w.start_ms, (w.end_ms - w.start_ms) / 3);
  EXPECT_GT(600000 - w.start_ms, 0);
  ExpectValid(w, 600000, 3600000, o);
}

TEST(MomentWindow, ClampedAtStartAndEnd) {
  MomentWindowOptions o;
  TimeRange a = MomentWindow(2000, 3600000, o);
  EXPECT_EQ(a.start_ms, 0);
  EXPECT_EQ(a.end_ms, 30000);
  ExpectValid(a, 2000, 3600000, o);
  // Near the end: the window shortens but keeps the peak early while it can.
  TimeRange b = MomentWindow(3595000, 3600000, o);
  ExpectValid(b, 3595000, 3600000, o);
  EXPECT_EQ(b.end_ms, 3600000);
  EXPECT_EQ(b.end_ms - b.start_ms, 15000);
  TimeRange c = MomentWindow(3580000, 3600000, o);
  EXPECT_EQ(c.end_ms, 3600000);
  EXPECT_LT(3580000 - c.start_ms, (c.end_ms - c.start_ms) / 3);
}

TEST(MomentWindow, ShortSourceAndOptionLimits) {
  TimeRange w = MomentWindow(5000, 12000);
  EXPECT_EQ(w.start_ms, 0);
  EXPECT_EQ(w.end_ms, 12000);
  MomentWindowOptions o{.target_ms = 90000, .min_ms = 15000, .max_ms = 60000, .peak_position = 0.9};
  TimeRange x = MomentWindow(500000, 3600000, o);
  EXPECT_EQ(x.end_ms - x.start_ms, 60000);
  EXPECT_LE(500000 - x.start_ms, 20000);  // peak position capped at a third
  for (TimeMs peak = 0; peak <= 100000; peak += 3700)
    ExpectValid(MomentWindow(peak, 100000), peak, 100000, {});
}

TEST(PlaceholderTitle, Formats) {
  EXPECT_EQ(PlaceholderTitle(754000), "Moment at 12:34");
  EXPECT_EQ(PlaceholderTitle(3723000), "Moment at 1:02:03");
  EXPECT_EQ(PlaceholderTitle(0), "Moment at 0:00");
}

}  // namespace
}  // namespace clipthat::analysis
