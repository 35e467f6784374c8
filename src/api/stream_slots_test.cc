#include "api/stream_slots.h"

#include <gtest/gtest.h>

#include <vector>

namespace clipthat::api {
namespace {

TEST(StreamSlotsTest, EachUserHasALimitAndAllTogetherAnother) {
  StreamSlots slots(/*max_per_user=*/2, /*max_total=*/3);
  auto a1 = slots.Take("a");
  auto a2 = slots.Take("a");
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(slots.Take("a")) << "a third stream for one user";
  auto b1 = slots.Take("b");
  ASSERT_TRUE(b1);
  EXPECT_FALSE(slots.Take("c")) << "past the total";
  EXPECT_EQ(slots.open(), 3);
  EXPECT_EQ(slots.open_for("a"), 2);
  EXPECT_EQ(slots.open_for("c"), 0);
}

TEST(StreamSlotsTest, APlaceIsFreedWithItsLastCopy) {
  StreamSlots slots(1, 0);
  auto slot = slots.Take("a");
  ASSERT_TRUE(slot);
  auto copy = slot;
  slot.reset();
  EXPECT_FALSE(slots.Take("a"));
  copy.reset();
  EXPECT_EQ(slots.open(), 0);
  EXPECT_TRUE(slots.Take("a"));
}

TEST(StreamSlotsTest, ZeroMeansNoLimit) {
  StreamSlots slots(0, 0);
  std::vector<std::shared_ptr<void>> held;
  for (int i = 0; i < 1000; ++i) held.push_back(slots.Take("a"));
  for (const auto& h : held) EXPECT_TRUE(h);
  EXPECT_EQ(slots.open_for("a"), 1000);
}

}  // namespace
}  // namespace clipthat::api
