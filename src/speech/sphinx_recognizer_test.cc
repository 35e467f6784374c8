#include "speech/sphinx_recognizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>

#include "media/audio_decoder.h"
#include "speech/wer.h"

namespace clipthat::speech {
namespace {

const std::string kLibrivox = "/usr/share/pocketsphinx/test/data/librivox/";
const std::string kShortFile = "sense_and_sensibility_01_austen_64kb-0880";
const std::string kShortText = "he was not an ill disposed young man";

media::AudioBuffer LoadWav(const std::string& path) {
  media::AudioBuffer all;
  auto dec = media::AudioDecoder::Open(path, {.sample_rate_hz = 16000, .channels = 1});
  EXPECT_TRUE(dec.ok()) << dec.status().ToString();
  if (!dec.ok()) return all;
  media::AudioBuffer chunk;
  while (true) {
    auto more = dec->Next(&chunk);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    all.samples.insert(all.samples.end(), chunk.samples.begin(), chunk.samples.end());
  }
  return all;
}

std::string Join(const std::vector<Word>& words) {
  std::string s;
  for (const Word& w : words) s += (s.empty() ? "" : " ") + w.text;
  return s;
}

void ExpectOrderedInside(const std::vector<Word>& words, TimeMs from_ms, TimeMs to_ms) {
  TimeMs last_start = from_ms;
  for (const Word& w : words) {
    EXPECT_GE(w.start_ms, last_start) << w.text;
    EXPECT_GT(w.end_ms, w.start_ms) << w.text;
    EXPECT_LE(w.end_ms, to_ms) << w.text;
    EXPECT_GE(w.confidence, 0.0);
    EXPECT_LE(w.confidence, 1.0);
    last_start = w.start_ms;
  }
}

class SphinxRecognizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto rec = SphinxRecognizer::Create({}, Logger());
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    recognizer_ = new SphinxRecognizer(std::move(*rec));
  }
  static void TearDownTestSuite() {
    delete recognizer_;
    recognizer_ = nullptr;
  }
  static SphinxRecognizer* recognizer_;
};
SphinxRecognizer* SphinxRecognizerTest::recognizer_ = nullptr;

TEST_F(SphinxRecognizerTest, TranscribesALibrivoxSentence) {
  ASSERT_NE(recognizer_, nullptr);
  media::AudioBuffer audio = LoadWav(kLibrivox + kShortFile + ".wav");
  ASSERT_GT(audio.samples.size(), 16000u);
  auto words = recognizer_->Transcribe(audio);
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  double wer = WordErrorRate(kShortText, Join(*words));
  std::printf("sphinx: \"%s\" WER %.2f\n", Join(*words).c_str(), wer);
  EXPECT_LT(wer, 0.6);
  ExpectOrderedInside(*words, 0, audio.duration_ms() + 10);
  for (const Word& w : *words) {
    EXPECT_EQ(w.text.find_first_of("<[("), std::string::npos) << w.text;
  }
}

TEST_F(SphinxRecognizerTest, OffsetsTimesByStartMs) {
  ASSERT_NE(recognizer_, nullptr);
  media::AudioBuffer audio = LoadWav(kLibrivox + kShortFile + ".wav");
  auto at_zero = recognizer_->Transcribe(audio);
  audio.start_ms = 125000;
  auto shifted = recognizer_->Transcribe(audio);
  ASSERT_TRUE(at_zero.ok() && shifted.ok());
  ASSERT_EQ(at_zero->size(), shifted->size());
  ASSERT_FALSE(shifted->empty());
  // The decoder's live cepstral mean carries over from the first call, so a word boundary may
  // move by a 10 ms frame between the two runs; the offset itself is exact.
  for (std::size_t i = 0; i < shifted->size(); ++i) {
    EXPECT_EQ((*shifted)[i].text, (*at_zero)[i].text);
    EXPECT_NEAR((*shifted)[i].start_ms, (*at_zero)[i].start_ms + 125000, 20);
    EXPECT_NEAR((*shifted)[i].end_ms, (*at_zero)[i].end_ms + 125000, 20);
  }
}

TEST(SphinxRecognizer, LongAudioIsDecodedInUtterances) {
  // Three sentences one after another, decoded with short utterances so the audio is cut.
  SphinxOptions options;
  options.split.min_utterance_ms = 2000;
  options.split.max_utterance_ms = 6000;
  auto rec = SphinxRecognizer::Create(options, Logger());
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  media::AudioBuffer audio;
  audio.start_ms = 60000;
  std::string reference;
  for (const char* id : {"0880", "0930", "0890"}) {
    media::AudioBuffer one =
        LoadWav(kLibrivox + "sense_and_sensibility_01_austen_64kb-" + id + ".wav");
    audio.samples.insert(audio.samples.end(), one.samples.begin(), one.samples.end());
    audio.samples.insert(audio.samples.end(), 8000, 0.0f);  // 0.5 s pause
  }
  reference =
      "he was not an ill disposed young man he might even have been made amiable himself unless "
      "to be rather cold hearted and rather selfish is to be ill disposed";
  auto words = rec->Transcribe(audio);
  ASSERT_TRUE(words.ok()) << words.status().ToString();
  double wer = WordErrorRate(reference, Join(*words));
  std::printf("sphinx, %.1f s in utterances of 2-6 s: WER %.2f, %.2f s CPU per audio second\n",
              static_cast<double>(audio.duration_ms()) / 1000, wer,
              rec->cpu_seconds() / rec->audio_seconds());
  EXPECT_LT(wer, 0.6);
  ExpectOrderedInside(*words, 60000, 60000 + audio.duration_ms() + 10);
}

