// Tests of the remote speech recognizer (src/speech/remote_recognizer.cc) against a loopback
// server that answers as OpenAI/speaches and as whisper.cpp's server do.
#include "speech/remote_recognizer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <mutex>

#include "ai/testing/loopback_server.h"

namespace clipthat::speech {
namespace {

using ai::testing::LoopbackServer;

// Shape A: OpenAI and speaches, response_format=verbose_json with word granularity.
constexpr char kOpenAiAnswer[] = R"({
  "task": "transcribe", "language": "english", "duration": 2.5,
  "text": "Clip that, chat!",
  "words": [
    {"word": "Clip", "start": 0.1, "end": 0.42},
    {"word": "that,", "start": 0.42, "end": 0.8},
    {"word": "chat!", "start": 1.0, "end": 1.5},
    {"word": "...", "start": 1.5, "end": 1.6}
  ],
  "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 2.5, "text": "Clip that, chat!",
                "tokens": [50364, 2033], "temperature": 0.0, "avg_logprob": -0.2,
                "compression_ratio": 0.8, "no_speech_prob": 0.01}]
})";

// Shape B: whisper.cpp's server, whose "words" are sub-word tokens with probabilities.
constexpr char kWhisperCppAnswer[] = R"({
  "task": "transcribe", "language": "english", "duration": 3.0,
  "text": " Clip that! Don't stop.",
  "segments": [
    {"id": 0, "text": " Clip that!", "start": 0.0, "end": 1.2,
     "tokens": [50364, 2033, 300], "temperature": 0.0, "avg_logprob": -0.3, "no_speech_prob": 0.0,
     "words": [
       {"word": " Cl", "start": 0.1, "end": 0.3, "t_dtw": -1, "probability": 0.9},
       {"word": "ip", "start": 0.3, "end": 0.45, "t_dtw": -1, "probability": 0.7},
       {"word": " that", "start": 0.45, "end": 0.8, "t_dtw": -1, "probability": 0.95},
       {"word": "!", "start": 0.8, "end": 0.82, "t_dtw": -1, "probability": 0.99}
     ]},
    {"id": 1, "text": " [BLANK_AUDIO] Don't stop.", "start": 1.2, "end": 3.0,
     "words": [
       {"word": " [BLANK_AUDIO]", "start": 1.2, "end": 1.9, "t_dtw": -1, "probability": 0.5},
       {"word": " Don", "start": 2.0, "end": 2.2, "t_dtw": -1, "probability": 0.8},
       {"word": "'t", "start": 2.2, "end": 2.3, "t_dtw": -1, "probability": 0.6},
       {"word": " stop", "start": 2.3, "end": 2.7, "t_dtw": -1, "probability": 1.0},
       {"word": ".", "start": 2.7, "end": 2.71, "t_dtw": -1, "probability": 1.0}
     ]}
  ]
})";

media::AudioBuffer Tone(TimeMs start_ms, int seconds) {
  media::AudioBuffer a;
  a.start_ms = start_ms;
  a.samples.resize(static_cast<std::size_t>(seconds) * 16000);
  for (std::size_t i = 0; i < a.samples.size(); ++i) {
    a.samples[i] = 0.25f * static_cast<float>(std::sin(i * 2 * M_PI * 220.0 / 16000.0));
  }
  return a;
}

Config RemoteConfig(const std::string& base_url) {
  Config c;
  c.Set("speech.remote.base_url", base_url);
  c.Set("speech.remote.timeout_ms", "2000");
  c.Set("speech.remote.retries", "1");
  c.Set("speech.remote.backoff_ms", "5");
  return c;
}

std::uint32_t U32(const std::string& b, std::size_t at) {
  return static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8 |
         static_cast<unsigned char>(b[at + 2]) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}

