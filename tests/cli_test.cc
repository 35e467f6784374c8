// End-to-end tests of the `clipthat` command line: usage and exit codes, clear errors on bad
// input, and the sample → clip path on a short generated stream, checked by the properties of
// the files it writes (and by ffprobe, independently of ClipThat's own media code).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ai/testing/loopback_server.h"
#include "command_runner.h"
#include "core/files.h"
#include "media/probe.h"
#include "testing/media_fixtures.h"

namespace clipthat {
namespace {

namespace fs = std::filesystem;
using testing::RunCommand;

const std::string kBin = CLIPTHAT_BIN;

nlohmann::json ReadJson(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

int CountLines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(CliUsageTest, HelpListsEverySubcommandAndExitsZero) {
  auto r = RunCommand({kBin, "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub : {"probe", "sample", "clip"}) {
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
    auto h = RunCommand({kBin, sub, "--help"});
    EXPECT_EQ(h.exit_code, 0) << sub;
    EXPECT_NE(h.out.find("Usage"), std::string::npos) << sub;
  }
}

TEST(CliUsageTest, BadUsageExitsTwo) {
  EXPECT_EQ(RunCommand({kBin}).exit_code, 2);
  EXPECT_EQ(RunCommand({kBin, "frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunCommand({kBin, "probe"}).exit_code, 2);
  EXPECT_EQ(RunCommand({kBin, "probe", "a.mp4", "--bogus"}).exit_code, 2);
  EXPECT_EQ(RunCommand({kBin, "clip", "a.mp4"}).exit_code, 2);  // --out is required
  EXPECT_EQ(RunCommand({kBin, "sample", "--out", "/tmp/x", "--duration", "5"}).exit_code, 2);
  EXPECT_EQ(RunCommand({kBin, "sample", "--out", "/tmp/x", "--size", "wide"}).exit_code, 2);
  EXPECT_EQ(RunCommand({kBin, "--log-level", "loud", "probe", "a.mp4"}).exit_code, 2);
}

TEST(CliErrorTest, MissingAndNonMediaInputsFailWithOneLineNamingTheFile) {
  TempDir dir;
  const std::string missing = (dir.path() / "missing.mp4").string();
  auto r = RunCommand({kBin, "probe", missing});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(missing), std::string::npos) << r.err;
  EXPECT_EQ(CountLines(r.err), 1) << r.err;

  const fs::path text = dir.path() / "notes.txt";
  ASSERT_TRUE(WriteFileAtomically(text, "this is not a video\n").ok());
  r = RunCommand({kBin, "probe", text.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(text.string()), std::string::npos) << r.err;

  r = RunCommand({kBin, "clip", missing, "--out", (dir.path() / "clips").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(missing), std::string::npos) << r.err;

  const fs::path bad_chat = dir.path() / "chat.json";
  ASSERT_TRUE(WriteFileAtomically(bad_chat, "{\"comments\": [ oops").ok());
  r = RunCommand({kBin, "clip", text.string(), "--chat", bad_chat.string(), "--out",
                  (dir.path() / "clips").string()});
  EXPECT_EQ(r.exit_code, 1);
}

// Every bad input of the media layer, through the command line: exit code 1 (never a crash,
// which would be a signal, or a hang, which the test's timeout would catch) and one line on
// stderr naming the file and the problem.
TEST(CliErrorTest, BadMediaInputsAreClearFailures) {
  TempDir dir;
  const fs::path good = dir.path() / "good.mp4";
  ASSERT_TRUE(testing::MakeTestMedia(good, {.duration_ms = 4000}).ok());
  const fs::path video_only = dir.path() / "video-only.mp4";
  ASSERT_TRUE(testing::MakeTestMedia(video_only, {.duration_ms = 4000, .with_audio = false}).ok());
  const fs::path audio_only = dir.path() / "audio-only.mp4";
  ASSERT_TRUE(testing::MakeTestMedia(audio_only, {.duration_ms = 4000, .with_video = false}).ok());
  const fs::path truncated = dir.path() / "truncated.mp4";
  ASSERT_TRUE(testing::WriteTruncatedCopy(good, truncated, fs::file_size(good) / 2).ok());
  const fs::path empty = dir.path() / "empty.mp4";
  ASSERT_TRUE(WriteFileAtomically(empty, "").ok());
  const std::string out = (dir.path() / "clips").string();

  struct Case {
    std::vector<std::string> args;
    std::string names;    // the file the message must name
    std::string problem;  // a word the message must contain
  };
  const std::vector<Case> cases = {
      {{kBin, "probe", truncated.string()}, truncated.string(), "truncated"},
      {{kBin, "probe", empty.string()}, empty.string(), ""},
      {{kBin, "clip", truncated.string(), "--out", out}, truncated.string(), "truncated"},
      {{kBin, "clip", empty.string(), "--out", out}, empty.string(), ""},
      {{kBin, "clip", audio_only.string(), "--out", out}, audio_only.string(), "no video"},
  };
  for (auto c : cases) {
    // Progress and warnings aside, the failure is one line.
    c.args.insert(c.args.end(), {"--quiet", "--log-level", "error"});
    auto r = RunCommand(c.args);
    SCOPED_TRACE(c.args[1] + " " + c.args[2]);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(c.names), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.problem), std::string::npos) << r.err;
  }

  // No audio and no chat: the documented fallback finds moments from the picture alone.
  auto r = RunCommand({kBin, "analyze", video_only.string(), "-o",
                       (dir.path() / "video-only.json").string(), "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.path() / "video-only.json"));
}

// One short generated stream shared by the end-to-end tests below.
class SampleToClipTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("clipthat-e2e");
    sample_ = dir_->path() / "sample";
    auto r = RunCommand({kBin, "sample", "--out", sample_.string(), "--duration", "120", "--size",
                         "640x360", "--fps", "30", "--moments", "2", "--seed", "11"});
    sample_exit_ = r.exit_code;
    sample_err_ = r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(sample_exit_, 0) << sample_err_; }

  static TempDir* dir_;
  static fs::path sample_;
  static int sample_exit_;
  static std::string sample_err_;
};
TempDir* SampleToClipTest::dir_ = nullptr;
fs::path SampleToClipTest::sample_;
int SampleToClipTest::sample_exit_ = -1;
std::string SampleToClipTest::sample_err_;

TEST_F(SampleToClipTest, SampleWritesVodChatAndTruth) {
  for (const char* f : {"vod.mp4", "chat.json", "truth.json"}) {
    EXPECT_TRUE(fs::exists(sample_ / f)) << f;
  }
  auto probe = RunCommand({kBin, "probe", (sample_ / "vod.mp4").string()});
  ASSERT_EQ(probe.exit_code, 0) << probe.err;
  auto j = nlohmann::json::parse(probe.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << probe.out;
  EXPECT_NEAR(j["duration_ms"].get<double>(), 120000, 200);
  EXPECT_EQ(j["video"]["width"], 640);
  EXPECT_EQ(j["video"]["height"], 360);
  EXPECT_EQ(j["video"]["codec"], "h264");
  EXPECT_EQ(j["audio"]["codec"], "aac");
  auto truth = ReadJson(sample_ / "truth.json");
  ASSERT_TRUE(truth.contains("moments"));
  EXPECT_EQ(truth["moments"].size(), 2u);
}

void ExpectVerticalClip(const std::string& path) {
  auto info = media::Probe(path);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_NE(info->video(), nullptr) << path;
  ASSERT_NE(info->audio(), nullptr) << path;
  EXPECT_EQ(info->video()->width, 1080);
  EXPECT_EQ(info->video()->height, 1920);
  EXPECT_EQ(info->video()->codec, "h264");
  EXPECT_EQ(info->audio()->codec, "aac");
  EXPECT_GE(info->duration_ms, 14'900);
  EXPECT_LE(info->duration_ms, 60'100);

  // ffprobe, independently of ClipThat's own probe.
  auto ff = RunCommand({"ffprobe", "-v", "error", "-show_entries",
                        "stream=codec_type,width,height,pix_fmt", "-of", "json", path});
  ASSERT_EQ(ff.exit_code, 0) << ff.err;
  auto j = nlohmann::json::parse(ff.out, nullptr, false);
  bool saw_video = false, saw_audio = false;
  for (const auto& s : j["streams"]) {
    if (s["codec_type"] == "video") {
      saw_video = true;
      EXPECT_EQ(s["width"], 1080);
      EXPECT_EQ(s["height"], 1920);
      EXPECT_EQ(s["pix_fmt"], "yuv420p");
    }
    if (s["codec_type"] == "audio") saw_audio = true;
  }
  EXPECT_TRUE(saw_video && saw_audio) << ff.out;
}

TEST_F(SampleToClipTest, ClipWritesRankedMomentsAndVerticalClips) {
  const fs::path out = dir_->path() / "clips";
  auto r = RunCommand({kBin, "clip", (sample_ / "vod.mp4").string(), "--chat",
                       (sample_ / "chat.json").string(), "--out", out.string(), "--top", "2",
                       "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto moments = ReadJson(out / "moments.json");
  ASSERT_FALSE(moments.is_discarded());
  EXPECT_EQ(moments["version"], 1);
  const auto& list = moments["moments"];
  ASSERT_GE(list.size(), 1u);
  ASSERT_LE(list.size(), 2u);
  double last_score = 1e18;
  for (const auto& m : list) {
    EXPECT_LE(m["score"].get<double>(), last_score);
    last_score = m["score"].get<double>();
    EXPECT_GE(m["start_ms"].get<long long>(), 0);
    EXPECT_LE(m["end_ms"].get<long long>(), 120'000);
    EXPECT_LE(m["start_ms"].get<long long>(), m["peak_ms"].get<long long>());
    EXPECT_LE(m["peak_ms"].get<long long>(), m["end_ms"].get<long long>());
  }
  // Every printed path is a real vertical clip with sound, one per moment.
  std::istringstream lines(r.out);
  std::string path;
  int clips = 0;
  while (std::getline(lines, path)) {
    if (path.empty()) continue;
    ++clips;
    ExpectVerticalClip(path);
  }
  EXPECT_EQ(clips, static_cast<int>(list.size()));

  // The planted moment with the biggest reaction is among the top two.
  auto truth = ReadJson(sample_ / "truth.json");
  int found = 0;
  for (const auto& t : truth["moments"]) {
    for (const auto& m : list) {
      if (m["start_ms"] <= t["peak_ms"] && t["peak_ms"] <= m["end_ms"]) {
        ++found;
        break;
      }
    }
  }
  EXPECT_GE(found, 1);
}

TEST_F(SampleToClipTest, ClipWithoutChatStillFindsMoments) {
  const fs::path out = dir_->path() / "clips-nochat";
  auto r = RunCommand({kBin, "clip", (sample_ / "vod.mp4").string(), "--out", out.string(), "--top",
                       "1", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto moments = ReadJson(out / "moments.json");
  ASSERT_EQ(moments["moments"].size(), 1u);
  ExpectVerticalClip(r.out.substr(0, r.out.find('\n')));
}

// The remote backends end to end: a loopback server speaking the OpenAI wire formats stands in
// for a paid transcription service and a chat model; `analyze --backend remote` must put its
// words into the moments and its title on them.
TEST_F(SampleToClipTest, AnalyzeUsesRemoteSpeechAndLlmTitles) {
  ai::testing::LoopbackServer server;
  int transcriptions = 0, completions = 0;
  server.server().Post(
      "/v1/audio/transcriptions", [&](const httplib::Request& req, httplib::Response& res) {
        ++transcriptions;
        ASSERT_TRUE(req.has_file("file"));
        // One word every 500 ms across the uploaded 16 kHz 16-bit WAV.
        const double seconds =
            (static_cast<double>(req.get_file_value("file").content.size()) - 44) / 32000.0;
        nlohmann::json words = nlohmann::json::array();
        for (double t = 0; t + 0.4 < seconds; t += 0.5) {
          words.push_back({{"word", "insane"}, {"start", t}, {"end", t + 0.4}});
        }
        res.set_content(nlohmann::json{{"text", "insane"}, {"words", words}}.dump(),
                        "application/json");
      });
  server.server().Post("/v1/chat/completions", [&](const httplib::Request& req,
                                                   httplib::Response& res) {
    ++completions;
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    EXPECT_EQ(body["response_format"]["type"], "json_schema");
    nlohmann::json answer = {
        {"choices",
         {{{"index", 0},
           {"finish_reason", "stop"},
           {"message", {{"role", "assistant"}, {"content", R"({"title":"That Was Insane"})"}}}}}}};
    res.set_content(answer.dump(), "application/json");
  });
  ASSERT_TRUE(server.Start());
  setenv("CLIPTHAT_SPEECH_REMOTE_BASE__URL", server.url().c_str(), 1);
  setenv("CLIPTHAT_LLM_BASE__URL", server.url().c_str(), 1);
  const fs::path out = dir_->path() / "remote-moments.json";
  auto r = RunCommand({kBin, "analyze", (sample_ / "vod.mp4").string(), "--chat",
                       (sample_ / "chat.json").string(), "-o", out.string(), "--top", "2",
                       "--backend", "remote", "--quiet"});
  unsetenv("CLIPTHAT_SPEECH_REMOTE_BASE__URL");
  unsetenv("CLIPTHAT_LLM_BASE__URL");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = ReadJson(out);
  ASSERT_GE(doc["moments"].size(), 1u);
  EXPECT_GE(transcriptions, 1);
  EXPECT_GE(completions, 1);
  for (const auto& m : doc["moments"]) {
    EXPECT_EQ(m["title"], "That Was Insane");
    ASSERT_FALSE(m["words"].empty());
    // Word times are from the start of the VOD, inside the moment.
    for (const auto& w : m["words"]) {
      EXPECT_EQ(w["text"], "insane");
      EXPECT_GE(w["start_ms"].get<long long>(), m["start_ms"].get<long long>());
      EXPECT_LE(w["end_ms"].get<long long>(), m["end_ms"].get<long long>());
    }
  }
}

// `clipthat triggers` with a transcription server as the second check
// (CLIPTHAT_SPEECH_TRIGGER_VERIFIER=remote): every window the first pass asks about goes to the
// server, and a server that hears no speech confirms no trigger.
TEST_F(SampleToClipTest, TriggersAskTheRemoteCheckWhenConfigured) {
  ai::testing::LoopbackServer server;
  std::atomic<int> transcriptions{0};
  server.server().Post("/v1/audio/transcriptions",
                       [&](const httplib::Request& req, httplib::Response& res) {
                         ++transcriptions;
                         if (!req.has_file("file")) {
                           res.status = 400;
                           return;
                         }
                         res.set_content(R"({"text":"","segments":[]})", "application/json");
                       });
  ASSERT_TRUE(server.Start());
  setenv("CLIPTHAT_SPEECH_TRIGGER_VERIFIER", "remote", 1);
  setenv("CLIPTHAT_SPEECH_REMOTE_BASE__URL", server.url().c_str(), 1);
  const fs::path out = dir_->path() / "remote-triggers.json";
  auto r = RunCommand({kBin, "--log-level", "info", "triggers", (sample_ / "vod.mp4").string(),
                       "-o", out.string()});
  unsetenv("CLIPTHAT_SPEECH_TRIGGER_VERIFIER");
  unsetenv("CLIPTHAT_SPEECH_REMOTE_BASE__URL");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ReadJson(out).empty()) << ReadJson(out).dump();
  EXPECT_GE(transcriptions.load(), 1);
  EXPECT_NE(r.err.find("the remote trigger check decided all"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace clipthat
