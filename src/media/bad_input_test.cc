// Bad input to Probe, AudioDecoder and KeyframeDecoder: each case must end in a clear error that
// names the file, without a crash or a hang.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/files.h"
#include "media/audio_decoder.h"
#include "media/ffmpeg_log.h"
#include "media/keyframe_decoder.h"
#include "media/probe.h"
#include "testing/media_fixtures.h"

namespace clipthat::media {
namespace {

namespace fs = std::filesystem;
using ::clipthat::testing::FindTopLevelBox;
using ::clipthat::testing::MakeTestMedia;
using ::clipthat::testing::WriteNonMediaFile;
using ::clipthat::testing::WriteTruncatedCopy;

// Fails the whole program if one test runs far too long: a hang on bad input is a bug, and
// this turns it into a failure with a name instead of a stuck CI job.
class Watchdog {
 public:
  explicit Watchdog(std::chrono::seconds limit)
      : thread_([this, limit] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (!cv_.wait_for(lock, limit, [this] { return done_; })) {
            const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
            std::fprintf(stderr, "TIMEOUT: %s.%s ran over %lld s\n",
                         info ? info->test_suite_name() : "?", info ? info->name() : "?",
                         static_cast<long long>(limit.count()));
            std::_Exit(1);
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Keep libav's complaints about the broken files out of the test output.
    RouteFfmpegLogs(Logger());
    dir_ = new TempDir("bad_input_test");
    auto made = MakeTestMedia(dir_->path() / "good.mp4", {.duration_ms = 3000});
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    good_ = *made;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static std::string PathOf(const std::string& name) { return (dir_->path() / name).string(); }

  // Every entry point fails on `path` with `code`, and the message starts with the path.
  static void ExpectAllFail(const std::string& path, StatusCode code, const std::string& what) {
    SCOPED_TRACE(path);
    auto probe = Probe(path);
    ASSERT_FALSE(probe.ok());
    EXPECT_EQ(probe.status().code(), code) << probe.status().ToString();
    EXPECT_EQ(probe.status().message().rfind(path + ": ", 0), 0u) << probe.status().message();
    EXPECT_NE(probe.status().message().find(what), std::string::npos) << probe.status().message();

    auto audio = AudioDecoder::Open(path, {});
    ASSERT_FALSE(audio.ok());
    EXPECT_EQ(audio.status().ToString(), probe.status().ToString());

    auto video = KeyframeDecoder::Open(path, {});
    ASSERT_FALSE(video.ok());
    EXPECT_EQ(video.status().ToString(), probe.status().ToString());
  }

  Watchdog watchdog_{std::chrono::seconds(60)};
  static TempDir* dir_;
  static std::string good_;
};
TempDir* BadInputTest::dir_ = nullptr;
std::string BadInputTest::good_;

TEST_F(BadInputTest, MissingFile) {
  const std::string path = PathOf("nope.mp4");
  ExpectAllFail(path, StatusCode::kNotFound, "no such file");
  EXPECT_EQ(Probe(path).status().message(), path + ": no such file");
}

TEST_F(BadInputTest, Directory) {
  const std::string path = PathOf("folder.mp4");
  fs::create_directory(path);
  ExpectAllFail(path, StatusCode::kDataError, "not a media file");
}

TEST_F(BadInputTest, EmptyFile) {
  const std::string path = PathOf("empty.mp4");
  std::ofstream(path).close();
  ExpectAllFail(path, StatusCode::kDataError, "empty");
}

TEST_F(BadInputTest, TextFiles) {
  // *.txt is claimed by libav's ANSI-art demuxer; other names by nobody.
  for (const char* name : {"notes.txt", "notes.mp4", "notes"}) {
    const std::string path = PathOf(name);
    ASSERT_TRUE(WriteNonMediaFile(path).ok());
    ExpectAllFail(path, StatusCode::kDataError, "not a media file");
  }
}

TEST_F(BadInputTest, RandomBytes) {
  const std::string path = PathOf("noise.mp4");
  std::ofstream out(path, std::ios::binary);
  std::uint32_t x = 12345;
  for (int i = 0; i < 64 * 1024; ++i) {
    x = x * 1664525u + 1013904223u;
    out.put(static_cast<char>(x >> 24));
  }
  out.close();
  ExpectAllFail(path, StatusCode::kDataError, "not a media file");
}

TEST_F(BadInputTest, TruncatedMp4AtManyCutPoints) {
  const auto size = static_cast<std::int64_t>(fs::file_size(good_));
  const std::int64_t moov = FindTopLevelBox(good_, "moov");
  const std::int64_t mdat = FindTopLevelBox(good_, "mdat");
  ASSERT_GT(moov, 0);
  ASSERT_GT(mdat, moov);  // the fixture writes the header first (faststart)
  // Inside ftyp, inside moov, just past the mdat header (header complete, no media), and at
  // several points through the media data.
  for (std::int64_t cut : {std::int64_t{12}, moov + 8, moov + 200, mdat + 16, mdat + 4000,
                           (mdat + size) / 2, size - 1000, size - 1}) {
    ASSERT_LT(cut, size);
    const std::string path = PathOf("cut_" + std::to_string(cut) + ".mp4");
    ASSERT_TRUE(WriteTruncatedCopy(good_, path, static_cast<std::uintmax_t>(cut)).ok());
    ExpectAllFail(path, StatusCode::kDataError, "truncated");
  }
}

// What a recorder that writes the index last leaves when it dies: ftyp and a partial mdat,
// whose size field is either final or still the placeholder 0 ("to the end of the file").
std::string WriteRecordingWithoutMoov(const std::string& good, const std::string& path,
                                      bool placeholder_size) {
  const std::int64_t moov = FindTopLevelBox(good, "moov");
  const std::int64_t mdat = FindTopLevelBox(good, "mdat");
  std::ifstream in(good, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string body = data.substr(static_cast<std::size_t>(mdat), data.size() / 2);
  if (placeholder_size) body.replace(0, 4, std::string(4, '\0'));
  std::ofstream out(path, std::ios::binary);
  out << data.substr(0, static_cast<std::size_t>(moov)) << body;
  return path;
}

TEST_F(BadInputTest, TruncatedMediaDataWithOpenEndedMdat) {
  // Header first, media data box sized "to the end of the file", then cut: only the sample
  // index shows that samples are missing.
  const std::int64_t mdat = FindTopLevelBox(good_, "mdat");
  std::ifstream in(good_, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  data.replace(static_cast<std::size_t>(mdat), 4, std::string(4, '\0'));
  const std::string path = PathOf("open_mdat_cut.mp4");
  std::ofstream(path, std::ios::binary) << data.substr(0, data.size() * 3 / 4);
  ExpectAllFail(path, StatusCode::kDataError, "truncated: media data runs to byte");
}

TEST_F(BadInputTest, RecordingCutBeforeItsMoovWasWritten) {
  ExpectAllFail(WriteRecordingWithoutMoov(good_, PathOf("no_moov.mp4"), false),
                StatusCode::kDataError, "truncated");
  ExpectAllFail(WriteRecordingWithoutMoov(good_, PathOf("no_moov_open.mp4"), true),
                StatusCode::kDataError, "truncated");
}

TEST_F(BadInputTest, ZeroDuration) {
  auto made = MakeTestMedia(dir_->path() / "zero.mp4", {.duration_ms = 0});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ExpectAllFail(*made, StatusCode::kDataError, "zero duration");
}

TEST_F(BadInputTest, NoAudioStream) {
  auto made =
      MakeTestMedia(dir_->path() / "silent.mp4", {.duration_ms = 1000, .with_audio = false});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  auto dec = AudioDecoder::Open(*made, {});
  ASSERT_FALSE(dec.ok());
  EXPECT_EQ(dec.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(dec.status().message(), *made + ": no audio stream");
  EXPECT_TRUE(KeyframeDecoder::Open(*made, {}).ok());
}

TEST_F(BadInputTest, NoVideoStream) {
  auto made = MakeTestMedia(dir_->path() / "radio.mp4", {.duration_ms = 1000, .with_video = false});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  auto dec = KeyframeDecoder::Open(*made, {});
  ASSERT_FALSE(dec.ok());
  EXPECT_EQ(dec.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(dec.status().message(), *made + ": no video stream");
  EXPECT_TRUE(AudioDecoder::Open(*made, {}).ok());
}

TEST_F(BadInputTest, FfmpegComplaintsGoToTheLoggerAtDebug) {
  // libav itself says "moov atom not found" about this one.
  const std::string path = WriteRecordingWithoutMoov(good_, PathOf("log.mp4"), true);
  auto sink = std::make_shared<MemorySink>();

  RouteFfmpegLogs(Logger(sink, LogLevel::kInfo).WithModule("ffmpeg"));
  EXPECT_FALSE(Probe(path).ok());
  EXPECT_TRUE(sink->lines().empty());  // quiet by default

  RouteFfmpegLogs(Logger(sink, LogLevel::kDebug).WithModule("ffmpeg"));
  EXPECT_FALSE(Probe(path).ok());
  RouteFfmpegLogs(Logger());
  const auto lines = sink->lines();
  ASSERT_FALSE(lines.empty());
  for (const auto& line : lines) {
    EXPECT_EQ(line.module, "ffmpeg");
    EXPECT_EQ(line.level, LogLevel::kDebug);
    EXPECT_FALSE(line.message.empty());
    EXPECT_NE(line.message.back(), '\n');
  }
}

}  // namespace
}  // namespace clipthat::media