TEST(RemoteRecognizerTest, OpenAiShapeAndTheRequestItSends) {
  LoopbackServer s;
  std::mutex mutex;
  httplib::Request seen;
  s.server().Post("/v1/audio/transcriptions",
                  [&](const httplib::Request& req, httplib::Response& res) {
                    {
                      std::lock_guard<std::mutex> lock(mutex);
                      seen = req;
                    }
                    res.set_content(kOpenAiAnswer, "application/json");
                  });
  ASSERT_TRUE(s.Start());
  Config c = RemoteConfig(s.url());
  c.Set("speech.remote.api_key", "sk-speech");
  c.Set("speech.remote.language", "en");
  auto rec = MakeRemoteRecognizer(c);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ((*rec)->name(), "remote");
  auto words = (*rec)->Transcribe(Tone(5000, 2));
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  ASSERT_EQ(words->size(), 3u);
  EXPECT_EQ((*words)[0].text, "clip");
  EXPECT_EQ((*words)[0].start_ms, 5100);
  EXPECT_EQ((*words)[0].end_ms, 5420);
  EXPECT_EQ((*words)[1].text, "that");
  EXPECT_EQ((*words)[2].text, "chat");
  EXPECT_EQ((*words)[2].end_ms, 6500);
  EXPECT_DOUBLE_EQ((*words)[2].confidence, 1.0);
  // "Clip that, chat!" then "...": a comma breaks, "!" (and the "..." after it) ends.
  EXPECT_FALSE((*words)[0].break_after);
  EXPECT_TRUE((*words)[1].break_after);
  EXPECT_FALSE((*words)[1].sentence_end);
  EXPECT_TRUE((*words)[2].break_after);
  EXPECT_TRUE((*words)[2].sentence_end);

  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_EQ(seen.get_header_value("Authorization"), "Bearer sk-speech");
  ASSERT_TRUE(seen.is_multipart_form_data());
  ASSERT_TRUE(seen.has_file("file"));
  auto file = seen.get_file_value("file");
  EXPECT_EQ(file.filename, "audio.wav");
  EXPECT_EQ(file.content_type, "audio/wav");
  ASSERT_EQ(file.content.size(), 44u + 2u * 32000u);
  EXPECT_EQ(file.content.substr(0, 4), "RIFF");
  EXPECT_EQ(file.content.substr(8, 4), "WAVE");
  EXPECT_EQ(U32(file.content, 24), 16000u);
  EXPECT_EQ(U32(file.content, 40), 64000u);
  EXPECT_EQ(seen.get_file_value("model").content, "whisper-1");
  EXPECT_EQ(seen.get_file_value("response_format").content, "verbose_json");
  EXPECT_EQ(seen.get_file_value("timestamp_granularities[]").content, "word");
  EXPECT_EQ(seen.get_file_value("language").content, "en");
}

TEST(RemoteRecognizerTest, WhisperCppShapeOnItsInferencePath) {
  LoopbackServer s;
  s.server().Post("/inference", [](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_file("file")) {
      res.status = 400;
      res.set_content(R"({"error":"no 'file' field in the request"})", "application/json");
      return;
    }
    res.set_content(kWhisperCppAnswer, "application/json");
  });
  ASSERT_TRUE(s.Start());
  Config c = RemoteConfig(s.url());
  c.Set("speech.remote.path", "/inference");
  auto rec = MakeRemoteRecognizer(c);
  ASSERT_TRUE(rec.ok());
  auto words = (*rec)->Transcribe(Tone(60000, 3));
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  ASSERT_EQ(words->size(), 4u);
  EXPECT_EQ((*words)[0].text, "clip");
  EXPECT_EQ((*words)[0].start_ms, 60100);
  EXPECT_EQ((*words)[0].end_ms, 60450);
  EXPECT_NEAR((*words)[0].confidence, 0.8, 1e-9);
  EXPECT_EQ((*words)[1].text, "that");
  // The "!" token joins "that" (no leading space): the sentence ends there.
  EXPECT_FALSE((*words)[0].break_after);
  EXPECT_TRUE((*words)[1].sentence_end);
  EXPECT_EQ((*words)[2].text, "don't");
  EXPECT_FALSE((*words)[2].break_after);
  EXPECT_TRUE((*words)[3].sentence_end);
  EXPECT_EQ((*words)[2].start_ms, 62000);
  EXPECT_EQ((*words)[3].text, "stop");
}

