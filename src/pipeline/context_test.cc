#include "pipeline/context.h"

#include <gtest/gtest.h>

namespace clipthat::pipeline {
namespace {

constexpr Slot<int> kNumber{"number"};
constexpr Slot<std::string> kNumberAsText{"number"};  // same name, other type: a wiring bug

TEST(ContextTest, SetAndGetTypedSlots) {
  Context ctx;
  EXPECT_FALSE(ctx.Has(kNumber));
  ctx.Set(kNumber, 5);
  ASSERT_TRUE(ctx.Has(kNumber));
  auto v = ctx.Get(kNumber);
  ASSERT_TRUE(v.ok());
  **v += 1;
  EXPECT_EQ(**ctx.Get(kNumber), 6);
}

TEST(ContextTest, WrongTypeIsInternalError) {
  Context ctx;
  ctx.Set(kNumber, 5);
  auto wrong = ctx.Get(kNumberAsText);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kInternal);
}

TEST(ContextTest, CancellationFollowsTheToken) {
  Context ctx;
  EXPECT_FALSE(ctx.cancelled());
  CancelToken token;
  ctx.set_cancel_token(&token);
  EXPECT_FALSE(ctx.cancelled());
  token.Cancel();
  EXPECT_TRUE(ctx.cancelled());
}

}  // namespace
}  // namespace clipthat::pipeline