// Non-speech a stream is full of: near-silence (a muted mic's hiss), loud white noise, and
// game-like music (a chord loop with an arpeggio, drum hits and noise bursts).
std::vector<float> NonSpeech(const std::string& kind, double seconds) {
  const std::size_t n = static_cast<std::size_t>(seconds * 16000);
  std::vector<float> out(n);
  std::mt19937 rng(11);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  const double pi2 = 6.283185307179586;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / 16000;
    if (kind == "hiss") {
      out[i] = 0.0005f * gauss(rng);  // about -66 dBFS
    } else if (kind == "noise") {
      out[i] = 0.05f * gauss(rng);  // about -26 dBFS
    } else {
      const double beat = std::fmod(t, 0.5) / 0.5;
      const int chord = static_cast<int>(t / 2) % 4;
      const double root = 110.0 * std::pow(2.0, (chord * 5 % 12) / 12.0);
      double v = 0.3 * std::sin(pi2 * root * t) * std::exp(-3 * beat);
      for (double f : {2.0, 2.52, 3.0}) v += 0.08 * std::sin(pi2 * root * f * t);
      const double arp = root * 4 * std::pow(2.0, (static_cast<int>(t * 8) % 3) * 4 / 12.0);
      v += 0.1 * std::sin(pi2 * arp * t) * std::exp(-8 * std::fmod(t, 0.125) / 0.125);
      v += 0.3 * gauss(rng) * std::exp(-30 * beat);  // a drum hit on every beat
      out[i] = static_cast<float>(0.15 * v);
    }
  }
  return out;
}

TEST(SphinxRecognizer, NoWordsForSilenceNoiseOrMusic) {
  auto rec = SphinxRecognizer::Create({}, Logger());
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  for (const std::string kind : {"silence", "hiss", "noise", "music"}) {
    media::AudioBuffer audio;
    audio.samples = kind == "silence" ? std::vector<float>(16000 * 20, 0.0f) : NonSpeech(kind, 20);
    auto words = rec->Transcribe(audio);
    ASSERT_TRUE(words.ok()) << words.status().ToString();
    std::string heard;
    for (const Word& w : *words) {
      char conf[16];
      std::snprintf(conf, sizeof conf, "/%.2f", w.confidence);
      heard += " " + w.text + conf;
    }
    std::printf("sphinx on 20 s of %s: %zu words:%s\n", kind.c_str(), words->size(), heard.c_str());
    EXPECT_TRUE(words->empty()) << kind << ":" << heard;
  }
}

TEST(SphinxRecognizer, RejectsOtherRatesAndChannels) {
  auto rec = SphinxRecognizer::Create({}, Logger());
  ASSERT_TRUE(rec.ok());
  media::AudioBuffer audio;
  audio.sample_rate_hz = 44100;
  audio.samples.assign(44100, 0.0f);
  EXPECT_EQ(rec->Transcribe(audio).status().code(), StatusCode::kInvalidArgument);
  audio.sample_rate_hz = 16000;
  audio.channels = 2;
  EXPECT_EQ(rec->Transcribe(audio).status().code(), StatusCode::kInvalidArgument);
  // Silence and empty audio are fine: no words.
  audio.channels = 1;
  auto silent = rec->Transcribe(audio);
  ASSERT_TRUE(silent.ok());
  audio.samples.clear();
  auto empty = rec->Transcribe(audio);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(SphinxRecognizer, MissingModelIsNotFound) {
  SphinxOptions options;
  options.model_dir = "/nonexistent/model";
  auto rec = SphinxRecognizer::Create(options, Logger());
  ASSERT_FALSE(rec.ok());
  EXPECT_EQ(rec.status().code(), StatusCode::kNotFound);
  EXPECT_NE(rec.status().message().find("/nonexistent/model"), std::string::npos);
}

TEST(SphinxRecognizer, LogsGoToTheLoggerNotStderr) {
  auto sink = std::make_shared<MemorySink>();
  auto rec = SphinxRecognizer::Create({}, Logger(sink, LogLevel::kTrace, "sphinx"));
  ASSERT_TRUE(rec.ok());
  EXPECT_FALSE(sink->lines().empty());  // pocketsphinx reports its model loading
  // Leave pocketsphinx quiet for the other tests.
  ASSERT_TRUE(SphinxRecognizer::Create({}, Logger()).ok());
}

TEST(CleanSphinxWord, DropsFillersAndAlternates) {
  EXPECT_EQ(CleanSphinxWord("<sil>"), "");
  EXPECT_EQ(CleanSphinxWord("<s>"), "");
  EXPECT_EQ(CleanSphinxWord("[NOISE]"), "");
  EXPECT_EQ(CleanSphinxWord("read(2)"), "read");
  EXPECT_EQ(CleanSphinxWord("Hello"), "hello");
}

}  // namespace
}  // namespace clipthat::speech
