#include "speech/trigger_spotter.h"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>

#include "ai/testing/loopback_server.h"
#include "core/files.h"

extern char** environ;

namespace clipthat::speech {
namespace {

namespace fs = std::filesystem;

// Speaks `text` with espeak-ng (argv, no shell) and returns 16 kHz mono samples.
std::vector<float> Speak(const std::string& text, const std::string& voice, int words_per_minute,
                         const fs::path& wav) {
  std::vector<std::string> args = {
      "espeak-ng", "-v", voice, "-s", std::to_string(words_per_minute), "-w", wav.string(), text};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "espeak-ng", nullptr, nullptr, argv.data(), environ) != 0) return {};
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
  std::ifstream in(wav, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto u32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
  };
  if (bytes.size() < 12 || std::memcmp(bytes.data(), "RIFF", 4) != 0) return {};
  int rate_hz = 0;
  std::vector<float> pcm;
  for (std::size_t at = 12; at + 8 <= bytes.size();) {
    std::uint32_t size = u32(at + 4);
    if (std::memcmp(bytes.data() + at, "fmt ", 4) == 0) rate_hz = static_cast<int>(u32(at + 12));
    if (std::memcmp(bytes.data() + at, "data", 4) == 0) {
      std::size_t n = std::min<std::size_t>(size, bytes.size() - at - 8) / 2;
      pcm.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        std::int16_t s = 0;
        std::memcpy(&s, bytes.data() + at + 8 + 2 * i, 2);
        pcm[i] = static_cast<float>(s) / 32768.0f;
      }
      break;
    }
    at += 8 + size + (size & 1);
  }
  if (rate_hz <= 0 || pcm.empty()) return {};
  std::size_t out_n = pcm.size() * 16000 / static_cast<std::size_t>(rate_hz);
  std::vector<float> out(out_n);
  for (std::size_t i = 0; i < out_n; ++i) {
    double src = static_cast<double>(i) * rate_hz / 16000.0;
    auto k = static_cast<std::size_t>(src);
    double f = src - static_cast<double>(k);
    float a = pcm[std::min(k, pcm.size() - 1)], b = pcm[std::min(k + 1, pcm.size() - 1)];
    out[i] = static_cast<float>(a + (b - a) * f);
  }
  return out;
}

// CLIPTHAT_TEST_LOG=1 prints what the verifier heard for every first-pass hit.
Logger TestLogger() {
  if (std::getenv("CLIPTHAT_TEST_LOG") == nullptr) return Logger();
  return Logger(std::make_shared<StderrSink>(LogFormat::kHuman), LogLevel::kDebug);
}

struct Said {
  TimeMs begin_ms, end_ms;
};

// The sentences one after another with 0.8 s pauses, white noise 25 dB under the speech.
media::AudioBuffer Talk(const std::vector<std::string>& sentences, TimeMs start_ms,
                        std::vector<Said>* said) {
  TempDir dir;
  media::AudioBuffer audio;
  audio.start_ms = start_ms;
  const std::vector<std::string> voices = {"en-us", "en-us+m3", "en-us+f2"};
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    std::vector<float> speech = Speak(sentences[i], voices[i % voices.size()], 160,
                                      dir.path() / ("s" + std::to_string(i) + ".wav"));
    EXPECT_FALSE(speech.empty()) << "espeak-ng failed on: " << sentences[i];
    audio.samples.insert(audio.samples.end(), 12800, 0.0f);
    const TimeMs begin = start_ms + static_cast<TimeMs>(audio.samples.size() / 16);
    audio.samples.insert(audio.samples.end(), speech.begin(), speech.end());
    said->push_back({begin, start_ms + static_cast<TimeMs>(audio.samples.size() / 16)});
  }
  audio.samples.insert(audio.samples.end(), 12800, 0.0f);
  double energy = 0;
  for (float s : audio.samples) energy += static_cast<double>(s) * s;
  const double rms = std::sqrt(energy / static_cast<double>(audio.samples.size()));
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.0f, static_cast<float>(rms * 0.056));
  for (float& s : audio.samples) s += noise(rng);
  return audio;
}

class TriggerSpotterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = TriggerSpotter::Create({}, TestLogger());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    spotter_ = new TriggerSpotter(std::move(*s));
  }
  static void TearDownTestSuite() {
    delete spotter_;
    spotter_ = nullptr;
  }
  static TriggerSpotter* spotter_;
};
TriggerSpotter* TriggerSpotterTest::spotter_ = nullptr;

TEST_F(TriggerSpotterTest, FindsATriggerOnceWithConfidence) {
  ASSERT_NE(spotter_, nullptr);
  std::vector<Said> said;
  media::AudioBuffer audio =
      Talk({"let me check the map first", "oh my god that was insane clip that"}, 90000, &said);
  auto hits = spotter_->Spot(audio);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  const TriggerHit& h = hits->front();
  EXPECT_EQ(h.phrase, "clip that");
  EXPECT_GE(h.at_ms, said[1].begin_ms);
  EXPECT_LE(h.at_ms, said[1].end_ms);
  EXPECT_GT(h.confidence, 0.0);
  EXPECT_LE(h.confidence, 1.0);
}

TEST_F(TriggerSpotterTest, NearMissesDoNotFire) {
  ASSERT_NE(spotter_, nullptr);
  std::vector<Said> said;
  media::AudioBuffer audio = Talk({"put it on the clipboard for me", "flip that switch on the wall",
                                   "did you see the eclipse last night", "keep that one for later",
                                   "the clip on this rifle is tiny", "ship it to my house please"},
                                  0, &said);
  auto hits = spotter_->Spot(audio);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  for (const TriggerHit& h : *hits) {
    ADD_FAILURE() << "false trigger '" << h.phrase << "' at " << h.at_ms << " ms (confidence "
                  << h.confidence << ")";
  }
  EXPECT_GT(spotter_->stats().first_pass_hits, 0);  // the first pass fired; the check refused
}

