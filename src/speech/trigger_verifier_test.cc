// TriggerVerifier::Match: the decision on words already heard (the decode itself is covered by
// trigger_spotter_test and keyword_spotter_test, on espeak-ng speech).
#include "speech/trigger_verifier.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string_view>

namespace clipthat::speech {
namespace {

// "clip@1000-1300/0.9 that!@1300-1550/0.8": word@start-end/posterior, milliseconds; a "," after
// the word is a break, a ".", "!" or "?" a sentence end (as a remote recognizer writes them).
std::vector<HeardWord> Heard(const std::string& text) {
  std::vector<HeardWord> out;
  std::istringstream in(text);
  std::string token;
  while (in >> token) {
    HeardWord w;
    const auto at = token.find('@');
    const auto dash = token.find('-', at);
    const auto slash = token.find('/', dash);
    w.word = token.substr(0, at);
    while (!w.word.empty() && std::string_view(",.!?").find(w.word.back()) != std::string::npos) {
      w.break_after = true;
      w.sentence_end = w.sentence_end || w.word.back() != ',';
      w.word.pop_back();
    }
    w.start_ms = std::stoll(token.substr(at + 1, dash - at - 1));
    w.end_ms = std::stoll(token.substr(dash + 1, slash - dash - 1));
    w.posterior = std::stod(token.substr(slash + 1));
    out.push_back(w);
  }
  return out;
}

class TriggerVerifierMatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto v = TriggerVerifier::Create({"clip that", "clip it"}, {}, Logger());
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    verifier_ = new TriggerVerifier(std::move(*v));
  }
  static void TearDownTestSuite() {
    delete verifier_;
    verifier_ = nullptr;
  }
  // The first-pass hit at 1000-1400 ms, as the spotter would ask; the words alone decide.
  static Verification Match(const std::string& heard) {
    return verifier_->Match(Heard(heard), WindowLevels{}, 1000, 1400);
  }
  // The same with levels: `said_db` from 0 to said_to_ms, `after_db` from there to end_ms.
  static Verification MatchWithLevels(const std::string& heard, TimeMs said_to_ms, double said_db,
                                      double after_db, TimeMs end_ms = 4000) {
    WindowLevels levels;
    for (TimeMs t = 0; t + WindowLevels::kFrameMs <= end_ms; t += WindowLevels::kFrameMs) {
      levels.frame_db.push_back(t < said_to_ms ? said_db : after_db);
    }
    return verifier_->Match(Heard(heard), levels, 1000, 1400);
  }
  static TriggerVerifier* verifier_;
};
TriggerVerifier* TriggerVerifierMatchTest::verifier_ = nullptr;

TEST_F(TriggerVerifierMatchTest, APhraseFollowedByAPauseIsConfirmed) {
  ASSERT_NE(verifier_, nullptr);
  Verification v = Match("chat@500-800/0.9 clip@1000-1300/0.9 that@1300-1550/0.8");
  EXPECT_TRUE(v.confirmed);
  EXPECT_EQ(v.phrase, "clip that");
  EXPECT_EQ(v.at_ms, 1000);
  EXPECT_NEAR(v.confidence, 0.9, 1e-9);  // "that" counts four-fold: min(0.9, 1.0)
  // "Clip that! That was insane": the next word comes after a pause.
  v = Match("clip@1000-1300/0.9 that@1300-1550/0.8 that@2000-2150/0.9 was@2150-2350/0.9");
  EXPECT_TRUE(v.confirmed);
}

TEST_F(TriggerVerifierMatchTest, AnOrdinarySentenceThatRunsOnIsNot) {
  ASSERT_NE(verifier_, nullptr);
  // "I saw that clip, it was really funny"
  EXPECT_FALSE(Match("saw@600-800/0.9 that@800-1000/0.7 clip@1000-1300/0.9 it@1300-1450/0.8 "
                     "was@1460-1600/0.7 really@1600-1900/0.8")
                   .confirmed);
  // "flip it and reverse it"
  EXPECT_FALSE(Match("clip@1000-1300/0.9 it@1300-1450/0.8 and@1500-1650/0.4").confirmed);
}

