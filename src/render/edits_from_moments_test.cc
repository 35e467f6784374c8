#include "render/edits_from_moments.h"

#include <gtest/gtest.h>

namespace clipthat::render {
namespace {

TEST(EditsFromMomentsTest, OneClipPerMomentWithItsWordsInside) {
  formats::MomentsDocument doc;
  for (int i = 0; i < 3; ++i) {
    formats::Moment m;
    m.id = i + 1;
    m.start_ms = 10000 * (i + 1);
    m.end_ms = m.start_ms + 5000;
    m.title = "moment " + std::to_string(i + 1);
    m.words = {{"before", m.start_ms - 800, m.start_ms - 100, 1.0},
               {"inside", m.start_ms + 100, m.start_ms + 400, 1.0}};
    doc.moments.push_back(m);
  }
  EditsFromMomentsOptions options;
  options.top = 2;
  options.template_ref = "clean";
  const auto edits = EditListsFromMoments(doc, "/v.mp4", options);
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[1].start_ms, 20000);
  EXPECT_EQ(edits[1].source, "/v.mp4");
  EXPECT_EQ(edits[1].moment_id, 2);
  EXPECT_EQ(edits[1].title, "moment 2");
  EXPECT_EQ(edits[1].template_ref, "clean");
  ASSERT_EQ(edits[1].captions.words.size(), 1u);
  EXPECT_EQ(edits[1].captions.words[0].text, "inside");
  EXPECT_TRUE(formats::CheckEditList(edits[0], "m").ok());
  EXPECT_TRUE(edits[0].cuts.empty());  // a moment plays whole; cuts are the editor's
}

}  // namespace
}  // namespace clipthat::render
