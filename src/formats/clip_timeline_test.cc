#include "formats/clip_timeline.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace clipthat::formats {
namespace {

// The header's example: window [61000, 71000), cuts [63000, 63400) and [65000, 66000).
ClipTimeline Example() { return ClipTimeline(61000, 71000, {{63000, 63400}, {65000, 66000}}); }

TEST(ClipTimelineTest, WithoutCutsTheClipIsTheWindow) {
  const ClipTimeline t(61000, 91000, {});
  EXPECT_FALSE(t.has_cuts());
  EXPECT_EQ(t.kept_ms(), 30000);
  ASSERT_EQ(t.segments().size(), 1u);
  EXPECT_EQ(t.segments()[0], (KeptSegment{61000, 91000, 0}));
  EXPECT_EQ(t.VodMsAt(0), 61000);
  EXPECT_EQ(t.VodMsAt(2500), 63500);
  EXPECT_EQ(t.ClipMsAt(63500), 2500);
  EXPECT_EQ(t.ClipMsAt(50000), 0);
  EXPECT_EQ(t.ClipMsAt(95000), 30000);
  EXPECT_FALSE(t.InCut(70000));
}

TEST(ClipTimelineTest, KeptSegmentsPlayBackToBack) {
  const ClipTimeline t = Example();
  EXPECT_TRUE(t.has_cuts());
  EXPECT_EQ(t.kept_ms(), 8600);
  const std::vector<KeptSegment> want = {
      {61000, 63000, 0}, {63400, 65000, 2000}, {66000, 71000, 3600}};
  EXPECT_EQ(t.segments(), want);
}

TEST(ClipTimelineTest, ClipTimeToVodTimeSkipsTheCuts) {
  const ClipTimeline t = Example();
  EXPECT_EQ(t.VodMsAt(0), 61000);
  EXPECT_EQ(t.VodMsAt(1999), 62999);
  EXPECT_EQ(t.VodMsAt(2000), 63400);  // a join shows the first instant after the cut
  EXPECT_EQ(t.VodMsAt(3599), 64999);
  EXPECT_EQ(t.VodMsAt(3600), 66000);
  EXPECT_EQ(t.VodMsAt(8599), 70999);
  EXPECT_EQ(t.VodMsAt(8600), 71000);  // runs on past the end
}

TEST(ClipTimelineTest, VodTimeToClipTime) {
  const ClipTimeline t = Example();
  EXPECT_EQ(t.ClipMsAt(61000), 0);
  EXPECT_EQ(t.ClipMsAt(63000), 2000);
  EXPECT_EQ(t.ClipMsAt(63200), 2000);  // inside a cut: its join
  EXPECT_EQ(t.ClipMsAt(63400), 2000);
  EXPECT_EQ(t.ClipMsAt(66500), 4100);
  EXPECT_EQ(t.ClipMsAt(71000), 8600);
  EXPECT_EQ(t.ClipMsAt(99000), 8600);
  // Round trips on kept time.
  for (TimeMs c = 0; c < t.kept_ms(); c += 7) ASSERT_EQ(t.ClipMsAt(t.VodMsAt(c)), c) << c;
}

TEST(ClipTimelineTest, InCut) {
  const ClipTimeline t = Example();
  EXPECT_FALSE(t.InCut(62999));
  EXPECT_TRUE(t.InCut(63000));
  EXPECT_TRUE(t.InCut(63399));
  EXPECT_FALSE(t.InCut(63400));
  EXPECT_TRUE(t.InCut(65500));
  EXPECT_FALSE(t.InCut(60000));
  EXPECT_FALSE(t.InCut(71000));
}

TEST(ClipTimelineTest, CutsAtTheEdgesAndTouchingCuts) {
  const ClipTimeline t(1000, 5000, {{1000, 1500}, {2000, 2500}, {2500, 3000}, {4500, 5000}});
  const std::vector<KeptSegment> want = {{1500, 2000, 0}, {3000, 4500, 500}};
  EXPECT_EQ(t.segments(), want);
  EXPECT_EQ(t.kept_ms(), 2000);
  EXPECT_EQ(t.VodMsAt(0), 1500);
  EXPECT_EQ(t.VodMsAt(500), 3000);
  EXPECT_EQ(t.ClipMsAt(1200), 0);
  EXPECT_TRUE(t.InCut(1000));
  EXPECT_TRUE(t.InCut(2700));
  EXPECT_TRUE(t.InCut(4999));
}

TEST(ClipTimelineTest, WordsMoveToTheClipClockAndCutWordsGo) {
  EditList edit;
  edit.start_ms = 61000;
  edit.end_ms = 71000;
  edit.cuts = {{63000, 63400}, {65000, 66000}};
  edit.captions.words = {
      {"before", 60500, 61200},   // clipped to the window's start
      {"kept", 62000, 62400},     // plain
      {"deleted", 63000, 63400},  // exactly the cut
      {"tail", 62800, 63200},     // runs into a cut: shortened to its start
      {"head", 63200, 63600},     // starts in a cut: shortened to its end
      {"around", 64800, 66200},   // holds a whole cut: shorter by it on the clip's clock
      {"inside", 65100, 65200},   // wholly inside
      {"point", 65500, 65500},    // a zero-length word in a cut
      {"last", 70800, 71500},     // clipped to the window's end
  };
  const std::vector<EditWord> vod = WordsInClip(edit);
  const std::vector<EditWord> clip = ClipTimeline(edit).ToClipClock(vod);
  ASSERT_EQ(clip.size(), 6u);
  const std::vector<std::tuple<std::string, TimeMs, TimeMs>> want = {
      {"before", 0, 200},   {"kept", 1000, 1400},   {"tail", 1800, 2000},
      {"head", 2000, 2200}, {"around", 3400, 3800}, {"last", 8400, 8600}};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(clip[i].text, std::get<0>(want[i]));
    EXPECT_EQ(clip[i].start_ms, std::get<1>(want[i])) << clip[i].text;
    EXPECT_EQ(clip[i].end_ms, std::get<2>(want[i])) << clip[i].text;
  }
  // On the VOD clock the shortened words keep their kept side.
  EXPECT_EQ(vod[2].start_ms, 62800);
  EXPECT_EQ(vod[2].end_ms, 63000);
  EXPECT_EQ(vod[3].start_ms, 63400);
  EXPECT_EQ(vod[4].start_ms, 64800);
  EXPECT_EQ(vod[4].end_ms, 66200);
}

}  // namespace
}  // namespace clipthat::formats
