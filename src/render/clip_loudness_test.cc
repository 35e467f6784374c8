#include "render/clip_loudness.h"

#include <gtest/gtest.h>

#include "core/files.h"
#include "testing/media_fixtures.h"

namespace clipthat::render {
namespace {

// The test media's tone: 0.5 of full scale (-6 dBFS) on both channels, on for half of each
// second; the gated loudness is the tone's own, about -9.5 LUFS.
class ClipLoudnessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::QuietLibavLogs();
    dir_ = new TempDir("clipthat-clip-loudness-test");
    auto path = testing::MakeTestMedia(dir_->path() / "tone.mp4", {.duration_ms = 4000});
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    media_ = new std::string(*path);
  }
  static void TearDownTestSuite() {
    delete media_;
    delete dir_;
  }
  static TempDir* dir_;
  static std::string* media_;
};
TempDir* ClipLoudnessTest::dir_ = nullptr;
std::string* ClipLoudnessTest::media_ = nullptr;

TEST_F(ClipLoudnessTest, MeasuresTheWindowAndPlansTheGain) {
  auto l = MeasureClipLoudness(*media_, 500, 3500, 48000, 2, formats::AudioSpec{});
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  ASSERT_TRUE(l->source.integrated_lufs.has_value());
  EXPECT_NEAR(*l->source.integrated_lufs, -9.5, 1.0);
  EXPECT_NEAR(l->source.true_peak_dbtp, -6.0, 0.5);
  EXPECT_EQ(l->source.frames, 3 * 48000);
  // Turned down to -14 LUFS; the peaks land well under the ceiling.
  EXPECT_NEAR(l->gain.gain_db, -14 - *l->source.integrated_lufs, 1e-9);
  EXPECT_EQ(l->gain.limit, media::GainLimit::kNone);
}

TEST_F(ClipLoudnessTest, TheCeilingKeepsRoomForTheEncoder) {
  const media::LoudnessTarget t =
      LoudnessTargetFor({.normalize = true, .loudness_lufs = -10, .true_peak_dbtp = -2});
  EXPECT_DOUBLE_EQ(t.integrated_lufs, -10);
  EXPECT_DOUBLE_EQ(t.true_peak_ceiling_dbtp, -2 - kAacTruePeakMarginDb);
  // -9.5 LUFS to -5: +4.5 dB would put -6 dBTP peaks at -1.5; they may reach -3 only.
  auto l = MeasureClipLoudness(*media_, 0, 4000, 48000, 2,
                               {.normalize = true, .loudness_lufs = -5, .true_peak_dbtp = -2});
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_EQ(l->gain.limit, media::GainLimit::kTruePeak);
  EXPECT_NEAR(l->source.true_peak_dbtp + l->gain.gain_db, -2 - kAacTruePeakMarginDb, 1e-9);
}

TEST_F(ClipLoudnessTest, NormalizeFalseMeasuresButKeepsTheLevel) {
  auto l = MeasureClipLoudness(*media_, 0, 4000, 48000, 2, {.normalize = false});
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_TRUE(l->source.integrated_lufs.has_value());
  EXPECT_DOUBLE_EQ(l->gain.gain_db, 0);
}

TEST_F(ClipLoudnessTest, AFileWithoutAudioIsAnError) {
  auto silent = testing::MakeTestMedia(dir_->path() / "video-only.mp4",
                                       {.duration_ms = 1000, .with_audio = false});
  ASSERT_TRUE(silent.ok()) << silent.status().ToString();
  auto l = MeasureClipLoudness(*silent, 0, 1000, 48000, 2, {});
  EXPECT_FALSE(l.ok());
}

}  // namespace
}  // namespace clipthat::render
