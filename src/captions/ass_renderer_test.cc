#include "captions/ass_renderer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <thread>

#include "captions/karaoke_ass.h"
#include "captions/word_grouping.h"

namespace clipthat::captions {
namespace {

constexpr int kWidth = 1080;
constexpr int kHeight = 1920;
constexpr int kGrey = 128;

media::VideoFrame GreyFrame(int width = kWidth, int height = kHeight) {
  media::VideoFrame frame;
  frame.Allocate(width, height, media::PixelFormat::kYuv420p);
  std::fill(frame.data.begin(), frame.data.end(), kGrey);
  return frame;
}

struct Yuv {
  int y, u, v;
};

// BT.709 limited range from 8-bit RGB, the published matrix (independent of the renderer's
// own conversion).
Yuv Bt709(std::uint32_t rgba) {
  const double r = rgba >> 24 & 0xFF, g = rgba >> 16 & 0xFF, b = rgba >> 8 & 0xFF;
  return {static_cast<int>(std::lround(0.1826 * r + 0.6142 * g + 0.0620 * b + 16)),
          static_cast<int>(std::lround(-0.1006 * r - 0.3386 * g + 0.4392 * b + 128)),
          static_cast<int>(std::lround(0.4392 * r - 0.3989 * g - 0.0403 * b + 128))};
}

Yuv PixelAt(const media::VideoFrame& f, int x, int y) {
  const int cw = (f.width + 1) / 2, ch = (f.height + 1) / 2;
  const std::uint8_t* u = f.data.data() + static_cast<std::size_t>(f.width) * f.height;
  const std::uint8_t* v = u + static_cast<std::size_t>(cw) * ch;
  return {f.data[static_cast<std::size_t>(y) * f.width + x],
          u[static_cast<std::size_t>(y / 2) * cw + x / 2],
          v[static_cast<std::size_t>(y / 2) * cw + x / 2]};
}

// Pixels matching a colour (within `tolerance` on each of Y, U, V), or differing from grey.
struct Region {
  int count = 0;
  int x0 = 1 << 30, x1 = -1, y0 = 1 << 30, y1 = -1;
  void Add(int x, int y) {
    ++count;
    x0 = std::min(x0, x);
    x1 = std::max(x1, x);
    y0 = std::min(y0, y);
    y1 = std::max(y1, y);
  }
};

Region Matching(const media::VideoFrame& f, Yuv want, int tolerance, int y_from = 0,
                int y_to = kHeight) {
  Region region;
  for (int y = y_from; y < std::min(y_to, f.height); ++y) {
    for (int x = 0; x < f.width; ++x) {
      const Yuv p = PixelAt(f, x, y);
      if (std::abs(p.y - want.y) <= tolerance && std::abs(p.u - want.u) <= tolerance &&
          std::abs(p.v - want.v) <= tolerance) {
        region.Add(x, y);
      }
    }
  }
  return region;
}

Region Drawn(const media::VideoFrame& f, int y_from = 0, int y_to = kHeight) {
  Region region;
  for (int y = y_from; y < std::min(y_to, f.height); ++y) {
    for (int x = 0; x < f.width; ++x) {
      const Yuv p = PixelAt(f, x, y);
      if (p.y != kGrey || p.u != kGrey || p.v != kGrey) region.Add(x, y);
    }
  }
  return region;
}

CaptionStyle TestStyle(const std::string& animation) {
  CaptionStyle style;  // bold preset: Roboto Black, white fill, black outline
  style.active_rgba = 0xFFE500FF;
  style.animation = animation;
  return style;
}

// "ONE TWO SIX" on one line, each word 400 ms from 1000 ms.
const std::vector<CaptionWord> kWords = {
    {"one", 1000, 1400}, {"two", 1400, 1800}, {"six", 1800, 2200}};

AssRenderer OpenOrDie(const std::string& ass, int width = kWidth, int height = kHeight) {
  Result<AssRenderer> renderer = AssRenderer::Open(ass, width, height);
  EXPECT_TRUE(renderer.ok()) << renderer.status().ToString();
  return std::move(renderer).value();
}

TEST(AssRenderer, NothingIsDrawnBeforeTheFirstWord) {
  const CaptionStyle style = TestStyle("pop");
  AssRenderer renderer =
      OpenOrDie(WriteKaraokeAss(GroupWords(kWords, style), style, kWidth, kHeight));
  media::VideoFrame frame = GreyFrame();
  Result<bool> drawn = renderer.Render(500, &frame);
  ASSERT_TRUE(drawn.ok()) << drawn.status().ToString();
  EXPECT_FALSE(*drawn);
  EXPECT_EQ(Drawn(frame).count, 0);
  // ... and after the last word.
  drawn = renderer.Render(2500, &frame);
  ASSERT_TRUE(drawn.ok());
  EXPECT_FALSE(*drawn);
  EXPECT_EQ(Drawn(frame).count, 0);
}

TEST(AssRenderer, TheSpokenWordIsInTheActiveColourAndOnlyIt) {
  const CaptionStyle style = TestStyle("none");
  AssRenderer renderer =
      OpenOrDie(WriteKaraokeAss(GroupWords(kWords, style), style, kWidth, kHeight));
  const Yuv active = Bt709(style.active_rgba);
  const Yuv fill = Bt709(style.fill_rgba);
  Region spans[3];
  Region all;
  for (int k = 0; k < 3; ++k) {
    SCOPED_TRACE(k);
    media::VideoFrame frame = GreyFrame();
    Result<bool> drawn = renderer.Render(kWords[k].start_ms + 200, &frame);
    ASSERT_TRUE(drawn.ok());
    EXPECT_TRUE(*drawn);
    all = Drawn(frame);
    spans[k] = Matching(frame, active, 4);
    const Region white = Matching(frame, fill, 4);
    // Solid glyph interiors in the active colour, and the two other words in white.
    EXPECT_GT(spans[k].count, 1500);
    EXPECT_GT(white.count, 2 * 1500);
    // The caption sits around position_y_fraction, in the safe area.
    const int centre_y = static_cast<int>(style.position_y_fraction * kHeight);
    EXPECT_NEAR((spans[k].y0 + spans[k].y1) / 2, centre_y, style.font_size_px);
    EXPECT_LT(all.y1, static_cast<int>(0.8 * kHeight));
    EXPECT_GE(all.x0, static_cast<int>(style.margin_x_fraction * kWidth));
    EXPECT_LE(all.x1, static_cast<int>((1 - style.margin_x_fraction) * kWidth));
  }
  // The highlight moves left to right across the words, never overlapping the others.
  EXPECT_LT(spans[0].x1, spans[1].x0);
  EXPECT_LT(spans[1].x1, spans[2].x0);
  const int width = all.x1 - all.x0;
  EXPECT_LT(spans[0].x1, all.x0 + width * 2 / 5);  // "ONE": the left part only
  EXPECT_GT(spans[2].x0, all.x0 + width * 3 / 5);  // "SIX": the right part only
  EXPECT_LT(spans[1].x0, (all.x0 + all.x1) / 2);   // "TWO": across the middle
  EXPECT_GT(spans[1].x1, (all.x0 + all.x1) / 2);
}

TEST(AssRenderer, TheActiveWordPops) {
  const CaptionStyle style = TestStyle("pop");
  AssRenderer renderer =
      OpenOrDie(WriteKaraokeAss(GroupWords(kWords, style), style, kWidth, kHeight));
  const Yuv active = Bt709(style.active_rgba);
  media::VideoFrame peak = GreyFrame();
  media::VideoFrame settled = GreyFrame();
  ASSERT_TRUE(renderer.Render(kWords[1].start_ms + 90, &peak).ok());
  ASSERT_TRUE(renderer.Render(kWords[1].start_ms + 300, &settled).ok());
  const Region big = Matching(peak, active, 4);
  const Region normal = Matching(settled, active, 4);
  ASSERT_GT(normal.count, 1000);
  EXPECT_GT(big.count, normal.count * 1.15);
  EXPECT_GT(big.x1 - big.x0, (normal.x1 - normal.x0) * 1.08);
}

TEST(AssRenderer, TitleCardOnlyInTheFirstSeconds) {
  const CaptionStyle style = TestStyle("none");
  TitleCard title;
  title.text = "Boss fight";
  title.duration_ms = 2000;
  title.text_rgba = 0x000000FF;
  title.box_rgba = 0xFFFFFFFF;
  const std::vector<CaptionWord> words = {{"later", 3000, 3500}};
  AssRenderer renderer =
      OpenOrDie(WriteKaraokeAss(GroupWords(words, style), style, kWidth, kHeight, &title));
  const int top_end = kHeight * 3 / 10;
  media::VideoFrame frame = GreyFrame();
  Result<bool> drawn = renderer.Render(1000, &frame);
  ASSERT_TRUE(drawn.ok());
  EXPECT_TRUE(*drawn);
  const Region box = Matching(frame, Bt709(title.box_rgba), 3, 0, top_end);
  EXPECT_GT(box.count, 10000);
  EXPECT_GE(box.y0, static_cast<int>(0.12 * kHeight) - 40);
  EXPECT_GT(Matching(frame, Bt709(title.text_rgba), 3, 0, top_end).count, 500);
  EXPECT_EQ(Drawn(frame, top_end, kHeight).count, 0);

  frame = GreyFrame();
  drawn = renderer.Render(2500, &frame);
  ASSERT_TRUE(drawn.ok());
  EXPECT_FALSE(*drawn);
  EXPECT_EQ(Drawn(frame).count, 0);

  frame = GreyFrame();
  ASSERT_TRUE(renderer.Render(3200, &frame).ok());
  EXPECT_EQ(Drawn(frame, 0, top_end).count, 0);
  EXPECT_GT(Drawn(frame, top_end, kHeight).count, 1000);
}

TEST(AssRenderer, UnchangedImagesAreReused) {
  const CaptionStyle style = TestStyle("none");
  AssRenderer renderer =
      OpenOrDie(WriteKaraokeAss(GroupWords(kWords, style), style, kWidth, kHeight));
  media::VideoFrame first = GreyFrame();
  ASSERT_TRUE(renderer.Render(1100, &first).ok());
  const int composited = renderer.recomposite_count();
  media::VideoFrame second = GreyFrame();
  ASSERT_TRUE(renderer.Render(1133, &second).ok());  // same event, nothing moves
  EXPECT_EQ(renderer.recomposite_count(), composited);
  EXPECT_EQ(first.data, second.data);
  // The next word changes the picture.
  media::VideoFrame third = GreyFrame();
  ASSERT_TRUE(renderer.Render(1500, &third).ok());
  EXPECT_EQ(renderer.recomposite_count(), composited + 1);
  EXPECT_NE(first.data, third.data);
}

TEST(AssRenderer, EscapedWordsRenderLiterally) {
  // A word holding "\N" stays on one line: as tall as a plain word.
  CaptionStyle style = TestStyle("none");
  auto height_of = [&](const std::string& word) {
    AssRenderer renderer =
        OpenOrDie(WriteKaraokeAss(GroupWords({{word, 0, 1000}}, style), style, kWidth, kHeight));
    media::VideoFrame frame = GreyFrame();
    EXPECT_TRUE(renderer.Render(500, &frame).ok());
    const Region r = Drawn(frame);
    return r.y1 - r.y0;
  };
  const int plain = height_of("ANB");
  ASSERT_GT(plain, 40);
  EXPECT_NEAR(height_of("A\\NB"), plain, 4);
  EXPECT_NEAR(height_of("A\nB"), plain, 4);
  EXPECT_GT(height_of("{A}\\"), 40);  // braces drawn, not taken as tags
}

TEST(AssRenderer, AFullLineFitsBetweenTheMargins) {
  for (const std::string& name : CaptionPresetNames()) {
    SCOPED_TRACE(name);
    CaptionStyle style = *CaptionPreset(name);
    const int chars = MaxCharsPerLine(style);
    std::string text = "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG";
    if (!style.uppercase) text = "the quick brown fox jumps over the lazy dog";
    text.resize(static_cast<std::size_t>(chars));
    CaptionLine line;
    line.words = {{text, 0, 1000}};
    line.end_ms = 1000;
    AssRenderer renderer = OpenOrDie(WriteKaraokeAss({line}, style, kWidth, kHeight));
    media::VideoFrame frame = GreyFrame();
    ASSERT_TRUE(renderer.Render(90, &frame).ok());  // at the peak of the pop
    const Region r = Drawn(frame);
    const int margin = static_cast<int>(style.margin_x_fraction * kWidth);
    EXPECT_GE(r.x0, margin - 10) << text;
    EXPECT_LE(r.x1, kWidth - margin + 10) << text;
  }
}

TEST(AssRenderer, SeparateInstancesRenderInParallel) {
  const CaptionStyle style = TestStyle("pop");
  const std::string ass = WriteKaraokeAss(GroupWords(kWords, style), style, 540, 960);
  auto checksum = [&ass]() {
    Result<AssRenderer> renderer = AssRenderer::Open(ass, 540, 960);
    if (!renderer.ok()) return std::uint64_t{0};
    std::uint64_t sum = 0;
    for (TimeMs t = 900; t < 2300; t += 33) {
      media::VideoFrame frame = GreyFrame(540, 960);
      if (!renderer->Render(t, &frame).ok()) return std::uint64_t{0};
      for (std::size_t i = 0; i < frame.data.size(); ++i) sum = sum * 31 + frame.data[i];
    }
    return sum;
  };
  const std::uint64_t expected = checksum();
  ASSERT_NE(expected, 0u);
  std::uint64_t results[3] = {};
  std::vector<std::thread> threads;
  for (auto& result : results) threads.emplace_back([&result, &checksum] { result = checksum(); });
  for (auto& t : threads) t.join();
  for (std::uint64_t r : results) EXPECT_EQ(r, expected);
}

TEST(AssRenderer, LibassMessagesGoToTheLogger) {
  auto sink = std::make_shared<MemorySink>();
  Logger logger(sink, LogLevel::kTrace);
  Result<AssRenderer> renderer =
      AssRenderer::Open(WriteKaraokeAss({}, CaptionStyle{}, 64, 64), 64, 64, logger);
  ASSERT_TRUE(renderer.ok());
  const auto lines = sink->lines();
  ASSERT_FALSE(lines.empty());
  for (const MemorySink::Line& line : lines) {
    EXPECT_EQ(line.module, "libass");
    EXPECT_LT(line.level, LogLevel::kWarn) << line.message;  // nothing wrong: debug and below
  }
  // Quiet by default: a logger at info hears nothing from a healthy renderer.
  auto quiet_sink = std::make_shared<MemorySink>();
  ASSERT_TRUE(AssRenderer::Open(WriteKaraokeAss({}, CaptionStyle{}, 64, 64), 64, 64,
                                Logger(quiet_sink, LogLevel::kInfo))
                  .ok());
  EXPECT_TRUE(quiet_sink->lines().empty());
}

TEST(AssRenderer, RejectsBadInput) {
  EXPECT_EQ(AssRenderer::Open("", 0, 100).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AssRenderer::Open("hello", 100, 100).status().code(), StatusCode::kDataError);
  AssRenderer renderer = OpenOrDie(WriteKaraokeAss({}, CaptionStyle{}, 64, 64), 64, 64);
  media::VideoFrame wrong_size = GreyFrame(32, 32);
  EXPECT_EQ(renderer.Render(0, &wrong_size).status().code(), StatusCode::kInvalidArgument);
  media::VideoFrame bgr;
  bgr.Allocate(64, 64, media::PixelFormat::kBgr24);
  EXPECT_EQ(renderer.Render(0, &bgr).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(renderer.Render(0, nullptr).status().code(), StatusCode::kInvalidArgument);
}

TEST(AssRenderer, OddSizesStayInsideTheFrame) {
  const CaptionStyle style = TestStyle("pop");
  AssRenderer renderer =
      OpenOrDie(WriteKaraokeAss(GroupWords(kWords, style), style, 361, 641), 361, 641);
  media::VideoFrame frame = GreyFrame(361, 641);
  Result<bool> drawn = renderer.Render(1500, &frame);
  ASSERT_TRUE(drawn.ok());
  EXPECT_TRUE(*drawn);
  EXPECT_GT(Matching(frame, Bt709(style.active_rgba), 6, 0, 641).count, 50);
}

// Not a test: prints the cost of captioning a 60 s 1080x1920 clip at 30 fps (1800 frames), with
// and without the pop animation. Run with --gtest_also_run_disabled_tests --gtest_filter='*Speed*'.
TEST(AssRenderer, DISABLED_Speed) {
  std::vector<CaptionWord> words;
  const char* vocabulary[] = {"chat", "this", "is", "absolutely", "insane", "no", "way", "bro"};
  for (int i = 0; i < 200; ++i) {  // about 3.3 words a second, a pause every 12 words
    const TimeMs start_ms = i * 280 + (i / 12) * 700;
    words.push_back({vocabulary[i % 8], start_ms, start_ms + 240});
  }
  for (const char* animation : {"pop", "none"}) {
    const CaptionStyle style = TestStyle(animation);
    const std::string ass = WriteKaraokeAss(GroupWords(words, style), style, kWidth, kHeight);
    // Open() includes libass's fontconfig set-up; the first in a process also loads fontconfig.
    std::printf("Open (ms):");
    for (int i = 0; i < 5; ++i) {
      Stopwatch open_watch;
      OpenOrDie(ass);
      std::printf(" %.1f", open_watch.ElapsedSeconds() * 1000);
    }
    std::printf("\n");
    AssRenderer renderer = OpenOrDie(ass);
    media::VideoFrame frame = GreyFrame();
    Stopwatch watch;
    const std::clock_t cpu_start = std::clock();
    int drawn_frames = 0;
    for (int i = 0; i < 1800; ++i) {
      Result<bool> drawn = renderer.Render(i * 1000 / 30, &frame);
      ASSERT_TRUE(drawn.ok());
      drawn_frames += *drawn ? 1 : 0;
    }
    const double wall_ms = watch.ElapsedSeconds() * 1000;
    const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    std::printf(
        "1800 frames, animation %s: %.3f ms/frame wall, %.3f ms/frame CPU (%d drawn, %d "
        "re-composited)\n",
        animation, wall_ms / 1800, cpu_ms / 1800, drawn_frames, renderer.recomposite_count());
  }
}

}  // namespace
}  // namespace clipthat::captions
