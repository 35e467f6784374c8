// A remote recognizer as the trigger check (speech.trigger.verifier=remote): TriggerVerifier
// sends the window to an OpenAI-compatible transcription server (a loopback server answering
// in that wire format) and decides on its words and punctuation; when the server fails, the
// embedded re-decode decides. And the spotter wired to it, through its configuration.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <string>

#include "ai/testing/loopback_server.h"
#include "speech/trigger_spotter.h"
#include "speech/trigger_verifier.h"

namespace clipthat::speech {
namespace {

using ai::testing::LoopbackServer;

Config RemoteConfig(const std::string& base_url) {
  Config c;
  c.Set("speech.remote.base_url", base_url);
  c.Set("speech.remote.timeout_ms", "5000");
  c.Set("speech.remote.retries", "0");
  c.Set("speech.remote.backoff_ms", "5");
  return c;
}

// 3 s of a steady tone: sound at one level throughout, so no pause is heard in the sound.
std::vector<float> Tone() {
  std::vector<float> samples(48000);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] =
        0.2f * static_cast<float>(std::sin(static_cast<double>(i) * 2 * M_PI * 180.0 / 16000.0));
  }
  return samples;
}

// The server's answer: words at seconds from the start of the audio it was sent.
std::string Answer(const std::string& text, const std::string& words) {
  return R"({"task":"transcribe","language":"english","duration":3.0,"text":")" + text +
         R"(","words":[)" + words + "]}";
}

class RemoteTriggerCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server().Post("/v1/audio/transcriptions", [this](const httplib::Request& req,
                                                             httplib::Response& res) {
      ++requests_;
      if (!req.has_file("file") || req.get_file_value("file").content.size() != 44 + 2 * 48000) {
        res.status = 400;
        res.set_content(R"({"error":{"message":"bad file"}})", "application/json");
        return;
      }
      if (fail_) {
        res.status = 503;
        res.set_content(R"({"error":{"message":"overloaded"}})", "application/json");
        return;
      }
      res.set_content(answer_, "application/json");
    });
    ASSERT_TRUE(server_.Start());
  }

  Result<TriggerVerifier> Verifier() {
    auto options = TriggerSpotterOptionsFromConfig([&] {
      Config c = RemoteConfig(server_.url());
      c.Set("speech.trigger.verifier", "remote");
      return c;
    }());
    if (!options.ok()) return options.status();
    EXPECT_NE(options->verify.remote, nullptr);
    return TriggerVerifier::Create({"clip that", "clip it"}, options->verify, Logger());
  }

  LoopbackServer server_;
  std::string answer_;
  std::atomic<bool> fail_{false};
  std::atomic<int> requests_{0};
};

TEST_F(RemoteTriggerCheckTest, TheServersWordsAndPunctuationDecide) {
  auto verifier = Verifier();
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  const std::vector<float> audio = Tone();
  // "Clip that! What was that" in one breath (the level never drops): the "!" ends the clause.
  answer_ = Answer("Clip that! What was that?",
                   R"({"word":"Clip","start":0.5,"end":0.8},{"word":"that!","start":0.8,"end":1.1},
                      {"word":"What","start":1.2,"end":1.4},{"word":"was","start":1.4,"end":1.6},
                      {"word":"that?","start":1.6,"end":1.9})");
  auto v = verifier->Verify(audio.data(), audio.size(), audio.size(), 60000, 60400, 61000);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->remote);
  EXPECT_TRUE(v->remote_error.empty());
  EXPECT_TRUE(v->confirmed) << v->heard;
  EXPECT_EQ(v->phrase, "clip that");
  EXPECT_EQ(v->at_ms, 60500);
  EXPECT_DOUBLE_EQ(v->confidence, 1.0);  // OpenAI's shape has no probabilities
  EXPECT_EQ(requests_.load(), 1);

  // "I saw that clip, it was funny": the break and the words running on reject it.
  answer_ = Answer("I saw that clip, it was funny.",
                   R"({"word":"I","start":0.1,"end":0.2},{"word":"saw","start":0.2,"end":0.4},
                      {"word":"that","start":0.4,"end":0.5},{"word":"clip,","start":0.5,"end":0.8},
                      {"word":"it","start":0.85,"end":0.95},{"word":"was","start":0.95,"end":1.1},
                      {"word":"funny.","start":1.1,"end":1.5})");
  v = verifier->Verify(audio.data(), audio.size(), audio.size(), 60000, 60400, 61000);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->remote);
  EXPECT_FALSE(v->confirmed) << v->heard;

  // No sentence end written, and the next word right after: "clip that level" runs on.
  answer_ = Answer("clip that level",
                   R"({"word":"clip","start":0.5,"end":0.8},{"word":"that","start":0.8,"end":1.1},
                      {"word":"level","start":1.15,"end":1.5})");
  v = verifier->Verify(audio.data(), audio.size(), audio.size(), 60000, 60400, 61000);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->confirmed) << v->heard;
}

