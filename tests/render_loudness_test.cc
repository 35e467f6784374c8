// Clip loudness end to end: `clipthat render` on a source whose sound is too loud and clips
// (pink noise and a 220 Hz tone, about -8.5 LUFS with true peaks above 0 dBTP, made by the
// ffmpeg command line), each clip measured by FFmpeg's own EBU R128 meter (the ebur128
// filter), not by ClipThat's: the default template gives -14 LUFS (within 1 LU) with true
// peaks at most -1 dBTP after AAC encoding, a template's target is obeyed, "normalize": false
// keeps the source's level, a quiet source is raised to the target (a near-silent one by
// 20 dB at most), and a source with sharp bursts is held under the ceiling.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "command_runner.h"
#include "core/files.h"
#include "ffmpeg_loudness.h"

namespace clipthat {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::MeasureWithFfmpeg;
using testing::RunCommand;

const std::string kBin = CLIPTHAT_BIN;

// A 12 s 320x180 source whose audio is pink noise plus a second lavfi audio source.
struct SourceSound {
  double noise_amplitude = 0.8;
  std::string other = "sine=frequency=220";  // lavfi source, 48 kHz mono
  double other_weight = 0.6;
  double volume = 1.0;  // the mix's gain
};

std::string MakeSource(const fs::path& path, const SourceSound& sound) {
  const std::string noise = "anoisesrc=color=pink:sample_rate=48000:duration=12:seed=7:amplitude=" +
                            std::to_string(sound.noise_amplitude);
  const std::string mix =
      "[1:a][2:a]amix=inputs=2:normalize=0:weights='1 " + std::to_string(sound.other_weight) +
      "',volume=" + std::to_string(sound.volume) + ",aformat=channel_layouts=stereo[a]";
  const auto r = RunCommand({"ffmpeg",
                             "-nostats",
                             "-hide_banner",
                             "-loglevel",
                             "error",
                             "-y",
                             "-f",
                             "lavfi",
                             "-i",
                             "testsrc2=size=320x180:rate=30:duration=12",
                             "-f",
                             "lavfi",
                             "-i",
                             noise,
                             "-f",
                             "lavfi",
                             "-i",
                             sound.other + ":sample_rate=48000:duration=12",
                             "-filter_complex",
                             mix,
                             "-map",
                             "0:v",
                             "-map",
                             "[a]",
                             "-c:v",
                             "libx264",
                             "-preset",
                             "ultrafast",
                             "-c:a",
                             "aac",
                             "-b:a",
                             "192k",
                             path.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return path.string();
}

class LoudnessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("clipthat-loudness-test");
    loud_ = new std::string(MakeSource(dir_->path() / "loud.mp4", {.volume = 2.6}));
  }
  static void TearDownTestSuite() {
    delete loud_;
    delete dir_;
  }

  // Renders [1 s, 11 s) of `source` with `audio` as the template's "audio" object (none when
  // null) and returns the clip's path.
  static std::string Render(const std::string& name, const std::string& source, const json& audio) {
    const fs::path dir = dir_->path() / name;
    fs::create_directories(dir);
    json tmpl = {{"version", 1}, {"id", "t"}};
    if (!audio.is_null()) tmpl["audio"] = audio;
    const json edit = {{"version", 1},
                       {"start_ms", 1000},
                       {"end_ms", 11000},
                       {"output", {{"width", 180}, {"height", 320}, {"fps", 30}}},
                       {"layout", {{"mode", "fit"}}},
                       {"template", (dir / "template.json").string()}};
    EXPECT_TRUE(WriteFileAtomically(dir / "template.json", tmpl.dump()).ok());
    EXPECT_TRUE(WriteFileAtomically(dir / "edit.json", edit.dump()).ok());
    const auto r = RunCommand({kBin, "render", source, "--edit", (dir / "edit.json").string(),
                               "--out", (dir / "out").string(), "--encoder", "x264", "--quiet"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return (dir / "out" / "clip-01.mp4").string();
  }

  // Render, then FFmpeg's reading of the clip (printed: the figures the README quotes).
  static testing::FfmpegLoudness RenderAndMeasure(const std::string& name,
                                                  const std::string& source, const json& audio) {
    const auto clip = MeasureWithFfmpeg(Render(name, source, audio));
    std::printf("%s: I %.1f LUFS, true peak %.1f dBTP\n", name.c_str(), clip.integrated_lufs,
                clip.true_peak_dbtp);
    return clip;
  }

  static TempDir* dir_;
  static std::string* loud_;
};
TempDir* LoudnessTest::dir_ = nullptr;
std::string* LoudnessTest::loud_ = nullptr;

TEST_F(LoudnessTest, TheSourceIsTooLoudAndClips) {
  const auto source = MeasureWithFfmpeg(*loud_);
  ASSERT_TRUE(source.ok) << source.output;
  EXPECT_GT(source.integrated_lufs, -10);
  EXPECT_GT(source.true_peak_dbtp, 0);
}

TEST_F(LoudnessTest, ByDefaultClipsAreMinus14LufsWithPeaksUnderMinus1) {
  const auto clip = RenderAndMeasure("default", *loud_, nullptr);
  ASSERT_TRUE(clip.ok) << clip.output;
  EXPECT_NEAR(clip.integrated_lufs, -14, 1.0);
  EXPECT_LE(clip.true_peak_dbtp, -1.0);
}

TEST_F(LoudnessTest, TheTemplateChoosesTheTarget) {
  const auto clip =
      RenderAndMeasure("minus20", *loud_, {{"loudness_lufs", -20}, {"true_peak_dbtp", -3}});
  ASSERT_TRUE(clip.ok) << clip.output;
  EXPECT_NEAR(clip.integrated_lufs, -20, 1.0);
  EXPECT_LE(clip.true_peak_dbtp, -3.0);
}

TEST_F(LoudnessTest, NormalizeFalseKeepsTheSourceLevel) {
  const auto source = MeasureWithFfmpeg(*loud_);
  const auto clip = RenderAndMeasure("kept", *loud_, {{"normalize", false}});
  ASSERT_TRUE(source.ok && clip.ok) << clip.output;
  EXPECT_NEAR(clip.integrated_lufs, source.integrated_lufs, 0.5);
}

TEST_F(LoudnessTest, AQuietSourceIsRaisedToTheTarget) {
  const std::string quiet = MakeSource(dir_->path() / "quiet.mp4", {.volume = 0.3});
  const auto source = MeasureWithFfmpeg(quiet);
  const auto clip = RenderAndMeasure("quiet", quiet, nullptr);
  ASSERT_TRUE(source.ok && clip.ok) << clip.output;
  EXPECT_LT(source.integrated_lufs, -25);
  EXPECT_NEAR(clip.integrated_lufs, -14, 1.0);
  EXPECT_LE(clip.true_peak_dbtp, -1.0);
}

TEST_F(LoudnessTest, ANearSilentSourceIsRaisedBy20DbAtMost) {
  const std::string hiss = MakeSource(dir_->path() / "hiss.mp4", {.volume = 0.05});
  const auto source = MeasureWithFfmpeg(hiss);
  const auto clip = RenderAndMeasure("hiss", hiss, nullptr);
  ASSERT_TRUE(source.ok && clip.ok) << clip.output;
  EXPECT_LT(source.integrated_lufs, -40);
  EXPECT_NEAR(clip.integrated_lufs - source.integrated_lufs, 20, 1.0);
}

// Short bright bursts (4 ms of 9 kHz at 0.9 every second) over quiet noise: the peaks, not the
// loudness, set the gain, and the clip's true peak stays under the ceiling after AAC, which
// lifts such bursts most.
TEST_F(LoudnessTest, PeaksCapTheGainAndStayUnderTheCeilingAfterEncoding) {
  const std::string bursts =
      MakeSource(dir_->path() / "bursts.mp4",
                 {.noise_amplitude = 0.1,
                  .other = "aevalsrc=exprs=0.9*sin(2*PI*9000*t)*lt(mod(t\\,1)\\,0.004)",
                  .other_weight = 1.0});
  const auto source = MeasureWithFfmpeg(bursts);
  const auto clip = RenderAndMeasure("bursts", bursts, nullptr);
  ASSERT_TRUE(source.ok && clip.ok) << clip.output;
  EXPECT_LT(source.integrated_lufs, -18);
  EXPECT_LE(clip.true_peak_dbtp, -1.0);
  EXPECT_LT(clip.integrated_lufs, -15);  // quieter than the target: the peaks allow no more
}

}  // namespace
}  // namespace clipthat