TEST_F(TriggerVerifierMatchTest, RepeatsAndCommandTailsEndTheClause) {
  ASSERT_NE(verifier_, nullptr);
  // "clip it clip it": confirmed where it was first said.
  Verification v = Match("clip@1000-1250/0.9 it@1250-1400/0.8 clip@1400-1650/0.9 it@1650-1800/0.8");
  EXPECT_TRUE(v.confirmed);
  EXPECT_EQ(v.at_ms, 1000);
  // A repeat that runs on is an ordinary sentence after all.
  EXPECT_FALSE(Match("clip@1000-1250/0.9 it@1250-1400/0.8 clip@1400-1650/0.9 it@1650-1800/0.8 "
                     "is@1800-1900/0.5")
                   .confirmed);
  EXPECT_TRUE(Match("clip@1000-1300/0.9 that@1300-1500/0.8 right@1500-1700/0.6 now@1700-1900/0.7")
                  .confirmed);
  EXPECT_TRUE(Match("clip@1000-1300/0.9 it@1300-1450/0.8 please@1450-1800/0.6").confirmed);
  // A tail the decoder doubts is a word running on: "the eclipse event starts" heard as
  // "clip that man/0.08 it/0.06 starts".
  EXPECT_FALSE(Match("clip@1000-1300/0.9 that@1300-1500/0.8 man@1500-1700/0.08 it@1700-1860/0.06 "
                     "starts@1860-2300/0.13")
                   .confirmed);
  EXPECT_TRUE(Match("clip@1000-1300/0.9 that@1300-1500/0.8 man@1500-1700/0.6").confirmed);
  // "right" alone is not a tail ("eclipse last night" heard as "clip that right").
  EXPECT_FALSE(Match("clip@1000-1300/0.9 that@1300-1500/0.8 right@1500-1700/0.6").confirmed);
}

TEST_F(TriggerVerifierMatchTest, DoubtfulWordsAfterThePhraseDoNotCount) {
  ASSERT_NE(verifier_, nullptr);
  // Game noise decoded as words with tiny posteriors is not speech running on.
  EXPECT_TRUE(Match("clip@1000-1300/0.9 it@1300-1450/0.8 to@1460-1600/0.03").confirmed);
  EXPECT_FALSE(Match("clip@1000-1300/0.9 it@1300-1450/0.8 to@1460-1600/0.3").confirmed);
}

TEST_F(TriggerVerifierMatchTest, ConfidenceAndPlaceAreChecked) {
  ASSERT_NE(verifier_, nullptr);
  // "clip" decides: below min_confidence (0.3) it is not confirmed.
  EXPECT_FALSE(Match("clip@1000-1300/0.25 that@1300-1550/0.9").confirmed);
  EXPECT_TRUE(Match("clip@1000-1300/0.35 that@1300-1550/0.9").confirmed);
  // The word after "clip" needs a quarter of it: 0.05 x 4 = 0.2 < 0.3.
  EXPECT_FALSE(Match("clip@1000-1300/0.9 that@1300-1550/0.05").confirmed);
  EXPECT_TRUE(Match("clip@1000-1300/0.9 that@1300-1550/0.1").confirmed);
  // The phrase must start inside the hit, up to 1 s before it or 0.4 s after it.
  EXPECT_TRUE(
      verifier_->Match(Heard("clip@1000-1300/0.9 that@1300-1550/0.8"), WindowLevels{}, 1900, 2200)
          .confirmed);
  EXPECT_FALSE(
      verifier_->Match(Heard("clip@1000-1300/0.9 that@1300-1550/0.8"), WindowLevels{}, 2100, 2400)
          .confirmed);
  EXPECT_FALSE(
      verifier_->Match(Heard("clip@1000-1300/0.9 that@1300-1550/0.8"), WindowLevels{}, 100, 500)
          .confirmed);
  // Words of a phrase out of order are no phrase.
  EXPECT_FALSE(Match("that@1000-1300/0.9 clip@1300-1550/0.9").confirmed);
}

