// TriggerVerifier::Match: the decision on words already heard (the decode itself is covered by
// trigger_spotter_test and keyword_spotter_test, on espeak-ng speech).
#include "speech/trigger_verifier.h"

#include <gtest/gtest.h>

#include <sstream>

namespace clipthat::speech {
namespace {

// "clip@1000-1300/0.9 that@1300-1550/0.8": word@start-end/posterior, milliseconds.
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
  // The first-pass hit at 1000-1400 ms, as the spotter would ask.
  static Verification Match(const std::string& heard) {
    return verifier_->Match(Heard(heard), 1000, 1400);
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
  // "clip" decides: below min_confidence (0.6) it is not confirmed.
  EXPECT_FALSE(Match("clip@1000-1300/0.5 that@1300-1550/0.9").confirmed);
  // The word after "clip" needs a quarter of it: 0.1 x 4 = 0.4 < 0.6.
  EXPECT_FALSE(Match("clip@1000-1300/0.9 that@1300-1550/0.1").confirmed);
  EXPECT_TRUE(Match("clip@1000-1300/0.9 that@1300-1550/0.2").confirmed);
  // The phrase must start inside the hit, up to 1 s before it or 0.4 s after it.
  EXPECT_TRUE(
      verifier_->Match(Heard("clip@1000-1300/0.9 that@1300-1550/0.8"), 1900, 2200).confirmed);
  EXPECT_FALSE(
      verifier_->Match(Heard("clip@1000-1300/0.9 that@1300-1550/0.8"), 2100, 2400).confirmed);
  EXPECT_FALSE(
      verifier_->Match(Heard("clip@1000-1300/0.9 that@1300-1550/0.8"), 100, 500).confirmed);
  // Words of a phrase out of order are no phrase.
  EXPECT_FALSE(Match("that@1000-1300/0.9 clip@1300-1550/0.9").confirmed);
}

}  // namespace
}  // namespace clipthat::speech
