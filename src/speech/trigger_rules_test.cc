// TriggerRules::FindAll: every request in a transcript (the decisions themselves are covered
// through TriggerVerifier::Match in trigger_verifier_test).
#include "speech/trigger_rules.h"

#include <gtest/gtest.h>

namespace clipthat::speech {
namespace {

Word W(std::string text, TimeMs start_ms, TimeMs end_ms, bool sentence_end = false) {
  return {std::move(text), start_ms, end_ms, 1.0, sentence_end, sentence_end};
}

TEST(TriggerRulesTest, FindAllReportsEachRequestOnceWhereItWasSaid) {
  auto rules = TriggerRules::Create({"clip that", "clip it"}, {});
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  // "Clip it clip it! ... I saw that clip, it was ... so clip that." : two requests, the first
  // repeated; the middle sentence runs on.
  const std::vector<Word> words = {
      W("clip", 1000, 1200),      W("it", 1200, 1350),   W("clip", 1350, 1600),
      W("it", 1600, 1750, true),  W("i", 3000, 3100),    W("saw", 3100, 3300),
      W("that", 3300, 3450),      W("clip", 3450, 3700), W("it", 3750, 3850),
      W("was", 3850, 4000),       W("so", 6000, 6200),   W("clip", 6200, 6500),
      W("that", 6500, 6800, true)};
  const std::vector<Verification> found = rules->FindAll(HeardFromWords(words), WindowLevels{});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].phrase, "clip it");
  EXPECT_EQ(found[0].at_ms, 1000);
  EXPECT_EQ(found[1].phrase, "clip that");
  EXPECT_EQ(found[1].at_ms, 6200);
  EXPECT_DOUBLE_EQ(found[1].confidence, 1.0);
}

TEST(TriggerRulesTest, BadPhrasesAreRefused) {
  EXPECT_FALSE(TriggerRules::Create({}, {}).ok());
  EXPECT_FALSE(TriggerRules::Create({"clip that", "  "}, {}).ok());
}

}  // namespace
}  // namespace clipthat::speech