TEST_F(TriggerVerifierMatchTest, TheVoiceMustStopAfterTheClause) {
  ASSERT_NE(verifier_, nullptr);
  // "Clip that!" and the streamer stops: the sound falls to the game's level.
  const std::string said = "clip@1000-1300/0.9 that@1300-1550/0.8";
  EXPECT_TRUE(MatchWithLevels(said, 1560, -20, -35).confirmed);
  // "click that button on the left", the rest heard as doubtful words: the voice goes on at the
  // same level, so the decoder's silence is not a pause.
  EXPECT_FALSE(MatchWithLevels(said, 1560, -20, -20).confirmed);
  // A drop under pause_drop_db (3 dB) is the voice going on more quietly.
  EXPECT_FALSE(MatchWithLevels(said, 1560, -20, -22).confirmed);
  EXPECT_TRUE(MatchWithLevels(said, 1560, -20, -24).confirmed);
  // After a tail the pause is asked after the tail.
  const std::string tail =
      "clip@1000-1300/0.9 that@1300-1500/0.8 right@1500-1700/0.6 now@1700-1900/0.7";
  EXPECT_TRUE(MatchWithLevels(tail, 1900, -20, -35).confirmed);
  EXPECT_FALSE(MatchWithLevels(tail, 2600, -20, -35).confirmed);
  // Where the audio ends (the stream ended, the speech gate closed) the voice has stopped.
  EXPECT_TRUE(MatchWithLevels(said, 4000, -20, -20, 1600).confirmed);
}

TEST_F(TriggerVerifierMatchTest, PunctuationFromARemoteRecognizerIsRead) {
  ASSERT_NE(verifier_, nullptr);
  // "Clip that! What was that", said in one breath: the written sentence end is the pause, in
  // the words and in the sound (no drop in the level here).
  const std::string breath =
      "clip@1000-1300/1 that!@1300-1550/1 what@1650-1800/1 was@1800-1950/1 that@1950-2200/1";
  EXPECT_TRUE(Match(breath).confirmed);
  EXPECT_TRUE(MatchWithLevels(breath, 2200, -20, -20).confirmed);
  // Without it, that is a sentence running on.
  EXPECT_FALSE(
      Match("clip@1000-1300/1 that@1300-1550/1 what@1650-1800/1 was@1800-1950/1").confirmed);
  // A phrase is not heard across a break: "I saw that clip, it was funny."
  EXPECT_FALSE(Match("saw@600-800/1 that@800-1000/1 clip,@1000-1300/1 it.@1300-1450/1").confirmed);
  EXPECT_TRUE(Match("saw@600-800/1 that@800-1000/1 clip@1000-1300/1 it.@1300-1450/1").confirmed);
  // A comma is not a sentence end: "clip that, he said" runs on; a tail after it may end it.
  EXPECT_FALSE(
      Match("clip@1000-1300/1 that,@1300-1550/1 he@1600-1700/1 said@1700-1900/1").confirmed);
  EXPECT_TRUE(Match("clip@1000-1300/1 that,@1300-1550/1 right@1600-1700/1 now!@1700-1900/1 "
                    "go@1950-2100/1")
                  .confirmed);
}

TEST(WindowLevelsTest, MeasuresEachFullFrame) {
  std::vector<float> samples(16000 + 100, 0.0f);  // 1 s and a partial frame
  for (std::size_t i = 0; i < 8000; ++i) samples[i] = (i % 2 == 0) ? 0.5f : -0.5f;
  const WindowLevels levels = WindowLevels::Measure(samples.data(), samples.size(), 700);
  EXPECT_EQ(levels.start_ms, 700);
  ASSERT_EQ(levels.frame_db.size(), 50u);
  EXPECT_NEAR(levels.frame_db[0], 10 * std::log10(0.25), 1e-6);  // power 0.25: -6 dB
  EXPECT_NEAR(levels.frame_db[49], -90.0, 1e-6);                 // silence: the floor
}

}  // namespace
}  // namespace clipthat::speech