TEST_F(RemoteTriggerCheckTest, WhenTheServerFailsTheEmbeddedDecoderDecides) {
  auto verifier = Verifier();
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  fail_ = true;
  const std::vector<float> audio = Tone();
  auto v = verifier->Verify(audio.data(), audio.size(), audio.size(), 0, 400, 1000);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->remote);
  EXPECT_NE(v->remote_error.find("503"), std::string::npos) << v->remote_error;
  EXPECT_FALSE(v->confirmed);  // a tone is no "clip that" to the embedded decoder either
  EXPECT_EQ(requests_.load(), 1);
}

TEST(RemoteTriggerCheckConfigTest, TheKeyIsCheckedAndNeedsTheServer) {
  Config c;
  EXPECT_EQ(TriggerSpotterOptionsFromConfig(c)->verify.remote, nullptr);  // sphinx by default
  c.Set("speech.trigger.verifier", "remote");
  auto missing = TriggerSpotterOptionsFromConfig(c);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("speech.remote.base_url"), std::string::npos)
      << missing.status().ToString();
  c.Set("speech.trigger.verifier", "whisper");
  auto bad = TriggerSpotterOptionsFromConfig(c);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("speech.trigger.verifier"), std::string::npos);
  c.Set("speech.trigger.verifier", "remote");
  c.Set("speech.remote.base_url", "http://127.0.0.1:9");
  c.Set("speech.trigger.remote_timeout_ms", "5");
  auto short_wait = TriggerSpotterOptionsFromConfig(c);
  ASSERT_FALSE(short_wait.ok());
  EXPECT_NE(short_wait.status().message().find("speech.trigger.remote_timeout_ms"),
            std::string::npos);
}

// A server that never answers holds a window no longer than speech.trigger.remote_timeout_ms
// (not speech.remote.timeout_ms, a minute by default): live clipping cannot wait on it.
TEST(RemoteTriggerCheckTimeoutTest, AServerThatNeverAnswersIsLeftAfterTheTriggerTimeout) {
  LoopbackServer server;
  server.server().Post("/v1/audio/transcriptions",
                       [&](const httplib::Request&, httplib::Response&) { server.Hold(); });
  ASSERT_TRUE(server.Start());
  Config c;
  c.Set("speech.trigger.verifier", "remote");
  c.Set("speech.remote.base_url", server.url());
  c.Set("speech.remote.retries", "0");
  c.Set("speech.trigger.remote_timeout_ms", "300");
  auto options = TriggerSpotterOptionsFromConfig(c);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  auto verifier = TriggerVerifier::Create({"clip that", "clip it"}, options->verify, Logger());
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  const std::vector<float> audio = Tone();
  auto v = verifier->Verify(audio.data(), audio.size(), audio.size(), 0, 400, 1000);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->remote);
  EXPECT_NE(v->remote_error.find("300 ms"), std::string::npos) << v->remote_error;
}

}  // namespace
}  // namespace clipthat::speech