TEST(RemoteRecognizerTest, SegmentsWithoutWordsGiveEstimatedTimes) {
  auto answer = nlohmann::json::parse(R"({"text":" one two three","segments":[
      {"id":0,"start":1.0,"end":2.0,"text":" one two three"}]})");
  bool estimated = false;
  auto words = ParseTranscriptionAnswer(answer, 0, "http://h/inference", &estimated);
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  EXPECT_TRUE(estimated);
  ASSERT_EQ(words->size(), 3u);
  EXPECT_EQ((*words)[0].start_ms, 1000);
  EXPECT_EQ((*words)[2].end_ms, 2000);
  EXPECT_LT((*words)[0].end_ms, (*words)[1].end_ms);
}

TEST(RemoteRecognizerTest, NoSpeechGivesNoWords) {
  for (const char* text : {R"({"text":""})", R"({"text":"  ","words":[],"segments":[]})"}) {
    auto words = ParseTranscriptionAnswer(nlohmann::json::parse(text), 0, "u");
    ASSERT_TRUE(words.ok()) << text;
    EXPECT_TRUE(words->empty());
  }
}

TEST(RemoteRecognizerTest, AnswersThatAreNotTranscriptionsAreDataErrors) {
  struct Case {
    const char* body;
    const char* expect;
  };
  const Case cases[] = {
      {R"({"text":"clip that chat"})", "no word timestamps"},
      {R"({"id":"x"})", "not a transcription"},
      {R"({"words":[{"word":"clip","start":"0.1","end":0.4}]})", "words[0] has no numeric"},
      {R"({"words":[{"start":0.1,"end":0.4}]})", "words[0] has no \"word\""},
      {R"({"segments":[{"words":[{"word":" a","start":0,"end":1}]},7]})", "segments[1]"},
      {R"([1,2,3])", "not a JSON object"},
  };
  for (const Case& c : cases) {
    auto r = ParseTranscriptionAnswer(nlohmann::json::parse(c.body), 0, "http://h/x");
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), StatusCode::kDataError);
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos) << r.status().message();
    EXPECT_TRUE(r.status().message().starts_with("http://h/x")) << r.status().message();
  }
}

TEST(RemoteRecognizerTest, MalformedJsonAndJsonWithoutWordsFromTheServer) {
  LoopbackServer s;
  s.server().Post("/bad", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"text": "clip that", "words": [)", "application/json");
  });
  s.server().Post("/plain", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"text": "clip that"})", "application/json");
  });
  ASSERT_TRUE(s.Start());
  Config c = RemoteConfig(s.url());
  c.Set("speech.remote.path", "/bad");
  auto rec = MakeRemoteRecognizer(c);
  ASSERT_TRUE(rec.ok());
  auto r = (*rec)->Transcribe(Tone(0, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_NE(r.status().message().find(s.url() + "/bad: answer is not JSON (status 200"),
            std::string::npos)
      << r.status().message();

  c.Set("speech.remote.path", "/plain");
  rec = MakeRemoteRecognizer(c);
  ASSERT_TRUE(rec.ok());
  r = (*rec)->Transcribe(Tone(0, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_NE(r.status().message().find("no word timestamps"), std::string::npos);
}

TEST(RemoteRecognizerTest, RetriesA500ThenSucceeds) {
  LoopbackServer s;
  std::atomic<int> hits = 0;
  s.server().Post("/v1/audio/transcriptions", [&](const httplib::Request&, httplib::Response& res) {
    if (++hits == 1) {
      res.status = 500;
      res.set_content(R"({"detail":"CUDA out of memory"})", "application/json");
      return;
    }
    res.set_content(kOpenAiAnswer, "application/json");
  });
  ASSERT_TRUE(s.Start());
  auto rec = MakeRemoteRecognizer(RemoteConfig(s.url()));
  ASSERT_TRUE(rec.ok());
  auto words = (*rec)->Transcribe(Tone(0, 1));
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  EXPECT_EQ(words->size(), 3u);
  EXPECT_EQ(hits.load(), 2);
}

TEST(RemoteRecognizerTest, A401IsNotRetried) {
  LoopbackServer s;
  std::atomic<int> hits = 0;
  s.server().Post("/v1/audio/transcriptions", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 401;
    res.set_content(
        R"({"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}})",
        "application/json");
  });
  ASSERT_TRUE(s.Start());
  auto rec = MakeRemoteRecognizer(RemoteConfig(s.url()));
  ASSERT_TRUE(rec.ok());
  auto r = (*rec)->Transcribe(Tone(0, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(hits.load(), 1);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("401 Unauthorized: Incorrect API key provided"),
            std::string::npos)
      << r.status().message();
}

