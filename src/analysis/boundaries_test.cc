#include "analysis/boundaries.h"

#include <gtest/gtest.h>

namespace clipthat::analysis {
namespace {

Moment Candidate(TimeMs peak) {
  Moment m;
  m.peak_ms = peak;
  const TimeRange r = MomentWindow(peak, 600000);
  m.start_ms = r.start_ms;
  m.end_ms = r.end_ms;
  return m;
}

void ExpectLimits(const TimeRange& r, const Moment& m) {
  EXPECT_GE(r.end_ms - r.start_ms, 15000);
  EXPECT_LE(r.end_ms - r.start_ms, 60000);
  EXPECT_LE(m.peak_ms - r.start_ms, (r.end_ms - r.start_ms) / 3 + 1);
  EXPECT_GE(m.peak_ms, r.start_ms);
}

TEST(BoundariesTest, SnapsToSilencesNearTheWindow) {
  Moment m = Candidate(100000);  // window 92.5 s .. 122.5 s
  std::vector<TimeRange> silences = {{89000, 90500}, {123000, 124000}, {300000, 301000}};
  TimeRange r = SnapBoundaries(m, silences, 600000);
  EXPECT_EQ(r.start_ms, 90500 - 150);
  EXPECT_EQ(r.end_ms, 123000 + 150);
  ExpectLimits(r, m);
}

TEST(BoundariesTest, NeverStartsOrEndsMidWord) {
  Moment m = Candidate(100000);
  // Continuous speech: 400 ms words with 50 ms gaps, one sentence end at 92 s.
  for (TimeMs t = 80000; t < 140000; t += 450) {
    std::string text = (t == 91700) ? "done." : "word";
    m.words.push_back({text, t, t + 400, 0.9});
  }
  TimeRange r = SnapBoundaries(m, {}, 600000);
  for (const MomentWord& w : m.words) {
    EXPECT_FALSE(r.start_ms > w.start_ms && r.start_ms < w.end_ms) << r.start_ms;
    EXPECT_FALSE(r.end_ms > w.start_ms && r.end_ms < w.end_ms) << r.end_ms;
  }
  EXPECT_GE(r.start_ms, 92100);  // after the sentence end
  EXPECT_LE(r.start_ms, 92300);
  ExpectLimits(r, m);
}

TEST(BoundariesTest, KeepsPeakInFirstThirdAndLengthLimits) {
  Moment m = Candidate(100000);
  // Only a silence far before the peak: snapping there would push the peak past a third.
  TimeRange r = SnapBoundaries(m, {{60000, 61000}}, 600000, {.search_ms = 60000});
  ExpectLimits(r, m);
}

TEST(BoundariesTest, ShortSourceIsWhole) {
  Moment m;
  m.peak_ms = 3000;
  m.end_ms = 10000;
  TimeRange r = SnapBoundaries(m, {}, 10000);
  EXPECT_EQ(r.start_ms, 0);
  EXPECT_EQ(r.end_ms, 10000);
}

}  // namespace
}  // namespace clipthat::analysis