TEST_F(TriggerSpotterTest, RepeatedPhraseCountsOnceAndChunksGiveTheSameResult) {
  ASSERT_NE(spotter_, nullptr);
  std::vector<Said> said;
  media::AudioBuffer audio = Talk({"okay okay clip it clip it"}, 5000, &said);
  auto whole = spotter_->Spot(audio);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  ASSERT_EQ(whole->size(), 1u);
  // The same audio pushed as a live stream would come, in 100 ms chunks.
  std::vector<TriggerHit> live;
  for (std::size_t at = 0; at < audio.samples.size(); at += 1600) {
    media::AudioBuffer chunk;
    chunk.start_ms = audio.start_ms + static_cast<TimeMs>(at / 16);
    chunk.samples.assign(audio.samples.begin() + static_cast<std::ptrdiff_t>(at),
                         audio.samples.begin() + static_cast<std::ptrdiff_t>(
                                                     std::min(audio.samples.size(), at + 1600)));
    ASSERT_TRUE(spotter_->Push(chunk).ok());
    for (TriggerHit& h : spotter_->TakeTriggers()) live.push_back(std::move(h));
  }
  ASSERT_TRUE(spotter_->Finish().ok());
  for (TriggerHit& h : spotter_->TakeTriggers()) live.push_back(std::move(h));
  ASSERT_EQ(live.size(), 1u);
  EXPECT_NEAR(live[0].at_ms, (*whole)[0].at_ms, 100);
}

// speech.trigger.verifier=remote: each decode goes to the transcription server (a loopback
// server in the OpenAI wire format; remote_trigger_check_test has the decisions on its words).
TEST(TriggerSpotterRemote, TheServerDecidesAndTheEmbeddedCheckStandsInWhenItFails) {
  ai::testing::LoopbackServer server;
  std::atomic<bool> fail{false};
  std::atomic<int> requests{0};
  server.server().Post(
      "/v1/audio/transcriptions", [&](const httplib::Request&, httplib::Response& res) {
        ++requests;
        if (fail) {
          res.status = 503;
          res.set_content(R"({"error":{"message":"overloaded"}})", "application/json");
        } else {  // it hears no speech at all
          res.set_content(R"({"text":"","segments":[]})", "application/json");
        }
      });
  ASSERT_TRUE(server.Start());
  Config config;
  config.Set("speech.trigger.verifier", "remote");
  config.Set("speech.remote.base_url", server.url());
  config.Set("speech.remote.retries", "0");
  auto options = TriggerSpotterOptionsFromConfig(config);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  std::vector<Said> said;
  const media::AudioBuffer audio =
      Talk({"let me check the map first", "oh my god that was insane clip that"}, 0, &said);

  auto spotter = TriggerSpotter::Create(*options, TestLogger());
  ASSERT_TRUE(spotter.ok()) << spotter.status().ToString();
  auto hits = spotter->Spot(audio);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  EXPECT_TRUE(hits->empty());  // the server heard nothing: nothing is confirmed
  EXPECT_GT(spotter->stats().decoded, 0);
  EXPECT_EQ(spotter->stats().remote_checked, spotter->stats().decoded);
  EXPECT_EQ(requests.load(), spotter->stats().decoded);

  fail = true;
  auto fallback = TriggerSpotter::Create(*options, TestLogger());
  ASSERT_TRUE(fallback.ok());
  hits = fallback->Spot(audio);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);  // the embedded re-decode confirmed the trigger
  EXPECT_GE(hits->front().at_ms, said[1].begin_ms);
  EXPECT_EQ(fallback->stats().remote_checked, 0);
  EXPECT_EQ(fallback->stats().remote_failed, fallback->stats().decoded);
}

TEST(TriggerSpotter, RejectsUnknownWordsAndBadAudio) {
  TriggerSpotterOptions options;
  options.phrases = {{"clip zzqxv", 1e-30}};
  auto bad = TriggerSpotter::Create(options, Logger());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("zzqxv"), std::string::npos);
  options.phrases.clear();
  EXPECT_EQ(TriggerSpotter::Create(options, Logger()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(TriggerSpotterOptionsFromConfig, ReadsKeys) {
  Config config;
  config.Set("speech.trigger.phrases", "clip that/1e-30/, clip it");
  config.Set("speech.trigger.kws_threshold", "1e-35");
  config.Set("speech.trigger.min_confidence", "0.6");
  config.Set("speech.trigger.pause_drop_db", "5");
  auto options = TriggerSpotterOptionsFromConfig(config);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  ASSERT_EQ(options->phrases.size(), 2u);
  EXPECT_DOUBLE_EQ(options->phrases[0].threshold, 1e-30);
  EXPECT_DOUBLE_EQ(options->phrases[1].threshold, 1e-35);
  EXPECT_DOUBLE_EQ(options->verify.min_confidence, 0.6);
  EXPECT_DOUBLE_EQ(options->verify.pause_drop_db, 5);
  config.Set("speech.trigger.pause_drop_db", "nan");
  EXPECT_FALSE(TriggerSpotterOptionsFromConfig(config).ok());
  config.Set("speech.trigger.pause_drop_db", "0");
  ASSERT_TRUE(TriggerSpotterOptionsFromConfig(config).ok());
  config.Set("speech.trigger.min_confidence", "2");
  EXPECT_FALSE(TriggerSpotterOptionsFromConfig(config).ok());
}

}  // namespace
}  // namespace clipthat::speech