TEST(RemoteRecognizerTest, AServerThatNeverAnswersIsUnavailable) {
  LoopbackServer s;
  s.server().Post("/v1/audio/transcriptions",
                  [&](const httplib::Request&, httplib::Response&) { s.Hold(); });
  ASSERT_TRUE(s.Start());
  Config c = RemoteConfig(s.url());
  c.Set("speech.remote.timeout_ms", "250");
  auto rec = MakeRemoteRecognizer(c);
  ASSERT_TRUE(rec.ok());
  auto r = (*rec)->Transcribe(Tone(0, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find(s.url() + "/v1/audio/transcriptions: no answer within 250 ms "
                                                "(after 2 tries)"),
            std::string::npos)
      << r.status().message();
}

TEST(RemoteRecognizerTest, ConnectionRefusedIsUnavailable) {
  const int port = ai::testing::UnusedLoopbackPort();
  ASSERT_GT(port, 0);
  auto rec = MakeRemoteRecognizer(RemoteConfig("http://127.0.0.1:" + std::to_string(port)));
  ASSERT_TRUE(rec.ok());
  auto r = (*rec)->Transcribe(Tone(0, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("could not connect"), std::string::npos);
}

TEST(RemoteRecognizerTest, LongAudioIsSentInPieces) {
  LoopbackServer s;
  std::atomic<int> hits = 0;
  s.server().Post("/v1/audio/transcriptions", [&](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.set_content(R"({"text":"go","words":[{"word":"go","start":1.0,"end":1.5}]})",
                    "application/json");
  });
  ASSERT_TRUE(s.Start());
  Config c = RemoteConfig(s.url());
  c.Set("speech.remote.chunk_ms", "10000");
  auto rec = MakeRemoteRecognizer(c);
  ASSERT_TRUE(rec.ok());
  media::AudioBuffer audio = Tone(1000, 25);
  // Quiet stretches at 8 s and 16 s: the cuts land there, not mid-word.
  for (std::size_t at : {8 * 16000, 16 * 16000}) {
    for (std::size_t i = at; i < at + 1600; ++i) audio.samples[i] = 0.0f;
  }
  auto words = (*rec)->Transcribe(audio);
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  EXPECT_EQ(hits.load(), 3);
  ASSERT_EQ(words->size(), 3u);
  // Each piece's word is 1 s after the piece's start.
  EXPECT_EQ((*words)[0].start_ms, 1000 + 1000);
  EXPECT_EQ((*words)[1].start_ms, 1000 + 8025 + 1000);
  EXPECT_EQ((*words)[2].start_ms, 1000 + 16050 + 1000);  // frames are 50 ms from 8.025 s
}

TEST(RemoteRecognizerTest, ConfigurationErrorsNameTheKey) {
  Config none;
  auto r = MakeRemoteRecognizer(none);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(r.status().message().starts_with("speech.remote.base_url")) << r.status().message();

  Config bad = RemoteConfig("http://127.0.0.1:8080");
  bad.Set("speech.remote.timeout_ms", "0");
  r = MakeRemoteRecognizer(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("speech.remote.timeout_ms"), std::string::npos);

  Config url = RemoteConfig("localhost:8080");
  r = MakeRemoteRecognizer(url);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().message().starts_with("speech.remote.base_url")) << r.status().message();

  auto rec = MakeRemoteRecognizer(RemoteConfig("http://127.0.0.1:8080"));
  ASSERT_TRUE(rec.ok());
  media::AudioBuffer stereo = Tone(0, 1);
  stereo.channels = 2;
  EXPECT_EQ((*rec)->Transcribe(stereo).status().code(), StatusCode::kInvalidArgument);
  media::AudioBuffer empty;
  auto none_words = (*rec)->Transcribe(empty);
  ASSERT_TRUE(none_words.ok());
  EXPECT_TRUE(none_words->empty());
}

}  // namespace
}  // namespace clipthat::speech
