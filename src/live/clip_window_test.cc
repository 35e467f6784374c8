#include "live/clip_window.h"

#include <gtest/gtest.h>

namespace clipthat::live {
namespace {

RecentSeries QuietLevel(TimeMs until_ms) {
  RecentSeries level({.bin_ms = 250, .keep_ms = 600000, .empty_value = -90});
  for (TimeMs t = 0; t < until_ms; t += 250) level.Set(t, -40);
  return level;
}

RecentSeries NoChat() { return RecentSeries({.bin_ms = 1000, .keep_ms = 600000}); }

TEST(ClipWindow, StartsBeforeTheLoudestStretchBeforeTheTrigger) {
  RecentSeries level = QuietLevel(100000);
  for (TimeMs t = 70000; t < 73000; t += 250) level.Set(t, -12);  // the reaction
  const ClipWindow w = ChooseClipWindow(80000, 80800, level, NoChat(), 0);
  EXPECT_STREQ(w.basis, "audio");
  EXPECT_NEAR(w.moment_ms, 71000, 1500);
  EXPECT_EQ(w.start_ms, w.moment_ms - 8000);
  EXPECT_EQ(w.end_ms, 80800 + 3000);
  EXPECT_LE(w.start_ms, 70000);
}

TEST(ClipWindow, TheTriggerPhraseItselfIsNotTheMoment) {
  RecentSeries level = QuietLevel(100000);
  for (TimeMs t = 79800; t < 81000; t += 250) level.Set(t, -5);  // "CLIP THAT!" shouted
  const ClipWindow w = ChooseClipWindow(80000, 80800, level, NoChat(), 0);
  EXPECT_STRNE(w.basis, "audio");
}

TEST(ClipWindow, ChatPeakLessTheReactionDelayWhenAudioShowsNothing) {
  RecentSeries chat = NoChat();
  for (int i = 0; i < 9; ++i) chat.Add(75000, 1);
  const ClipWindow w = ChooseClipWindow(78000, 78000, QuietLevel(100000), chat, 0);
  EXPECT_STREQ(w.basis, "chat");
  EXPECT_EQ(w.moment_ms, 75000 - 8000);
  EXPECT_EQ(w.start_ms, 67000 - 8000);
}

TEST(ClipWindow, DefaultWindowAndLengthBounds) {
  const ClipWindow w = ChooseClipWindow(80000, 80800, QuietLevel(100000), NoChat(), 0);
  EXPECT_STREQ(w.basis, "default");
  EXPECT_EQ(w.end_ms, 83800);
  EXPECT_EQ(w.start_ms, 60000);
  ClipWindowOptions o;
  o.min_clip_ms = 30000;
  EXPECT_EQ(ChooseClipWindow(80000, 80800, QuietLevel(100000), NoChat(), 0, o).start_ms,
            83800 - 30000);
  o.min_clip_ms = 5000;
  o.max_clip_ms = 10000;
  EXPECT_EQ(ChooseClipWindow(80000, 80800, QuietLevel(100000), NoChat(), 0, o).start_ms,
            83800 - 10000);
}

TEST(ClipWindow, NeverStartsBeforeTheBufferOrZero) {
  EXPECT_EQ(ChooseClipWindow(80000, 80800, QuietLevel(100000), NoChat(), 70000).start_ms, 70000);
  const ClipWindow early = ChooseClipWindow(3000, 3800, QuietLevel(5000), NoChat(), 0);
  EXPECT_EQ(early.start_ms, 0);
  EXPECT_EQ(early.end_ms, 6800);
  EXPECT_GE(early.moment_ms, 0);
}

}  // namespace
}  // namespace clipthat::live
